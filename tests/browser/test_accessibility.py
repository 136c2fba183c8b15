"""Accessibility of every page, signed out and in each role of DESIGN §6.

axe-core (WCAG 2.1 A and AA, and its best practices) must find nothing on any of them, on a
desktop and on a phone (390 px: a box that scrolls there may not on a desktop), every form shown
once with its errors. Beside axe: each page has one h1 that says something and a title of its
own, every error is tied to its field, no id is used twice, and every Tab stop shows a focus ring.

The pages are those of the authorization matrix's world (tests/authorization_world.py), built once
for the module with what it lacks added (`_more_pages`); each role's pages are one test, logged in
once, so the whole walk takes a handful of browser sessions.
"""

from __future__ import annotations

import io
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from sqlalchemy import select

from domain import links
from domain.account_tokens import issue_account_token
from domain.accounts import Account
from tests.application_support import FAMILY, STAFF_PASSWORD, open_tasks, png
from tests.authorization_world import World, world_app
from tests.browser.browser_support import DESKTOP, PHONE, SUBMIT, log_in, serve
from tests.conftest import Mailbox
from tests.institution_support import decide as decide_institution_post
from tests.institution_support import task_of, write_post
from tests.policy_support import deploy_edited
from tests.post_support import decide, give_book, staff_email, start_post
from tests.process_support import failed_registration
from tests.web_support import DETAILS, csrf_token, mailed_path
from workflows.models import ProcessVersion

AXE = Axe()
RULES = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"],
    },
    "resultTypes": ["violations"],  # the passes are not sent back: each run takes half the time
}

# What axe does not check: the page's own h1 and title, errors tied to their fields, and ids
# used once (axe 4.12 retired its duplicate-id rules with WCAG 4.1.1, but a label's `for`, an
# error's aria-describedby and the error summary's links all find the first element only).
PAGE_FACTS = """() => ({
  h1: [...document.querySelectorAll('h1')].map(h => h.textContent.trim()),
  title: document.title,
  untied: [...document.querySelectorAll('.field-error')]
    .filter(error => ![...document.querySelectorAll('[aria-invalid=true]')]
      .some(field => (field.getAttribute('aria-describedby') || '').split(' ').includes(error.id)))
    .map(error => error.id),
  twice: [...new Set([...document.querySelectorAll('[id]')].map(e => e.id)
    .filter((id, i, ids) => ids.indexOf(id) !== i))],
})"""

NEW_FAMILY = "new.family@example.tw"
TAICHUNG_REPLIES = '<outputEntry id="facility_policy_r3_o5"><text>False</text>'


def problems(page, name: str) -> list[str]:
    """What is wrong with the page now open, one readable line each (none when all is well)."""
    found = []
    for screen in (DESKTOP, PHONE):
        page.set_viewport_size(screen)
        for rule in AXE.run(page, options=RULES).response["violations"]:
            targets = ", ".join(" ".join(node["target"]) for node in rule["nodes"][:5])
            found.append(
                f"{name} at {screen['width']} px: {rule['id']} ({rule['impact']}) "
                f"×{len(rule['nodes'])}: {rule['help']} [{targets}]"
            )
    facts = page.evaluate(PAGE_FACTS)
    if len(facts["h1"]) != 1 or not facts["h1"][0]:
        found.append(f"{name}: wants one h1 with text, has {facts['h1']}")
    elif facts["title"].lstrip().startswith("·"):  # "<page> · <site>" with no page
        found.append(f"{name}: the title {facts['title']!r} does not name the page")
    elif " · " in facts["title"] and facts["title"].split(" · ")[0] not in (
        facts["h1"][0],
        facts["h1"][0].split()[0],  # a person's page: their call number, not their name
    ):
        # What a screen reader announces first and a tab shows is the page's h1 (the home
        # page is titled by the site's name alone).
        found.append(f"{name}: the title {facts['title']!r} is not the h1 {facts['h1'][0]!r}")
    if facts["untied"]:
        found.append(f"{name}: errors not tied to an aria-invalid field: {facts['untied']}")
    if facts["twice"]:
        found.append(f"{name}: ids used more than once: {facts['twice']}")
    return found


def submit_empty(page, form: str = "form.form") -> None:
    """Send a form of the page as it is, past the browser's own checks, to see the app's
    errors (the first form of the page unless `form` picks another)."""
    page.evaluate("document.querySelectorAll('form').forEach(form => form.noValidate = true)")
    page.click(f"{form} button[type=submit]")
    page.wait_for_selector(".error-summary, .field-error")


def visit(page, base: str, paths: list[str]) -> list[str]:
    found = []
    for path in paths:
        page.goto(base + path)
        found += problems(page, path)
    return found


