"""Layout at a phone's width (390 px) and a desktop's (1280 px): no page wider than the screen,
tables shown as cards, a short header whose menu folds away, photos that leave room for the
decision."""

from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from domain.accounts import Account
from domain.roster import local_today
from tests.application_support import FAMILY, STAFF_PASSWORD, seed
from tests.browser.browser_support import (
    DESKTOP,
    PAGE_WIDTH,
    PHONE,
    log_in,
    open_review,
)
from tests.conftest import read
from tests.post_support import (
    approved_post,
    family_with_book,
    staff,
    staff_email,
)
from tests.process_support import failed_registration
from tests.web_support import submit


def log_in_admin(page, base: str, language: str = "en") -> None:
    log_in(page, base, staff_email("facility_admin", "dunpin"), STAFF_PASSWORD, language)


def test_deliveries_fit_a_phone_and_the_delivery_button_is_on_screen(app, live_server, page):
    approved_post(app, title="家裡一切都好")
    page.set_viewport_size(PHONE)
    log_in_admin(page, live_server)
    page.goto(f"{live_server}/deliveries")
    assert page.evaluate(PAGE_WIDTH) <= PHONE["width"]
    button = page.get_by_role("link", name="Mark delivered").bounding_box()  # to its confirm page
    assert button["x"] >= 0 and button["x"] + button["width"] <= PHONE["width"]
    # each row is a card: its cells take the card's width, each headed by its column's name
    call_number = page.locator("td[data-label='Call number']")
    assert call_number.bounding_box()["width"] > 300
    label = call_number.evaluate("td => getComputedStyle(td, '::before').content")
    assert label == '"Call number"'


# The pages with tables, as each role reads them on a phone (Dunpin's staff).
PHONE_TABLES = {
    "facility_admin": ("/admin/roster", "/audit", "/books", "/admin/staff", "/admin/announcements"),
    "supervisor": ("/special-projects",),
    "process_owner": (
        "/processes",
        "/processes/instances",
        "/processes/incidents",
        "/processes/instances/{incident}",
    ),
    "family": ("/account/api-tokens",),
}
LOGINS = {
    "facility_admin": (staff_email("facility_admin", "dunpin"), STAFF_PASSWORD),
    "supervisor": (staff_email("supervisor", "dunpin"), STAFF_PASSWORD),
    "process_owner": ("owner@example.tw", STAFF_PASSWORD),
    "family": FAMILY,
}


def rows_in_every_table(app, monkeypatch) -> int:
    """A row for each table of PHONE_TABLES, made as people make them: an approved post (audit
    events, an active contact book, instances), an announcement, a special project for the
    family, a registration stopped by an incident (its id returned), the family's API token."""
    family, _post = approved_post(app)
    announced = submit(
        staff(app, "facility_admin", "dunpin"),
        "/admin/announcements/new",
        {
            "title": "懇親活動",
            "body": "歡迎家屬參加。",
            "publish_at": "2026-12-01T10:00",
            "expires_at": "2026-12-31T10:00",
        },
    )
    [family_id] = read(app, select(Account.id).where(Account.email == FAMILY[0]))
    today = local_today()
    granted = submit(
        staff(app, "supervisor", "dunpin"),
        "/special-projects",
        {
            "family": family_id,
            "starts_on": today.isoformat(),
            "ends_on": (today + timedelta(days=30)).isoformat(),
            "no_interval": "y",
            "reason": "親職教育活動",
        },
    )
    assert (announced.status_code, granted.status_code) == (302, 302)
    assert submit(family, "/account/api-tokens", {"label": "家裡的平板"}).status_code == 200
    return failed_registration(app, monkeypatch)


