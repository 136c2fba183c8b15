"""A transfer takes the person's open posts along: the new facility's staff see their files and
deliver them; the old facility's staff no longer do."""

from __future__ import annotations

import io

from sqlalchemy import select

from domain.accounts import Facility
from domain.roster import Inmate
from domain.roster_operations import transfer_inmate
from tests.application_support import png
from tests.post_support import (
    approved_post,
    family_with_book,
    photo_jobs_done,
    posts,
    review_task,
    send_post,
    staff,
)
from tests.web_support import status_of


def transfer(app, inmate_id: int, code: str = "yunlin-second-prison") -> None:
    database = app.extensions["db"]
    with database.transaction() as session:
        target = session.scalar(select(Facility).where(Facility.code == code))
        transfer_inmate(
            session, session.get(Inmate, inmate_id), target.id, app.extensions["engine"]
        )
    database.remove()


def test_a_post_in_review_goes_with_the_person_and_its_photo_with_it(app):
    family, book_id = family_with_book(app)
    assert send_post(family, book_id, photo=(io.BytesIO(png()), "kids.png")).status_code == 302
    photo_jobs_done(app)
    [post] = posts(app)
    transfer(app, post.inmate_id)
    [moved] = posts(app)
    new_reviewer, old_reviewer = staff(app, "reviewer", "yunlin"), staff(app, "reviewer", "dunpin")
    task_page = new_reviewer.get(f"/tasks/{review_task(app)}").get_data(as_text=True)
    assert f"/files/{moved.photo_file_id}" in task_page
    assert status_of(new_reviewer, f"/files/{moved.photo_file_id}") == 200
    assert status_of(new_reviewer, f"/files/{moved.thumbnail_file_id}") == 200
    assert status_of(old_reviewer, f"/files/{moved.photo_file_id}") == 404


def test_a_post_awaiting_delivery_is_delivered_by_the_new_facility(app):
    _family, post = approved_post(app, photo=(io.BytesIO(png()), "kids.png"))
    transfer(app, post.inmate_id)
    new_admin = staff(app, "facility_admin", "yunlin")
    old_admin = staff(app, "facility_admin", "dunpin")
    assert "1201" in new_admin.get("/deliveries").get_data(as_text=True)
    assert status_of(new_admin, f"/deliveries/{post.id}/sheet.pdf") == 200
    assert status_of(new_admin, f"/files/{post.photo_file_id}") == 200
    assert "1201" not in old_admin.get("/deliveries").get_data(as_text=True)
    assert status_of(old_admin, f"/deliveries/{post.id}/sheet.pdf") == 404
    assert status_of(old_admin, f"/files/{post.photo_file_id}") == 404


def test_a_decided_post_stays_with_the_facility_that_decided_it(app):
    from tests.post_support import decide

    family, book_id = family_with_book(app)
    send_post(family, book_id)
    assert (
        decide(staff(app, "reviewer", "dunpin"), review_task(app), "reject", "x").status_code == 302
    )
    [post] = posts(app)
    transfer(app, post.inmate_id)
    assert posts(app)[0].facility_id == post.facility_id
