"""Accessibility of the main pages, signed out, as a family and as staff.

axe-core (WCAG 2.1 A and AA, and its best practices) must find nothing on any of them, forms
shown with their errors included. Beside axe: each page has one h1 that says something and a
title of its own, every error is tied to its field, and every Tab stop shows a focus ring.
"""

from __future__ import annotations

from axe_playwright_python.sync_playwright import Axe

from tests.application_support import FAMILY, STAFF_PASSWORD, seed
from tests.browser.browser_support import SUBMIT, log_in
from tests.post_support import (
    family_with_book,
    photo_jobs_done,
    review_task,
    send_post,
    staff_email,
)

AXE = Axe()
RULES = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"],
    }
}

# What axe does not check: the page's own h1 and title, and errors tied to their fields.
PAGE_FACTS = """() => ({
  h1: [...document.querySelectorAll('h1')].map(h => h.textContent.trim()),
  title: document.title,
  untied: [...document.querySelectorAll('.field-error')]
    .filter(error => ![...document.querySelectorAll('[aria-invalid=true]')]
      .some(field => (field.getAttribute('aria-describedby') || '').split(' ').includes(error.id)))
    .map(error => error.id),
})"""


def problems(page, name: str) -> list[str]:
    """What is wrong with the page now open, one readable line each (none when all is well)."""
    found = []
    for rule in AXE.run(page, options=RULES).response["violations"]:
        targets = ", ".join(" ".join(node["target"]) for node in rule["nodes"][:5])
        found.append(
            f"{name}: {rule['id']} ({rule['impact']}) ×{len(rule['nodes'])}: "
            f"{rule['help']} [{targets}]"
        )
    facts = page.evaluate(PAGE_FACTS)
    if len(facts["h1"]) != 1 or not facts["h1"][0]:
        found.append(f"{name}: wants one h1 with text, has {facts['h1']}")
    if facts["title"].lstrip().startswith("·"):  # "<page> · <site>" with no page
        found.append(f"{name}: the title {facts['title']!r} does not name the page")
    elif " · " in facts["title"] and facts["title"].split(" · ")[0] != facts["h1"][0]:
        # What a screen reader announces first and a tab shows is the page's h1 (the home
        # page is titled by the site's name alone).
        found.append(f"{name}: the title {facts['title']!r} is not the h1 {facts['h1'][0]!r}")
    if facts["untied"]:
        found.append(f"{name}: errors not tied to an aria-invalid field: {facts['untied']}")
    return found


def submit_empty(page) -> None:
    """Send the page's form as it is, past the browser's own checks, to see the app's errors."""
    page.evaluate("document.querySelectorAll('form').forEach(form => form.noValidate = true)")
    page.click(SUBMIT)
    page.wait_for_selector(".error-summary")


def visit(page, base: str, paths: list[str]) -> list[str]:
    found = []
    for path in paths:
        page.goto(base + path)
        found += problems(page, path)
    return found


def test_signed_out_pages(app, live_server, page):
    seed(app)
    found = visit(page, live_server, ["/", "/password/forgot"])
    page.goto(f"{live_server}/login")
    submit_empty(page)
    found += problems(page, "/login with errors")
    page.goto(f"{live_server}/register")
    found += problems(page, "/register")
    page.check("input[type=checkbox]")
    page.click(SUBMIT)
    page.wait_for_url("**/tasks/**")
    submit_empty(page)
    found += problems(page, "registration details with errors")
    assert not found, "\n".join(found)


def test_family_pages(app, live_server, page):
    family_with_book(app)
    log_in(page, live_server, *FAMILY)
    found = visit(page, live_server, ["/posts", "/account", "/notifications/preferences"])
    page.goto(f"{live_server}/posts/new")
    page.click(SUBMIT)
    page.wait_for_url("**/tasks/**")
    submit_empty(page)
    found += problems(page, "compose with errors")
    assert not found, "\n".join(found)


def test_staff_pages(app, live_server, page):
    family, book_id = family_with_book(app)
    send_post(family, book_id)
    photo_jobs_done(app)
    log_in(page, live_server, staff_email("reviewer", "dunpin"), STAFF_PASSWORD)
    found = visit(page, live_server, ["/inbox"])
    page.goto(f"{live_server}/tasks/{review_task(app)}")
    submit_empty(page)
    found += problems(page, "review with errors")
    page.context.clear_cookies()
    log_in(page, live_server, staff_email("facility_admin", "dunpin"), STAFF_PASSWORD)
    found += visit(
        page,
        live_server,
        [
            "/deliveries",
            "/institution-book/new",
            "/institution-book/manage",
            "/admin/announcements/new",
        ],
    )
    page.context.clear_cookies()
    log_in(page, live_server, "auditor@example.tw", STAFF_PASSWORD)
    found += visit(page, live_server, ["/audit"])
    assert not found, "\n".join(found)


def test_every_tab_stop_of_the_audit_filters_shows_a_focus_ring(app, live_server, page):
    """Date fields included: Tab stops on the calendar button of each as well."""
    seed(app)
    log_in(page, live_server, "auditor@example.tw", STAFF_PASSWORD)
    page.goto(f"{live_server}/audit")
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
