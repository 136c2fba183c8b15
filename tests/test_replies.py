"""Replies of the person inside, typed in by staff where the facility's policy switches them on."""

from __future__ import annotations

from sqlalchemy import select

from domain.replies import InmateReply
from tests.application_support import open_tasks, png
from tests.conftest import read
from tests.policy_support import DUNPIN_REPLIES, deploy_edited
from tests.post_support import enter_reply, family_with_book, staff, start_reply


def test_replies_are_off_by_default_and_nothing_is_recorded(app):
    family, book_id = family_with_book(app)
    admin = staff(app, "facility_admin", "dunpin")
    books = admin.get("/books").get_data(as_text=True)
    assert "1201" in books and "本機關未開放收容人回覆" in books
    assert f"/books/{book_id}/reply" not in books  # no button that leads nowhere
    response = start_reply(admin, book_id)  # a page from before the policy changed
    assert "/replies/outcome/" in response.headers["Location"]
    page = admin.get(response.headers["Location"], follow_redirects=True).get_data(as_text=True)
    assert "未開放" in page
    assert read(app, select(InmateReply)) == []


def test_where_replies_are_on_staff_enter_one_and_the_family_sees_it(app, tmp_path, mailbox):
    deploy_edited(app, tmp_path, (DUNPIN_REPLIES, DUNPIN_REPLIES.replace("False", "True")))
    family, book_id = family_with_book(app)
    admin = staff(app, "facility_admin", "dunpin")
    assert f"/books/{book_id}/reply" in admin.get("/books").get_data(as_text=True)
    response = enter_reply(admin, book_id, "謝謝媽媽，我會好好照顧自己。", png((5, 5, 5)))
    assert response.status_code == 302
    [reply] = read(app, select(InmateReply))
    assert reply.body == "謝謝媽媽，我會好好照顧自己。" and reply.scan_file_id
    assert "謝謝媽媽" in family.get("/posts").get_data(as_text=True)
    assert "回覆" in mailbox.last()["Subject"]
    scan = family.get(f"/files/{reply.scan_file_id}")
    scan.close()
    assert scan.status_code == 200
    stranger = staff(app, "reviewer", "taichung").get(f"/files/{reply.scan_file_id}")
    stranger.close()
    assert stranger.status_code == 404
    assert open_tasks(app, process_id="inmate_reply") == []


def test_another_facility_cannot_reply_in_the_book(app):
    _family, book_id = family_with_book(app)
    other = staff(app, "facility_admin", "taichung")
    assert start_reply(other, book_id).status_code == 404