@pytest.mark.parametrize("role", PHONE_TABLES)
def test_tables_fit_a_phone(app, live_server, page, monkeypatch, role):
    incident = rows_in_every_table(app, monkeypatch)
    page.set_viewport_size(PHONE)
    log_in(page, live_server, *LOGINS[role], language="en")
    for path in PHONE_TABLES[role]:
        page.goto(live_server + path.format(incident=incident))
        assert page.locator("table.data-table td").count() > 0, path
        assert page.evaluate(PAGE_WIDTH) <= PHONE["width"], path
        narrowest = page.evaluate(
            "Math.min(...[...document.querySelectorAll('table.data-table td')]"
            ".filter(td => td.getClientRects().length)"  # an empty cell is not shown at all
            ".map(td => td.getBoundingClientRect().width))"
        )
        assert narrowest > 300, path  # no column squeezed to a character or two


def test_the_phone_header_is_short_and_its_menu_opens(app, live_server, page):
    seed(app)
    page.set_viewport_size(PHONE)
    log_in_admin(page, live_server)
    page.goto(f"{live_server}/deliveries")
    header = page.locator(".site-header").bounding_box()
    assert header["height"] < 130  # eleven links for an admin, folded away
    roster = page.get_by_role("link", name="Roster")
    assert not roster.is_visible()

    menu = page.locator("summary", has_text="Menu")
    menu.focus()
    page.keyboard.press("Enter")  # a keyboard opens it as well as a tap
    assert roster.is_visible()
    assert roster.bounding_box()["y"] >= header["height"] - 1  # below the header, over the page
    roster.click()
    page.wait_for_url(f"{live_server}/admin/roster")

    languages = page.locator("summary", has_text="English")
    languages.click()
    page.get_by_role("button", name="中文").click()  # staff pages: Chinese and English
    # The switch redirects back to this very URL, which wait_for_url would match at once.
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hant")
    assert page.url == f"{live_server}/admin/roster"


def test_on_a_desktop_the_menu_and_languages_are_rows_of_links(app, live_server, page):
    seed(app)
    page.set_viewport_size(DESKTOP)
    log_in_admin(page, live_server)
    page.goto(f"{live_server}/deliveries")
    assert not page.locator("summary", has_text="Menu").is_visible()
    for name in ("Roster", "Suspensions"):
        assert page.get_by_role("link", name=name).is_visible()
    assert page.get_by_role("button", name="English").is_visible()
    page.keyboard.press("Tab")  # the skip link
    page.keyboard.press("Tab")  # the brand
    for _ in range(2):  # the languages of staff pages, on the brand's row
        page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "English"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Task inbox"


def header_rows(page) -> int:
    """How many rows the header's brand, languages, links and "More" take (40 px apart or more)."""
    tops = sorted(
        page.evaluate(
            "[...document.querySelectorAll('.brand, .lang-list a, .nav-list > li')]"
            ".filter(e => e.getClientRects().length)"
            ".map(e => Math.round(e.getBoundingClientRect().top))"
        )
    )
    return len([t for i, t in enumerate(tops) if i == 0 or t - tops[i - 1] > 40])


@pytest.mark.parametrize("language", ["zh_Hant", "en"])
def test_a_facility_admins_header_takes_at_most_two_rows_at_1280_px(
    app, live_server, page, language
):
    """Eleven links took four rows: the seldom used ones fold into "More", which a keyboard
    opens, and the languages share the brand's row (with staff's two, the menu may fit too)."""
    seed(app)
    page.set_viewport_size(DESKTOP)
    log_in_admin(page, live_server, language)
    page.goto(f"{live_server}/deliveries")
    assert header_rows(page) <= 2
    audit_log = page.locator(".nav-more-list a[href='/audit']")
    assert not audit_log.is_visible()
    page.locator("summary.nav-more-toggle").focus()
    page.keyboard.press("Enter")
    assert audit_log.is_visible()
    page.keyboard.press("Tab")  # onto the list's first link
    first = page.locator(".nav-more-list a").first.get_attribute("href")
    assert page.evaluate("document.activeElement.getAttribute('href')") == first
    audit_log.click()
    page.wait_for_url(f"{live_server}/audit")
    assert "nav-more-toggle--current" in page.locator("summary.nav-more-toggle").get_attribute(
        "class"
    )


