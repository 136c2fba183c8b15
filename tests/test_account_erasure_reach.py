"""Deleting an account reaches what is about the family beyond its own rows: the labels of its
instances (a suspension's), the replies written to it in its books, its notice preferences."""

from __future__ import annotations

import io
import json
import zipfile

from sqlalchemy import select

from domain.accounts import Account
from domain.files import StoredFile, storage_dir_for
from domain.notice_preferences import NoticePreference
from domain.replies import InmateReply
from domain.roster import masked_name
from domain.suspensions import Suspension
from tests.application_support import FAMILY, png
from tests.conftest import read
from tests.policy_support import DUNPIN_REPLIES, deploy_edited
from tests.post_support import enter_reply, family_with_book, reject_three, staff, start_reply
from tests.web_support import csrf_token, submit
from workflows.models import HumanTask, InstanceStatus, ProcessInstance, TaskHistory, TaskStatus

PREFERENCES = {
    "account": "both",
    "application": "sms",
    "post": "email",
    "suspension": "both",
    "reply": "sms",
    "institution_post": "off",
}


def _delete(client):
    response = submit(client, "/account/delete", {"password": FAMILY[1], "understood": "y"})
    assert response.status_code == 302


def _subjects(app, instance_ids) -> tuple[set, set]:
    instances = read(app, select(ProcessInstance).where(ProcessInstance.id.in_(instance_ids)))
    tasks = read(app, select(HumanTask).where(HumanTask.instance_id.in_(instance_ids)))
    return (
        {(i.subject_key, i.subject_label, i.search_key) for i in instances},
        {(t.subject_label, t.search_key) for t in tasks},
    )


def test_a_suspension_is_labelled_masked_and_deletion_clears_every_subject(app):
    family, book_id = family_with_book(app)
    [name] = read(app, select(Account.name).where(Account.email == FAMILY[0]))
    reject_three(app, family, book_id)
    [suspension] = read(app, select(Suspension))
    [label] = read(
        app,
        select(ProcessInstance.subject_label).where(ProcessInstance.id == suspension.instance_id),
    )
    assert label == masked_name(name) and label != name
    owned = select(ProcessInstance.id).where(
        ProcessInstance.owner_account_id == suspension.account_id
    )
    ids = {suspension.instance_id, *read(app, owned)}
    instances, tasks = _subjects(app, ids)
    assert len(ids) == 4 and (None, None, None) not in instances  # three posts, one suspension
    assert tasks and ("1201 林〇〇", "1201") in tasks  # the reviews, found by call number

    _delete(family)

    assert _subjects(app, ids) == ({(None, None, None)}, {(None, None)})


def _enter_reply(app, admin, book_id: int) -> None:
    assert enter_reply(admin, book_id, "謝謝媽媽，我是小明。", png((5, 6, 7))).status_code == 302


def test_replies_in_the_books_are_erased_with_their_scans_and_instances(app, tmp_path):
    deploy_edited(app, tmp_path, (DUNPIN_REPLIES, DUNPIN_REPLIES.replace("False", "True")))
    family, book_id = family_with_book(app)
    admin = staff(app, "facility_admin", "dunpin")
    _enter_reply(app, admin, book_id)
    assert "/tasks/" in start_reply(admin, book_id).headers["Location"]  # left half-typed
    [reply] = read(app, select(InmateReply))
    [scan] = read(app, select(StoredFile).where(StoredFile.id == reply.scan_file_id))
    scan_path = scan.path(storage_dir_for(app.extensions["settings"].instance_path))
    reply_ids = read(
        app, select(ProcessInstance.id).where(ProcessInstance.process_id == "inmate_reply")
    )
    assert scan_path.is_file() and len(reply_ids) == 2

    _delete(family)

    [reply] = read(app, select(InmateReply))
    assert (reply.body, reply.scan_file_id) == ("", None)
    assert reply.entered_by and reply.entered_at  # staff's record of the entry stays
    assert read(app, select(StoredFile).where(StoredFile.id == scan.id)) == []
    assert not scan_path.exists()
    instances = read(app, select(ProcessInstance).where(ProcessInstance.id.in_(reply_ids)))
    assert {i.status for i in instances} == {InstanceStatus.COMPLETED, InstanceStatus.CANCELLED}
    assert all(json.loads(i.state).get("erased") for i in instances)
    assert all("小明" not in i.state for i in instances)
    history = read(app, select(TaskHistory).where(TaskHistory.instance_id.in_(reply_ids)))
    assert history and all(h.data == {"erased": True} for h in history)
    tasks = read(app, select(HumanTask).where(HumanTask.instance_id.in_(reply_ids)))
    assert {t.status for t in tasks} == {TaskStatus.COMPLETED, TaskStatus.CANCELLED}
    assert _subjects(app, reply_ids) == ({(None, None, None)}, {(None, None)})


def test_notice_preferences_are_exported_and_deleted(app):
    family, _book_id = family_with_book(app)
    token = csrf_token(family, "/notifications/preferences")
    response = family.post("/notifications/preferences", data={"csrf_token": token, **PREFERENCES})
    assert response.status_code == 302
    export = family.get("/account/export", buffered=True)
    data = json.loads(zipfile.ZipFile(io.BytesIO(export.get_data())).read("data.json"))
    exported = {
        p["notice_group"]: (p["email"], p["sms"], p["account_id"])
        for p in data["notice_preferences"]
    }
    [account_id] = read(app, select(Account.id).where(Account.email == FAMILY[0]))
    assert exported["application"] == (False, True, account_id)
    assert exported["account"] == (True, True, account_id) and len(exported) == len(PREFERENCES)

    _delete(family)

    assert read(app, select(NoticePreference)) == []
