"""Builders for the application tests: demo data, logged-in clients, files, the two steps."""

from __future__ import annotations

import io
import re

from PIL import Image
from sqlalchemy import select

from domain.accounts import Account, AccountStatus
from domain.demo import seed_demo
from domain.passwords import hash_password
from tests.web_support import csrf_token, login
from workflows import clock
from workflows.models import HumanTask, TaskStatus

STAFF_PASSWORD = "Staff-demo-2026"
FAMILY = ("family@example.tw", "Family-demo-2026")


def seed(app) -> None:
    database = app.extensions["db"]
    with database.transaction() as session:
        seed_demo(session)
    database.remove()


def make_family(app, email: str) -> tuple[str, str]:
    """A second verified family account (no national ID needed for these tests)."""
    database = app.extensions["db"]
    with database.transaction() as session:
        now = clock.now()
        session.add(
            Account(
                email=email,
                name="另一位家屬",
                role="family",
                password_hash=hash_password("Another-family-1"),
                status=AccountStatus.ACTIVE,
                created_at=now,
                verified_at=now,
                password_changed_at=now,
            )
        )
    database.remove()
    return email, "Another-family-1"


def logged_in(app, email: str, password: str):
    client = app.test_client()
    assert login(client, email, password).status_code == 302
    return client


def png(colour=(200, 30, 30)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), colour).save(buffer, "PNG")
    return buffer.getvalue()


# The proofs Dunpin asks for: an identity document and a relationship proof.
DUNPIN_PROOFS = {
    "id_document": (png(), "id.png"),
    "relationship_proof": (png((0, 90, 0)), "hh.png"),
}


def upload(data: bytes, name: str):
    return (io.BytesIO(data), name)


def choose(client, facility: str, call_number: str, relationship: str):
    """Step 1 from /applications/new; returns the response (a redirect when it was valid)."""
    token = csrf_token(client, "/applications/new")
    return client.post(
        "/applications/new",
        data={
            "csrf_token": token,
            "facility": facility,
            "call_number": call_number,
            "relationship": relationship,
        },
    )


def send_details(client, task_url: str, files: dict, **extra):
    token = csrf_token(client, task_url)
    data = {"csrf_token": token, "confirm": "y", "services": "contact_book", **extra}
    data.update({kind: upload(content, name) for kind, (content, name) in files.items()})
    return client.post(task_url, data=data, content_type="multipart/form-data")


def apply(client, facility: str, call_number: str, relationship: str, files: dict, **extra):
    """Both steps; returns the final response."""
    first = choose(client, facility, call_number, relationship)
    assert first.status_code == 302, first.get_data(as_text=True)
    location = first.headers["Location"]
    if "/tasks/" not in location:
        return first
    return send_details(client, location, files, **extra)


def open_tasks(app, **where) -> list[HumanTask]:
    database = app.extensions["db"]
    try:
        query = select(HumanTask).where(HumanTask.status == TaskStatus.OPEN)
        for column, value in where.items():
            query = query.where(getattr(HumanTask, column) == value)
        return database.session.scalars(query.order_by(HumanTask.id)).all()
    finally:
        database.remove()


def field_error(page: str, field: str) -> str:
    match = re.search(rf'id="{field}-error">([^<]*)<', page)
    return match.group(1) if match else ""
