"""A registration that ends without an account keeps nothing of the visitor: not in the
instance, not in the task history, not in the mail records. Nor does one never finished, and
nobody can start them without end."""

from __future__ import annotations

import json
from datetime import timedelta

from sqlalchemy import select

from domain import links
from domain.accounts import Account, AccountStatus
from domain.notifications import Notification, NotificationStatus
from tests.conftest import read
from tests.web_support import DETAILS, csrf_token, mailed_path, register, submit, verify
from workflows import clock
from workflows.models import HumanTask, InstanceStatus, ProcessInstance, TaskHistory, TaskStatus

IMPOSTOR = {"name": "冒名者", "national_id": "B100000002", "mobile": "0987654321"}
PERSONAL = ("name", "email", "birthday", "mobile", "phone")


def _tick(app, delta: timedelta) -> None:
    clock.advance(delta)
    engine, db = app.extensions["engine"], app.extensions["db"]
    with db.transaction() as session:
        engine.tick(session)
    db.remove()


def _text(instance: ProcessInstance, app) -> str:
    """The instance's state and history as readable text (no \\u escapes)."""
    history = read(app, select(TaskHistory).where(TaskHistory.instance_id == instance.id))
    held = [json.loads(instance.state), [h.data for h in history]]
    return json.dumps(held, ensure_ascii=False)


def _assert_erased(app, instance: ProcessInstance, details: dict) -> None:
    assert instance.status == InstanceStatus.COMPLETED
    assert json.loads(instance.state) == {"data": {}, "erased": True}
    history = read(app, select(TaskHistory).where(TaskHistory.instance_id == instance.id))
    assert history and all(h.data == {"erased": True} for h in history)
    text = _text(instance, app)
    for field in PERSONAL:
        assert details[field] not in text, field


def test_taken_address_leaves_no_details_in_instance_history_or_mail(app, client, mailbox):
    register(client)
    verify(client, mailed_path(mailbox.last()))
    impostor = {**DETAILS, **IMPOSTOR}
    register(app.test_client(), **IMPOSTOR)
    assert "註冊未完成" in mailbox.last()["Subject"]  # the owner is still told
    [kept, failed] = read(app, select(ProcessInstance).order_by(ProcessInstance.id))
    assert failed.owner_account_id is None
    _assert_erased(app, failed, impostor)
    assert read(app, select(Notification).where(Notification.account_id.is_(None))) == []
    # The owner's notice is on the owner's record, and holds nothing the impostor typed.
    [reply] = read(app, select(Notification).where(Notification.category.like("registration%")))
    assert reply.status == NotificationStatus.SENT and reply.account_id is not None
    assert reply.destination == DETAILS["email"]
    for field in PERSONAL:
        assert impostor[field] not in reply.subject + reply.body or field == "email", field
    assert "王小明" in _text(kept, app)  # a verified account's registration is its own


def test_never_verified_registration_leaves_nothing_behind(app, client, mailbox):
    register(client)
    mailbox.last()
    assert read(app, select(Notification))
    _tick(app, timedelta(minutes=11))
    _tick(app, timedelta(days=7))
    assert read(app, select(Account)) == []
    [instance] = read(app, select(ProcessInstance))
    _assert_erased(app, instance, DETAILS)
    assert read(app, select(Notification)) == []


def test_the_registration_leaves_the_instance_once_the_account_has_it(app, client, mailbox):
    register(client)
    [instance] = read(app, select(ProcessInstance))
    [account] = read(app, select(Account))
    assert instance.status == InstanceStatus.RUNNING
    for key in ("password_hash", "national_id_encrypted", "national_id_hash"):
        assert key not in instance.state
        assert getattr(account, key) not in instance.state
    state = json.dumps(json.loads(instance.state), ensure_ascii=False)
    for field in PERSONAL:  # the account row holds them; a copy would only go stale
        assert DETAILS[field] not in state, field
    assert "A12****789" not in state
    verify(client, mailed_path(mailbox.last()))  # the link still works without them
    assert read(app, select(Account))[0].password_hash.startswith("$argon2")


def test_details_not_entered_within_a_day_end_the_registration(app, client):
    task_url = submit(client, "/register", {"consent": "y"}).headers["Location"]
    _tick(app, timedelta(hours=23, minutes=59))
    [instance] = read(app, select(ProcessInstance))
    assert instance.status == InstanceStatus.RUNNING
    _tick(app, timedelta(minutes=2))
    [instance] = read(app, select(ProcessInstance))
    assert instance.status == InstanceStatus.COMPLETED and instance.next_timer_at is None
    assert json.loads(instance.state) == {"data": {}, "erased": True}
    [history] = read(app, select(TaskHistory))
    assert history.bpmn_id == "accept_notice" and history.data == {"erased": True}
    [details] = read(app, select(HumanTask).where(HumanTask.bpmn_id == "enter_details"))
    assert details.status == TaskStatus.CANCELLED
    assert client.get(task_url).status_code == 302  # the step is gone
    late = client.post(task_url, data={"csrf_token": csrf_token(client, "/register"), **DETAILS})
    assert late.status_code in (302, 404)
    assert read(app, select(Account)) == []


def test_starting_registrations_is_rate_limited(app):
    codes = [
        submit(app.test_client(), "/register", {"consent": "y"}).status_code for _ in range(11)
    ]
    assert codes == [302] * 10 + [429]
    assert len(read(app, select(ProcessInstance))) == 10


def test_an_erased_accounts_link_says_nothing_of_a_later_account_with_its_id(app, client, mailbox):
    register(client)
    old = mailed_path(mailbox.last())
    _tick(app, timedelta(minutes=11))
    _tick(app, timedelta(days=7))  # never verified: erased
    register(app.test_client())
    verify(app.test_client(), mailed_path(mailbox.last()))
    [later] = read(app, select(Account))
    # SQLite gives the freed id again; PostgreSQL never does, and the link then names nobody.
    old_id = links.read_verification_token(old.rsplit("/", 1)[1])[0]
    dialect = app.extensions["db"].engine.dialect.name
    assert later.status == AccountStatus.ACTIVE and (later.id == old_id or dialect != "sqlite")
    response = client.get(old)
    assert response.status_code == 400 and "已完成驗證" not in response.get_data(as_text=True)