def with_errors(page, base: str, path: str, form: str = "form.form", clear: str = "") -> list:
    """The problems of the page at `path` once its form came back with errors; `clear` empties
    a field the page fills in for the reader (their own details), so the form cannot pass."""
    page.goto(base + path)
    if clear:
        page.fill(clear, "")
    submit_empty(page, form)
    return problems(page, f"{path} with errors in {form}")


@dataclass
class Pages:
    """The world, served, and the addresses of what `_more_pages` added to it."""

    base: str
    world: World
    family_correction: str  # the family's Dunpin application, sent back: its correction step
    review_with_history: str  # the other family's Taichung application, corrected, in review
    refused_post: str  # the family's post at Taichung, refused (the family is suspended there)
    institution_approval: str  # a Taichung institution post waiting for the supervisor
    institution_correction: str  # another, sent back to the Taichung admin
    reply_task: str  # a reply of 0610 at Taichung being typed in by its admin
    incident: int  # a registration stopped at its mail step
    reset_link: str  # a current link to set the family's password
    email_link: str  # a current link to confirm a new e-mail address of the family


@pytest.fixture(scope="module")
def pages(_schema, mail_worker, tmp_path_factory):
    folder = tmp_path_factory.mktemp("accessibility")
    with world_app(_schema, folder) as world, serve(world.app) as base:
        yield _more_pages(world, base, folder)


def _more_pages(w: World, base: str, folder: Path) -> Pages:
    """What the matrix's world lacks for these pages, made as people make it."""
    app = w.app
    give_book(app, FAMILY[0], "yunlin-second-prison", "2301")  # where the family may post
    correction, review = _applications_sent_back(w)
    _institution_posts(w)
    with pytest.MonkeyPatch.context() as patch:
        incident = failed_registration(app, patch)
    database = app.extensions["db"]
    with database.transaction() as session:
        family = session.get(Account, w.accounts["family"])
        issue_account_token(session, family.id, "家裡的平板")
        reset_link = "/password/reset/" + links.reset_token(family.id, family.password_stamp)
        new_email = links.email_change_token(family.id, family.email, "wang@example.tw")
    database.remove()
    return Pages(
        base=base,
        world=w,
        family_correction=correction,
        review_with_history=review,
        refused_post=start_post(w.clients["family"], w.taichung_book).headers["Location"],
        institution_approval=f"/tasks/{task_of(app, 'approve')}",
        institution_correction=f"/tasks/{task_of(app, 'correct')}",
        reply_task=_replies(w, folder),
        incident=incident,
        reset_link=reset_link,
        email_link=f"/account/email/{new_email}",
    )


def _applications_sent_back(w: World) -> tuple[str, str]:
    """Both open applications rejected: the family's correction step (Dunpin), and the other
    family's application corrected and in review again, with its earlier round (Taichung)."""
    app, clients = w.app, w.clients
    for desk, task in (
        ("reviewer.dunpin", w.dunpin_review),
        ("reviewer.taichung", w.taichung_review),
    ):
        assert decide(clients[desk], task, "reject", "戶籍謄本模糊").status_code == 302
    [correction] = open_tasks(
        app, bpmn_id="correct_application", owner_account_id=w.accounts["family"]
    )
    [other] = open_tasks(app, lane="Family", owner_account_id=w.accounts["other_family"])
    url = f"/tasks/{other.task_guid}"
    corrected = clients["other_family"].post(
        url,
        data={
            "csrf_token": csrf_token(clients["other_family"], url),
            "note": "重新上傳清晰的戶籍謄本",
            "relationship_proof": (io.BytesIO(png((1, 2, 3))), "new.png"),
        },
        content_type="multipart/form-data",
    )
    assert corrected.status_code == 302, corrected.get_data(as_text=True)
    [review] = open_tasks(
        app, process_id="service_application", bpmn_id="review", facility_id=other.facility_id
    )
    return f"/tasks/{correction.task_guid}", f"/tasks/{review.task_guid}"


def _institution_posts(w: World) -> None:
    """Two posts of Taichung's admin: one sent back by the supervisor, one waiting for them."""
    admin, supervisor = w.clients["admin.taichung"], w.clients["supervisor.taichung"]
    assert write_post(admin, title="十一月懇親活動").status_code == 302
    sent_back = decide_institution_post(supervisor, task_of(w.app, "approve"), "reject", "請附照片")
    assert sent_back.status_code == 302
    assert write_post(admin, title="十二月親職講座").status_code == 302