def test_on_a_phone_the_folded_links_are_in_the_menu_without_a_second_tap(app, live_server, page):
    seed(app)
    page.set_viewport_size(PHONE)
    log_in_admin(page, live_server)
    page.goto(f"{live_server}/deliveries")
    page.locator("summary", has_text="Menu").click()
    assert not page.locator("summary.nav-more-toggle").is_visible()
    for name in ("Roster", "Audit log", "Announcements", "Notice templates", "Log out"):
        box = page.get_by_role("link" if name != "Log out" else "button", name=name).bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    assert page.evaluate(PAGE_WIDTH) <= PHONE["width"]


def test_my_data_on_a_phone_shows_each_value_at_full_width(app, live_server, page):
    seed(app)
    page.set_viewport_size(PHONE)
    log_in(page, live_server, *FAMILY, language="en")
    page.goto(f"{live_server}/account")
    assert page.evaluate(PAGE_WIDTH) <= PHONE["width"]
    label = page.locator("dt", has_text="National ID or resident certificate number")
    value = label.locator("xpath=following-sibling::dd[1]")
    assert value.bounding_box()["width"] > 300
    assert value.bounding_box()["height"] < 40  # one line, not a character a line


def test_the_applications_list_keeps_dates_and_call_numbers_whole(app, live_server, page):
    family_with_book(app, "dunpin-school", "1201")  # an approved application
    page.set_viewport_size(PHONE)
    log_in(page, live_server, *FAMILY)
    page.goto(f"{live_server}/applications")
    assert page.evaluate(PAGE_WIDTH) <= PHONE["width"]
    for label in ("收容人", "審核時間"):
        cell = page.locator(f"td[data-label='{label}']").first
        line = float(cell.evaluate("td => getComputedStyle(td).lineHeight").removesuffix("px"))
        label_and_value = cell.bounding_box()["height"]
        assert label_and_value < 2 * line + 20, label  # the label's line and one line of value


def test_the_review_page_caps_the_photo_and_links_it_full_size(app, live_server, page):
    open_review(app, live_server, page, DESKTOP)
    photo = page.locator("img.post-photo")
    assert photo.bounding_box()["height"] <= 0.6 * DESKTOP["height"] + 1
    full_size = page.get_by_role("link", name="Open the photo full size")
    assert full_size.get_attribute("href") == photo.get_attribute("src")


def test_the_familys_posts_fit_a_phone_with_the_next_posting_date(app, live_server, page):
    """The long badge "one post per period: again from …" wraps inside the screen."""
    from tests.post_support import send_post

    family, book_id = family_with_book(app)
    send_post(family, book_id)
    page.set_viewport_size(PHONE)
    log_in(page, live_server)
    page.goto(f"{live_server}/posts")
    assert page.locator(".badge").count() > 0
    assert page.evaluate(PAGE_WIDTH) <= PHONE["width"]


def test_the_audit_filters_sit_side_by_side_on_a_desktop(app, live_server, page):
    approved_post(app)
    page.set_viewport_size(DESKTOP)
    log_in_admin(page, live_server)
    page.goto(f"{live_server}/audit")
    tops = page.evaluate(
        "[...document.querySelectorAll('form.form--inline .field')]"
        ".map(f => Math.round(f.getBoundingClientRect().top))"
    )
    ordered = sorted(tops)  # a new row starts where the next field sits 40 px lower or more
    rows = [t for i, t in enumerate(ordered) if i == 0 or t - ordered[i - 1] > 40]
    assert len(tops) == 6 and len(rows) <= 2  # two rows at most, not a column of six
    # The page's parts share one width: the header's left edge is the content's.
    header = page.locator(".header-inner").bounding_box()["x"]
    assert abs(page.locator("main").bounding_box()["x"] - header) < 1


def test_the_content_keeps_its_distance_from_the_footer(app, live_server, page):
    seed(app)
    page.set_viewport_size(DESKTOP)
    log_in(page, live_server)
    page.goto(f"{live_server}/posts")
    main = page.locator("main").evaluate("m => getComputedStyle(m).paddingBottom")
    assert float(main.removesuffix("px")) >= 32
