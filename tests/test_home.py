"""The home page after login: a family sees its contact books, any suspension, how its posts
stand and the way to write one (without a book: its applications); staff see their inbox's
tabs with counts; the "how it works" steps are for visitors and families who have not started."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from domain.accounts import Account, Facility
from domain.roster import TAIPEI
from domain.suspensions import Suspension, active_key
from tests.application_support import FAMILY, logged_in, seed
from tests.post_support import family_with_book, send_post, staff
from workflows import clock


def home(client) -> str:
    return client.get("/").get_data(as_text=True)


def test_the_family_sees_its_book_its_posts_and_the_way_to_write(app):
    family, book_id = family_with_book(app, "dunpin-school", "1201")
    assert send_post(family, book_id).status_code == 302
    page = home(family)
    assert "1201 林〇〇 · 法務部矯正署敦品中學" in page  # the person, masked, and the facility
    assert "待審核 (1)" in page and "審核通過 (0)" in page and "審核未通過 (0)" in page
    assert 'href="/posts/new"' in page
    assert "停權至" not in page
    assert "使用步驟" not in page  # the steps are for those who have not started


def test_a_suspended_family_sees_until_when(app):
    family, _ = family_with_book(app, "dunpin-school", "1201")
    database = app.extensions["db"]
    with database.transaction() as session:
        account = session.scalar(select(Account).where(Account.email == FAMILY[0]))
        facility = session.scalar(select(Facility).where(Facility.code == "dunpin-school"))
        now = clock.now()
        session.add(
            Suspension(
                account_id=account.id,
                facility_id=facility.id,
                reason="三篇遭退回",
                starts_at=now,
                ends_at=now + timedelta(days=31),
                active_key=active_key(account.id, facility.id),
            )
        )
    database.remove()
    until = (now + timedelta(days=31)).astimezone(TAIPEI).date().isoformat()
    assert f"停權至 {until}" in home(family)
    # The post page's chooser says it too, before the family starts writing.
    assert f"停權至 {until}" in family.get("/posts/new").get_data(as_text=True)


def test_a_family_without_a_book_is_pointed_to_its_applications(app):
    seed(app)
    page = home(logged_in(app, *FAMILY))
    assert "家庭聯絡簿服務申請審核通過後，即可發佈。" in page
    assert 'href="/applications"' in page and 'href="/posts/new"' not in page


def test_a_visitor_sees_how_it_works(client):
    page = home(client)
    assert "使用步驟" in page and 'href="/register"' in page and 'id="books-title"' not in page


def test_staff_see_their_inbox_tabs_with_counts(app):
    family, book_id = family_with_book(app, "dunpin-school", "1201")
    assert send_post(family, book_id).status_code == 302
    page = home(staff(app, "reviewer", "dunpin"))
    assert 'id="work-title"' in page and "未指派 (1)" in page and "指派給我 (0)" in page
    assert "使用步驟" not in page and 'id="books-title"' not in page
    other = home(staff(app, "reviewer", "yunlin"))  # another facility's task is not counted
    assert "未指派 (0)" in other
