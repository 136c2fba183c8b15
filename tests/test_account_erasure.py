"""Deleting an account: cases end, personal data and files go, staff records stay anonymous,
and a session still open elsewhere is logged out."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from sqlalchemy import select

from domain import crypto
from domain.accounts import Account, AccountStatus, find_by_national_id
from domain.applications import Application, ApplicationRound, ApplicationStatus, ContactBook
from domain.demo import FAMILY_NATIONAL_ID
from domain.files import StoredFile, storage_dir_for
from domain.login_sessions import LoginSession
from domain.notifications import Notification
from domain.posts import Post, PostStatus
from tests.application_support import FAMILY, logged_in, open_tasks, png, upload
from tests.conftest import read
from tests.post_support import decide, review_task, staff
from tests.privacy_support import build, stored
from tests.web_support import csrf_token, login, submit
from workflows.models import HumanTask, InstanceStatus, ProcessInstance, TaskHistory, TaskStatus


@pytest.fixture
def world(app):
    return build(app)


def _delete(client, password: str):
    return submit(client, "/account/delete", {"password": password, "understood": "y"})


def test_a_wrong_password_or_no_tick_deletes_nothing(app, world):
    assert _delete(world.family, "wrong password 1").status_code == 200
    assert submit(world.family, "/account/delete", {"password": FAMILY[1]}).status_code == 200
    [account] = read(app, select(Account).where(Account.id == world.account_id))
    assert account.email == FAMILY[0] and account.deleted_at is None


def test_deletion_erases_personal_data_and_keeps_staff_records_anonymous(app, world):
    storage = storage_dir_for(app.extensions["settings"].instance_path)
    # A staff decision to keep: the Taichung reviewer rejects the post, with a reason.
    assert (
        decide(staff(app, "reviewer", "taichung"), review_task(app), "reject", "廣告").status_code
        == 302
    )
    files = {f.id: f.path(storage) for f in stored(app, world.proof_ids)}
    [post] = read(app, select(Post).where(Post.id == world.post_id))
    post_files = [post.upload_file_id, post.photo_file_id, post.thumbnail_file_id]
    assert all(files.values()) and all(p.is_file() for p in files.values())
    elsewhere = logged_in(app, *FAMILY)  # the same family on another device
    instances = [
        i.id
        for i in read(
            app, select(ProcessInstance).where(ProcessInstance.owner_account_id == world.account_id)
        )
    ]

    response = _delete(world.family, FAMILY[1])
    assert response.status_code == 302

    [account] = read(app, select(Account).where(Account.id == world.account_id))
    assert account.name == "" and account.email.endswith("@erased.invalid")
    # Both browsers' log-ins are gone with it (elsewhere's too).
    assert read(app, select(LoginSession).where(LoginSession.account_id == account.id)) == []
    assert account.national_id_encrypted is None and account.national_id_hash is None
    assert account.birthday is None and account.mobile == "" and account.phone == ""
    assert account.status == AccountStatus.DISABLED and account.deleted_at is not None
    database = app.extensions["db"]
    try:
        assert find_by_national_id(database.session, FAMILY_NATIONAL_ID) is None
    finally:
        database.remove()
    assert crypto.is_configured()

    # Cases ended; the people inside are free for another family.
    books = read(app, select(ContactBook).where(ContactBook.account_id == world.account_id))
    assert {(b.status, b.active_inmate_id) for b in books} == {("ended", None)}
    applications = read(app, select(Application).where(Application.account_id == world.account_id))
    assert {a.open_inmate_id for a in applications} == {None}
    assert {a.status for a in applications} <= {
        ApplicationStatus.CLOSED,
        ApplicationStatus.APPROVED,
    }
    # Every instance about the family is stopped, no task of it is open, its data emptied.
    rows = read(app, select(ProcessInstance).where(ProcessInstance.id.in_(instances)))
    assert rows and all(r.status != InstanceStatus.RUNNING for r in rows)
    assert all('"erased": true' in r.state for r in rows)
    tasks = read(app, select(HumanTask).where(HumanTask.instance_id.in_(instances)))
    assert TaskStatus.OPEN not in {t.status for t in tasks}
    assert TaskStatus.CANCELLED in {t.status for t in tasks}  # the Dunpin review

    # Files and their content gone (the other family's file stays).
    assert stored(app, [*files, *post_files]) == []
    assert not any(p.is_file() for p in files.values())
    assert [f.id for f in stored(app, [world.other_file])] == [world.other_file]

    # The staff decision on the post stays, without the family's words.
    [post] = read(app, select(Post).where(Post.id == world.post_id))
    assert post.status == PostStatus.REJECTED and post.reason == "廣告"
    assert post.decided_by is not None and post.title == "" and post.body == ""
    history = read(app, select(TaskHistory).where(TaskHistory.instance_id == post.instance_id))
    staff_entries = [h for h in history if h.actor != f"account:{world.account_id}"]
    assert staff_entries and staff_entries[0].data["review"]["decision"] == "reject"
    family_entries = [h for h in history if h.actor == f"account:{world.account_id}"]
    assert family_entries and all(h.data == {"erased": True} for h in family_entries)
    # Mail records keep their dates but not the address or the text.
    mail = read(app, select(Notification).where(Notification.account_id == world.account_id))
    assert mail and {(m.destination, m.subject, m.body) for m in mail} == {("", "", "")}

    # The other session is logged out; the old login no longer works.
    response = elsewhere.get("/account")
    assert response.status_code == 302 and urlsplit(response.headers["Location"]).path == "/login"
    assert login(app.test_client(), *FAMILY).status_code == 200
    assert (
        read(app, select(StoredFile.id).where(StoredFile.owner_account_id == world.account_id))
        == []
    )


def test_deletion_empties_the_correction_note_and_keeps_the_decision(app, world):
    [review] = open_tasks(app, lane="Reviewer", search_key="1201")
    desk = staff(app, "reviewer", "dunpin")
    url = f"/tasks/{review.task_guid}"
    desk.post(
        url, data={"csrf_token": csrf_token(desk, url), "decision": "reject", "reason": "模糊"}
    )
    [correction] = open_tasks(app, lane="Family")
    url = f"/tasks/{correction.task_guid}"
    note = {"csrf_token": csrf_token(world.family, url), "note": "我住在台北市信義路五段7號"}
    note["relationship_proof"] = upload(png((5, 6, 7)), "p.png")
    assert world.family.post(url, data=note, content_type="multipart/form-data").status_code == 302
    assert _delete(world.family, FAMILY[1]).status_code == 302
    rounds = read(app, select(ApplicationRound).order_by(ApplicationRound.id))
    assert [(r.decision, r.reason) for r in rounds] == [("reject", "模糊"), ("correct", "")]
