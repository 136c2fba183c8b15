"""Uploads never filed are erased the policy's number of days (upload_retention.dmn: 30) after
they were uploaded; filed files, and files a live instance still names, stay however old."""

from __future__ import annotations

import io
import re
import threading
from datetime import timedelta

from sqlalchemy import select

from domain.accounts import Account
from domain.applications import ApplicationDocument
from domain.audit import AuditEvent
from domain.files import StoredFile, storage_dir_for, store_bytes
from domain.replies import InmateReply
from domain.upload_retention import expire_unfiled_uploads, names_files
from tests.application_support import (
    FAMILY,
    choose,
    field_error,
    logged_in,
    make_family,
    open_tasks,
    png,
    seed,
    send_details,
    upload,
)
from tests.conftest import read
from tests.institution_support import desk, publish
from tests.policy_support import DUNPIN_REPLIES, deploy_edited
from tests.post_support import compose, enter_reply, give_book, posts, staff, start_post
from tests.privacy_support import build, stored
from tests.web_support import csrf_token
from webapp.ticking import tick_once
from workflows import clock
from workflows.cancellation import cancel_instances
from workflows.decisions import evaluate
from workflows.held_ids import ids_in_state
from workflows.models import InstanceStatus, ProcessInstance

KEEPER = "keeper.retention@example.tw"  # a family whose forms were refused, then never sent
RETAINED = timedelta(days=31)  # past the policy's 30 days
PROOFS = {
    "id_document": (png((1, 1, 1)), "id.png"),
    "relationship_proof": (png((2, 2, 2)), "hh.png"),
}


def test_the_period_comes_from_the_dmn_table(app):
    database, engine = app.extensions["db"], app.extensions["engine"]
    try:
        rules = evaluate(engine, database.session, "upload_retention", {})
    finally:
        database.remove()
    assert rules["unfiled_upload_days"] == 30


def test_old_unfiled_uploads_go_young_ones_and_filed_files_stay_however_old(app, tmp_path):
    world = build(app)  # proofs of an application in review, a post's photo, another's upload
    filed = {
        "proofs": set(world.proof_ids),
        "post photo": {posts(app)[0].photo_file_id, posts(app)[0].thumbnail_file_id},
        "reply scan": {reply_with_scan(app, tmp_path)},
        "institution files": institution_files(app),
    }
    forgotten = {world.other_file, kept_proof(app), kept_photo_of_a_draft(app)}
    assert all(ids and None not in ids for ids in filed.values())
    kept = set().union(*filed.values())
    assert {f.id for f in read(app, select(StoredFile))} == kept | forgotten
    assert kept <= named_in_instance_data(app)  # the convention the retention relies on
    paths = {f.id: f.path(storage(app)) for f in stored(app, kept | forgotten)}

    clock.advance(RETAINED)  # the post draft has expired on the way (after 7 days)
    young = store_file(app, png((123, 45, 67)))
    tick_once(app)
    assert {f.id for f in stored(app, kept | forgotten | {young})} == kept | {young}
    assert not any(paths[i].exists() for i in forgotten)
    assert all(paths[i].is_file() for i in kept)
    [event] = audit_events(app)
    assert (event.actor, event.facility_id, event.object_type) == ("system", None, "file")
    assert event.after == {"files": 3, "file_ids": sorted(forgotten), "kept_days": 30}

    tick_once(app)  # nothing left to do
    assert {f.id for f in stored(app, kept | {young})} == kept | {young}
    assert len(audit_events(app)) == 1

    clock.advance(timedelta(days=365))  # filed files stay however old
    tick_once(app)
    assert {f.id for f in stored(app, kept | {young})} == kept


def test_an_upload_a_failed_step_left_in_task_data_stays_until_the_retry_files_it(app, monkeypatch):
    proof_ids = proofs_of_an_incident(app, monkeypatch)
    clock.advance(RETAINED)
    tick_once(app)
    assert len(stored(app, proof_ids)) == 2  # the instance may still be retried

    monkeypatch.undo()  # the cause of the incident is fixed
    [instance] = read(app, select(ProcessInstance).where(ProcessInstance.status == "incident"))
    database = app.extensions["db"]
    with database.transaction() as session:
        app.extensions["engine"].retry(session, instance.id)
    database.remove()
    documents = read(app, select(ApplicationDocument.file_id))
    assert set(documents) == proof_ids
    clock.advance(RETAINED)
    tick_once(app)
    assert len(stored(app, proof_ids)) == 2  # filed now


def test_an_upload_of_a_cancelled_instance_goes(app, monkeypatch):
    proof_ids = proofs_of_an_incident(app, monkeypatch)
    [instance] = read(app, select(ProcessInstance).where(ProcessInstance.status == "incident"))
    database = app.extensions["db"]
    with database.transaction() as session:
        cancel_instances(session, [instance.id], "system")
    database.remove()
    clock.advance(RETAINED)
    tick_once(app)
    assert stored(app, proof_ids) == []


