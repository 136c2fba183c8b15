"""The process owner's side of the tests: the owner signed in, and a registration from the web
stopped at an incident."""

from __future__ import annotations

from sqlalchemy import select

from tests.application_support import STAFF_PASSWORD, logged_in
from tests.conftest import read
from tests.web_support import DETAILS, submit
from workflows.models import ProcessInstance


def _owner(app):
    return logged_in(app, "owner@example.tw", STAFF_PASSWORD)


def failed_registration(app, monkeypatch) -> int:
    """A registration from the web whose link could not be sent: an incident at `send_link`."""
    globals_ = app.extensions["engine"].runner.script_engine.environment.globals
    sent = globals_["send_verification_link"]

    def send_verification_link(account_id):
        raise RuntimeError("mail relay offline")

    monkeypatch.setitem(globals_, "send_verification_link", send_verification_link)
    visitor = app.test_client()
    task_url = submit(visitor, "/register", {"consent": "y"}).headers["Location"]
    submit(visitor, task_url, DETAILS)
    [row] = read(app, select(ProcessInstance).where(ProcessInstance.status == "incident"))
    assert row.incident_element == "send_link"
    monkeypatch.setitem(globals_, "send_verification_link", sent)  # the cause is fixed
    return row.id
