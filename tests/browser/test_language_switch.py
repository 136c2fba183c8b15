"""The header's language switch in a browser: buttons that POST, used by keyboard or a tap."""

from __future__ import annotations

from playwright.sync_api import expect
from sqlalchemy import select

from domain.accounts import Account
from tests.application_support import FAMILY, seed
from tests.browser.browser_support import DESKTOP, PHONE, log_in
from tests.conftest import read


def test_a_visitor_switches_the_login_page_by_keyboard(app, live_server, page):
    page.set_viewport_size(DESKTOP)
    page.goto(f"{live_server}/login?next=/posts")
    english = page.get_by_role("button", name="English")
    english.focus()
    page.keyboard.press("Enter")
    # The switch redirects back to this very URL, which wait_for_url would match at once.
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert page.url == f"{live_server}/login?next=/posts"
    assert page.get_by_role("heading", name="Log in").is_visible()
    assert page.get_by_role("button", name="English").get_attribute("aria-current") == "true"
    assert page.get_by_role("button", name="中文").get_attribute("aria-current") is None


def test_a_family_switches_on_a_phone_and_the_account_keeps_it(app, live_server, page):
    seed(app)
    page.set_viewport_size(PHONE)
    log_in(page, live_server)
    page.goto(f"{live_server}/account")
    page.locator("summary", has_text="中文").click()
    page.get_by_role("button", name="Bahasa Indonesia").click()
    # The switch redirects back to this very URL, which wait_for_url would match at once.
    expect(page.locator("html")).to_have_attribute("lang", "id")
    assert page.url == f"{live_server}/account"
    [locale] = read(app, select(Account.locale).where(Account.email == FAMILY[0]))
    assert locale == "id"


def test_what_was_typed_comes_back_in_the_other_language(app, live_server, page):
    from tests.post_support import family_with_book, start_post

    client, book_id = family_with_book(app, "taichung-detention", "0609")
    task_url = live_server + start_post(client, book_id).headers["Location"]
    page.set_viewport_size(DESKTOP)
    log_in(page, live_server)
    page.goto(task_url)
    page.fill("#title", "運動會")
    page.fill("#body", "今天運動會，妹妹跑第一名。")
    page.get_by_role("button", name="Tiếng Việt").click()
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    assert page.url == task_url
    # The page's deferred scripts put the text back just after the new page is parsed.
    expect(page.locator("#title")).to_have_value("運動會")
    expect(page.locator("#body")).to_have_value("今天運動會，妹妹跑第一名。")
    # The counter counts it too (its script runs after typed.js, so wait for it).
    expect(page.locator("#body-counter")).to_contain_text("13")
    page.reload()  # put back once: a later visit starts empty, as any page does
    assert page.input_value("#title") == ""


def test_an_id_number_and_passwords_are_never_kept_across_the_switch(app, live_server, page):
    page.set_viewport_size(DESKTOP)
    page.goto(f"{live_server}/register")
    page.check("input[name=consent]")
    page.locator("main form button[type=submit]").last.click()
    page.fill("#name", "林小華")
    page.fill("#national_id", "A123456789")
    page.fill("#password", "Lantern-orchid-2031")
    url = page.url
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert page.url == url
    expect(page.locator("#name")).to_have_value("林小華")  # once this is back, all that is
    assert page.input_value("#national_id") == "" and page.input_value("#password") == ""