def _replies(w: World, folder: Path) -> str:
    """Replies switched on at Taichung: one of 0610 entered (the family's list shows it), and
    the address of a second being typed in."""
    admin = w.clients["admin.taichung"]
    deploy_edited(w.app, folder, (TAICHUNG_REPLIES, TAICHUNG_REPLIES.replace("False", "True")))
    token, start = csrf_token(admin, "/books"), f"/books/{w.taichung_book}/reply"
    entered = admin.post(start, data={"csrf_token": token}).headers["Location"]
    body = "謝謝媽媽，我會好好照顧自己。"
    sent = admin.post(entered, data={"csrf_token": csrf_token(admin, entered), "body": body})
    assert sent.status_code == 302, sent.get_data(as_text=True)
    return admin.post(start, data={"csrf_token": token}).headers["Location"]


def test_signed_out_pages(pages, page):
    base, w = pages.base, pages.world
    found = visit(
        page,
        base,
        [
            "/",
            "/announcements",
            f"/announcements/{w.institution.national_announcement}",
            "/register/sent",
            "/verify/sent",
            "/lang/en",  # a GET only asks
            f"/verify/{w.altered_verify_token}",  # 400: the link no longer works
            f"/password/reset/{w.altered_reset_token}",  # 400 as well
            "/no-such-page",  # 404
        ],
    )
    found += with_errors(page, base, "/login")
    found += with_errors(page, base, "/password/forgot")
    page.fill("#email", "nobody@example.tw")
    with page.expect_navigation():  # answered at the same address
        page.click(SUBMIT)
    found += problems(page, "a reset link is mailed")
    found += with_errors(page, base, pages.reset_link)
    page.goto(f"{base}/register")
    found += problems(page, "/register")
    page.check("input[type=checkbox]")
    page.click(SUBMIT)
    page.wait_for_url("**/tasks/**")
    submit_empty(page)
    found += problems(page, "registration details with errors")
    for name, value in {**DETAILS, "email": NEW_FAMILY, "national_id": "F131104093"}.items():
        page.fill(f"#{name}", value)
    page.click(SUBMIT)
    page.wait_for_url(lambda url: "/tasks/" not in url)
    found += problems(page, "registered: the link is mailed")
    link = link_mailed_to(w, NEW_FAMILY)
    found += visit(page, base, [link])
    with page.expect_navigation():
        page.click("main button[type=submit]")
    found += problems(page, "verified")
    found += visit(page, base, [link])  # opened again: already verified
    assert not found, "\n".join(found)


def link_mailed_to(w: World, address: str) -> str:
    """The path of the link in the newest mail to `address` (a job sends it: waited for)."""
    mailbox = Mailbox(w.app.extensions["settings"].mail_dir, w.app.extensions["db"])
    deadline = time.monotonic() + 10
    while not (mails := [m for m in mailbox.messages() if address in m["To"]]):
        assert time.monotonic() < deadline, f"no mail to {address}"
        time.sleep(0.05)
    return mailed_path(mails[-1])


def test_family_pages(pages, page):
    base, w = pages.base, pages.world
    log_in(page, base, *FAMILY)
    found = visit(
        page,
        base,
        [
            "/",
            "/applications",
            f"/applications/outcome/{w.ineligible_instance}",
            "/posts",
            pages.refused_post,
            "/account",
            "/account/notice",
            "/notifications",
            "/notifications/preferences",
            "/institution-book",
            f"/institution-book/{w.institution.taichung_post}",
            pages.email_link,
            f"/account/email/{w.altered_email_token}",  # 400: the link no longer works
            "/logout",  # a GET only asks
        ],
    )
    found += with_errors(page, base, "/applications/new")
    found += with_errors(page, base, f"/tasks/{w.family_step}")
    found += with_errors(page, base, pages.family_correction)
    found += with_errors(page, base, "/account/contact", clear="#email")
    found += with_errors(page, base, "/account/delete")
    found += with_errors(page, base, "/account/api-tokens")
    page.fill("#label", "手機")
    page.click(SUBMIT)
    page.wait_for_selector("code.token")
    found += problems(page, "a new API token")
    page.goto(f"{base}/posts/new")
    found += problems(page, "/posts/new")
    page.check("input[type=radio]:not([disabled])")
    page.click(SUBMIT)
    page.wait_for_url("**/tasks/**")
    submit_empty(page)
    found += problems(page, "compose with errors")
    found += _too_large(page)
    assert not found, "\n".join(found)


def _too_large(page) -> list[str]:
    """The page for an upload over what the server reads (413), as the browser shows it."""
    with page.expect_navigation():
        page.evaluate(
            """mb => {
            const form = document.createElement('form');
            form.method = 'post';
            form.enctype = 'multipart/form-data';
            const input = document.createElement('input');
            Object.assign(input, {type: 'file', name: 'photo'});
            const files = new DataTransfer();
            files.items.add(new File([new Uint8Array(mb * 1048576)], 'huge.jpg'));
            input.files = files.files;
            form.append(input);
            document.body.append(form);
            form.submit();
        }""",
            33,
        )
    return problems(page, "413: the upload is too large")


