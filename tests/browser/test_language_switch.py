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