def test_a_page_naming_a_kept_file_that_is_gone_asks_for_it_again(app):
    seed(app)
    family = logged_in(app, *FAMILY)
    assert (
        send_details(family, choose_url(family, "dunpin-school", "1201"), PROOFS).status_code == 302
    )
    [review] = open_tasks(app, lane="Reviewer")
    reviewer = staff(app, "reviewer", "dunpin")
    url = f"/tasks/{review.task_guid}"
    data = {"csrf_token": csrf_token(reviewer, url), "decision": "reject", "reason": "模糊"}
    assert reviewer.post(url, data=data).status_code == 302
    [correction] = open_tasks(app, lane="Family")
    url = f"/tasks/{correction.task_guid}"
    new_proof = {"relationship_proof": upload(png((3, 3, 3)), "new.png")}
    data = {"csrf_token": csrf_token(family, url), **new_proof}  # no note: refused, file kept
    page = family.post(url, data=data, content_type="multipart/form-data").get_data(as_text=True)
    [(field, kept_id)] = kept_ids(page).items()

    clock.advance(RETAINED)  # the correction may take 90 days; the page's kept file is gone
    tick_once(app)
    assert stored(app, [int(kept_id)]) == []
    data = {"csrf_token": csrf_token(family, url), "note": "已重傳", f"{field}_kept": kept_id}
    response = family.post(url, data=data, content_type="multipart/form-data")
    assert response.status_code == 200  # not sent without the file the family chose
    assert "不再保留" in field_error(response.get_data(as_text=True), field)
    assert [t.task_guid for t in open_tasks(app, lane="Family")] == [correction.task_guid]


def test_two_runs_at_once_erase_each_file_once(app):
    seed(app)
    file_ids = {store_file(app, png((i, 7, 7))) for i in range(6)}
    clock.advance(RETAINED)
    database, results, errors = app.extensions["db"], [], []
    barrier = threading.Barrier(2)

    def run() -> None:
        try:
            barrier.wait()
            with database.transaction() as session:
                results.append(expire_unfiled_uploads(session, storage(app), 30))
        except Exception as exc:  # noqa: BLE001  (reported by the assertion below)
            errors.append(exc)
        finally:
            database.remove()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == [] and sum(results) == len(file_ids)
    assert stored(app, file_ids) == []
    assert sum(e.after["files"] for e in audit_events(app)) == len(file_ids)


# Builders


def storage(app):
    return storage_dir_for(app.extensions["settings"].instance_path)


def store_file(app, data: bytes, email: str = FAMILY[0]) -> int:
    """An upload nothing refers to, stored now; its id."""
    database = app.extensions["db"]
    with database.transaction() as session:
        owner = session.scalar(select(Account.id).where(Account.email == email))
        file_id = store_bytes(
            session, storage(app), data, original_name="x.png", owner_account_id=owner
        ).id
    database.remove()
    return file_id


def choose_url(client, facility: str, call_number: str, relationship: str = "parent") -> str:
    response = choose(client, facility, call_number, relationship)
    assert response.status_code == 302 and "/tasks/" in response.headers["Location"], response
    return response.headers["Location"]


def kept_ids(page: str) -> dict[str, str]:
    """field name -> the stored file id a page carries back as kept."""
    return dict(re.findall(r'name="(\w+)_kept" value="(\d+)"', page))


def kept_proof(app) -> int:
    """A proof accepted beside a refused one, on an application then never sent."""
    family = logged_in(app, *make_family(app, KEEPER))
    url = choose_url(family, "yunlin-second-prison", "2301")
    files = {
        "id_document": (b"not an image", "id.jpg"),
        "relationship_proof": (png((33, 66, 99)), "hh.png"),
    }
    page = send_details(family, url, files).get_data(as_text=True)
    return int(kept_ids(page)["relationship_proof"])


def kept_photo_of_a_draft(app) -> int:
    """A photo accepted beside a refused title, on a post draft then never sent."""
    book_id = give_book(app, KEEPER, "taichung-detention", "0609")
    family = logged_in(app, KEEPER, "Another-family-1")
    url = start_post(family, book_id).headers["Location"]
    photo = (io.BytesIO(png((44, 88, 132))), "kids.png")
    page = compose(family, url, title="長" * 200, photo=photo).get_data(as_text=True)
    return int(kept_ids(page)["photo"])


def reply_with_scan(app, tmp_path) -> int:
    """Dunpin switches replies on; its admin enters one with a scan. The scan's id."""
    deploy_edited(app, tmp_path, (DUNPIN_REPLIES, DUNPIN_REPLIES.replace("False", "True")))
    book_id = give_book(app, FAMILY[0], "dunpin-school", "1202")
    admin = staff(app, "facility_admin", "dunpin")
    assert enter_reply(admin, book_id, "謝謝。", png((5, 5, 5))).status_code == 302
    [reply] = read(app, select(InmateReply))
    return reply.scan_file_id


def institution_files(app) -> set[int]:
    """The photo and attachment of a published institution post."""
    admin, supervisor = desk(app, "dunpin")
    post = publish(
        app,
        admin,
        supervisor,
        photo=(png((20, 120, 40)), "event.png"),
        attachment=(png((70, 70, 70)), "plan.png"),
    )
    return {post.photo_file_id, post.attachment_file_id}


def proofs_of_an_incident(app, monkeypatch) -> set[int]:
    """The family sends its proofs and the step filing them fails: an incident, the proofs
    named only in the instance's data."""
    import domain.application_ops

    def roster_offline(*_args, **_kwargs):
        raise RuntimeError("roster offline")

    seed(app)
    family = logged_in(app, *FAMILY)
    url = choose_url(family, "dunpin-school", "1201")
    monkeypatch.setattr(domain.application_ops, "active_restriction", roster_offline)
    send_details(family, url, PROOFS)
    [instance] = read(app, select(ProcessInstance))
    assert instance.status == InstanceStatus.INCIDENT
    assert read(app, select(ApplicationDocument)) == []
    proof_ids = ids_in_state(instance.state, names_files)
    assert len(stored(app, proof_ids)) == 2
    return proof_ids


def named_in_instance_data(app) -> set[int]:
    """The file ids every instance's data names, whatever its status."""
    named: set[int] = set()
    for instance in read(app, select(ProcessInstance)):
        named |= ids_in_state(instance.state, names_files)
    return named


def audit_events(app) -> list[AuditEvent]:
    return read(app, select(AuditEvent).where(AuditEvent.action == "file.expire_unfiled"))
