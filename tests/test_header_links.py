"""The header's links: a user with many folds the seldom used ones into "More"; a user with few
sees them all in a row."""

from __future__ import annotations

import re

from tests.application_support import FAMILY, STAFF_PASSWORD, logged_in, seed
from tests.post_support import staff_email


def header(client) -> str:
    page = client.get("/").get_data(as_text=True)
    return re.search(r'<header class="site-header">.*?</header>', page, re.S).group(0)


def row_and_more(html: str) -> tuple[list[str], list[str]]:
    """The links in the menu's row, and those in "More"."""
    more = re.search(r'<ul class="nav-more-list">(.*?)</ul>', html, re.S)
    folded = re.findall(r'href="([^"]+)"', more.group(1)) if more else []
    nav = re.search(r'<ul class="nav-list">(.*?)</nav>', html, re.S).group(1)
    return [h for h in re.findall(r'href="([^"]+)"', nav) if h not in folded], folded


def test_a_facility_admins_seldom_used_links_fold_into_more(app):
    seed(app)
    admin = logged_in(app, staff_email("facility_admin", "dunpin"), STAFF_PASSWORD)
    row, folded = row_and_more(header(admin))
    assert row == ["/inbox", "/deliveries", "/admin/roster", "/suspensions", "/books"]
    assert set(folded) == {
        "/audit",
        "/notices/templates",
        "/institution-book",
        "/institution-book/manage",
        "/admin/announcements",
        "/admin/staff",
        "/account/api-tokens",
    }
    assert "<summary" in header(admin).split('class="nav-more"')[1]  # a disclosure: keyboard


def test_a_family_and_an_auditor_see_every_link_in_the_row(app):
    seed(app)
    family = logged_in(app, *FAMILY)
    row, folded = row_and_more(header(family))
    assert folded == [] and "/institution-book" in row and 'class="nav-more"' not in header(family)
    auditor = logged_in(app, "auditor@example.tw", STAFF_PASSWORD)
    row, folded = row_and_more(header(auditor))
    assert folded == [] and "/audit" in row