def test_reviewer_pages(pages, page):
    base, w = pages.base, pages.world
    log_in(page, base, staff_email("reviewer", "taichung"), STAFF_PASSWORD)
    found = visit(
        page,
        base,
        [
            "/",
            "/inbox",
            "/inbox?tab=unassigned&process=post_review&q=0610&overdue=1&sort=age",
            "/inbox?q=nobody",  # nothing found
            "/institution-book",
        ],
    )
    found += with_errors(page, base, f"/tasks/{w.post_review}")
    found += with_errors(page, base, pages.review_with_history)
    found += with_errors(page, base, "/account/api-tokens")
    assert not found, "\n".join(found)


def test_supervisor_pages(pages, page):
    base = pages.base
    log_in(page, base, staff_email("supervisor", "taichung"), STAFF_PASSWORD)
    found = visit(page, base, ["/inbox?overdue=1", "/suspensions"])
    found += with_errors(page, base, "/suspensions")
    found += with_errors(page, base, "/special-projects")
    found += with_errors(page, base, pages.institution_approval)
    assert not found, "\n".join(found)


def test_facility_admin_pages(pages, page):
    base, w = pages.base, pages.world
    log_in(page, base, staff_email("facility_admin", "taichung"), STAFF_PASSWORD)
    member = f"/admin/staff/{w.accounts['reviewer.taichung']}"
    person = f"/admin/roster/{w.taichung_inmate}"
    found = visit(
        page,
        base,
        [
            "/",
            "/inbox",
            "/deliveries",
            f"/deliveries/{w.approved_post}/delivered",
            "/books",
            "/admin/roster",
            "/admin/staff",
            member,
            "/admin/announcements",
            f"/admin/announcements/{w.institution.taichung_announcement}/edit",
            "/notices/templates",
            "/institution-book/manage",
            "/institution-book",
            "/suspensions",
            "/audit",
        ],
    )
    found += with_errors(page, base, "/admin/roster/new")
    found += with_errors(page, base, person, clear="#call_number")
    for form in ("form[action$='/restrictions']", "form[action$='/transfer']"):
        found += with_errors(page, base, person, form)
    found += with_errors(page, base, "/admin/staff/new")
    own = f"/admin/staff/{w.accounts['admin.taichung']}"
    page.goto(base + own)
    page.select_option("#role", "reviewer")  # not one's own role: refused beside the field
    page.click(SUBMIT)
    page.wait_for_selector(".field-error")
    found += problems(page, "one's own role, with errors")
    found += with_errors(page, base, "/admin/announcements/new")
    found += with_errors(page, base, "/notices/templates/inmate_reply", clear="#subject_zh")
    found += with_errors(page, base, "/institution-book/new")
    found += with_errors(page, base, pages.institution_correction, clear="#title")
    found += with_errors(page, base, pages.reply_task)
    [delivery] = open_tasks(w.app, bpmn_id="deliver")
    found += with_errors(page, base, f"/tasks/{delivery.task_guid}")
    assert not found, "\n".join(found)


def test_process_owner_pages(pages, page):
    base, w = pages.base, pages.world
    log_in(page, base, "owner@example.tw", STAFF_PASSWORD)
    version = w.scalar(select(ProcessVersion.hash))
    found = visit(
        page,
        base,
        [
            "/processes",
            f"/processes/versions/{version}",
            "/processes/instances",
            "/processes/instances?process=registration&status=incident",
            f"/processes/instances/{w.pending_instance}",
            f"/processes/instances/{pages.incident}",
            "/processes/incidents",
            "/admin/announcements",
            f"/admin/announcements/{w.institution.national_announcement}/edit",
        ],
    )
    found += with_errors(page, base, "/admin/announcements/new")
    assert not found, "\n".join(found)


def test_auditor_pages(pages, page):
    base = pages.base
    log_in(page, base, "auditor@example.tw", STAFF_PASSWORD)
    found = visit(
        page,
        base,
        [
            "/audit",
            "/audit?action=instance.retry&object_type=process_instance&from=2026-01-01",
            "/audit?from=yesterday",  # a date that is not one
        ],
    )
    assert not found, "\n".join(found)


def test_every_tab_stop_of_the_audit_filters_shows_a_focus_ring(pages, page):
    """Date fields included: Tab stops on the calendar button of each as well."""
    base = pages.base
    log_in(page, base, "auditor@example.tw", STAFF_PASSWORD)
    page.goto(f"{base}/audit")
    page.focus("form.form--inline select")
    unringed = []
    while page.evaluate("document.activeElement.closest('form.form--inline') !== null"):
        stop = page.evaluate(
            "(e => [e.id || e.tagName, getComputedStyle(e).outlineStyle])(document.activeElement)"
        )
        if stop[1] == "none":
            unringed.append(stop[0])
        page.keyboard.press("Tab")
    assert unringed == []
