"""Builders for the institution contact book tests: an admin's post, the supervisor's decision."""

from __future__ import annotations

import io

from sqlalchemy import select

from domain.institution_posts import InstitutionPost
from tests.application_support import open_tasks, png
from tests.web_support import csrf_token

NEW = "/institution-book/new"


def write_post(admin, title="十一月懇親活動", body="歡迎家屬參加。", photo=None, attachment=None):
    """The admin's POST of a new post; files as (bytes, name) pairs."""
    data = {"csrf_token": csrf_token(admin, NEW), "title": title, "body": body}
    if photo is not None:
        data["photo"] = (io.BytesIO(photo[0]), photo[1])
    if attachment is not None:
        data["attachment"] = (io.BytesIO(attachment[0]), attachment[1])
    return admin.post(NEW, data=data, content_type="multipart/form-data")


def task_of(app, bpmn_id: str) -> str:
    [task] = open_tasks(app, bpmn_id=bpmn_id, process_id="institution_post")
    return task.task_guid


def decide(supervisor, task_guid: str, decision: str, reason: str = ""):
    url = f"/tasks/{task_guid}"
    data = {"csrf_token": csrf_token(supervisor, url), "decision": decision, "reason": reason}
    return supervisor.post(url, data=data)


def institution_posts(app) -> list[InstitutionPost]:
    database = app.extensions["db"]
    try:
        return database.session.scalars(select(InstitutionPost).order_by(InstitutionPost.id)).all()
    finally:
        database.remove()


def publish(app, admin, supervisor, **fields) -> InstitutionPost:
    """Write a post and have it approved; the published row."""
    assert write_post(admin, **fields).status_code == 302
    assert decide(supervisor, task_of(app, "approve"), "approve").status_code == 302
    return institution_posts(app)[-1]


def a_photo() -> tuple[bytes, str]:
    return png((20, 120, 40)), "event.png"


def desk(app, short: str):
    """The facility admin and the supervisor of a facility ('dunpin'), logged in."""
    from tests.post_support import staff

    return staff(app, "facility_admin", short), staff(app, "supervisor", short)
