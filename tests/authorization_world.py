"""The world the authorization matrix runs in: two families, staff of two facilities, and the
objects whose ids appear in URLs (tasks, proofs, outcomes, roster rows), built once per module.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from domain import links
from domain.accounts import Account, Facility
from domain.applications import Application, ApplicationDocument
from domain.posts import Post
from domain.roster import Inmate, Restriction, local_today
from domain.special_projects import SpecialProject
from domain.suspensions import Suspension, active_key
from tests.application_support import (
    DUNPIN_PROOFS,
    FAMILY,
    STAFF_PASSWORD,
    apply,
    choose,
    make_family,
    png,
    seed,
)
from tests.authorization_institution import InstitutionWorld, build_institution_world
from tests.post_support import decide, give_book, photo_jobs_done, send_post
from tests.web_support import csrf_token, login
from workflows import clock
from workflows.models import HumanTask

OTHER_FAMILY = "other@example.tw"
STAFF = {
    f"{role}.{site}": (f"{role}.{site}@example.tw", STAFF_PASSWORD)
    for site in ("dunpin", "taichung")
    for role in ("reviewer", "supervisor", "admin")
}
# Every kind of visitor the matrix asks about, in the order each case tries them.
ACTORS = (
    "anonymous",
    "family",
    "other_family",
    *STAFF,
    "owner",
    "auditor",
)
TAICHUNG_PROOFS = {"relationship_proof": (png((0, 0, 90)), "hh.png")}


@dataclass
class World:
    """Logged-in clients (each with a CSRF token of its session) and the ids the URLs carry."""

    app: Flask
    clients: dict[str, FlaskClient]
    tokens: dict[str, str]
    accounts: dict[str, int]
    dunpin_review: str  # the Reviewer-lane task of the family's Dunpin application (1201)
    taichung_review: str  # the same of the other family's Taichung application (0609)
    family_step: str  # the family's unfinished application (1202): its Family-lane task
    pending_instance: int  # the instance of the family's Dunpin application
    ineligible_instance: int  # the family's second try for 1201, refused and finished
    dunpin_proof: int
    taichung_proof: int
    dunpin_inmate: int  # 1201
    restricted_inmate: int  # 1202
    taichung_inmate: int  # 0609
    started_restriction: int  # of 1202, began last week (the admin may end it)
    future_restriction: int  # of 1202, begins tomorrow (the admin may delete it)
    altered_verify_token: str
    altered_reset_token: str
    altered_email_token: str  # a link to confirm a new e-mail address, altered
    post_instance: int  # the family's post to 0610 at Taichung, waiting for review
    post_review: str  # its Reviewer-lane task
    post_photo: int  # its processed photo
    suspension: int  # the family's suspension at Taichung, in force
    taichung_book: int  # the family's contact book for 0610 at Taichung
    reply_instance: int  # a Taichung admin's reply attempt (replies are off: finished)
    special_project: int  # a Taichung supervisor's grant to the family
    approved_post: int  # the other family's post to 0612 at Taichung, approved, not delivered
    institution: InstitutionWorld  # institution posts and announcements

    def scalar(self, statement):
        """One value from the app's database, the session closed at once (tests hold no locks)."""
        database = self.app.extensions["db"]
        try:
            return database.session.scalar(statement)
        finally:
            database.remove()


def _client(app: Flask, number: int) -> FlaskClient:
    """A browser of its own address, so one actor's requests never spend another's rate limit."""
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = f"10.0.0.{number}"
    return client


def _altered(token: str) -> str:
    """The token with the first character of its signature changed (every bit of it counts)."""
    head, _, signature = token.rpartition(".")
    return f"{head}.{'B' if signature[0] == 'A' else 'A'}{signature[1:]}"


def _task_guid(location: str) -> str:
    path = urlsplit(location).path
    assert path.startswith("/tasks/"), location
    return path.removeprefix("/tasks/")


def build_world(app: Flask) -> World:
    """Seed the demo data, log everyone in and make the objects the URLs point at."""
    seed(app)
    logins = {"family": FAMILY, "other_family": make_family(app, OTHER_FAMILY), **STAFF}
    logins |= {"owner": ("owner@example.tw", STAFF_PASSWORD)}
    logins |= {"auditor": ("auditor@example.tw", STAFF_PASSWORD)}
    clients = {actor: _client(app, n) for n, actor in enumerate(ACTORS, start=1)}
    for actor, (email, password) in logins.items():
        assert login(clients[actor], email, password).status_code == 302, actor
    # A token of each session, from a page with a form (a visitor's home page has none).
    tokens = {
        actor: csrf_token(client, "/" if actor in logins else "/login")
        for actor, client in clients.items()
    }

    family, other = clients["family"], clients["other_family"]
    assert apply(family, "dunpin-school", "1201", "parent", DUNPIN_PROOFS).status_code == 302
    assert apply(other, "taichung-detention", "0609", "spouse", TAICHUNG_PROOFS).status_code == 302
    refused = choose(family, "dunpin-school", "1201", "parent")  # already pending: refused
    ineligible = int(refused.headers["Location"].rsplit("/", 1)[1])
    family_step = _task_guid(choose(family, "dunpin-school", "1202", "parent").headers["Location"])

    database = app.extensions["db"]
    with database.transaction() as session:
        accounts = {
            actor: session.scalar(select(Account.id).where(Account.email == email))
            for actor, (email, _password) in logins.items()
        }
        reviews, proofs, instances = {}, {}, {}
        for code in ("dunpin-school", "taichung-detention"):
            application = session.scalar(
                select(Application).join(Facility).where(Facility.code == code)
            )
            instances[code] = application.instance_id
            reviews[code] = session.scalar(
                select(HumanTask.task_guid).where(
                    HumanTask.instance_id == application.instance_id, HumanTask.lane == "Reviewer"
                )
            )
            proofs[code] = session.scalar(
                select(ApplicationDocument.file_id)
                .where(ApplicationDocument.application_id == application.id)
                .order_by(ApplicationDocument.id)
            )
        inmates = {
            number: session.scalar(select(Inmate.id).where(Inmate.call_number == number))
            for number in ("1201", "1202", "0609")
        }
        today = local_today()
        started = Restriction(kind="discipline", starts_on=today - timedelta(days=7))
        future = Restriction(kind="medical_isolation", starts_on=today + timedelta(days=1))
        restricted = session.get(Inmate, inmates["1202"])
        restricted.restrictions.extend([started, future])
        session.flush()
        family_account = session.get(Account, accounts["family"])
        reset = links.reset_token(family_account.id, family_account.password_stamp)
        verify = links.verification_token(family_account.id, "nonce")
        email_change = links.email_change_token(
            family_account.id, family_account.email, "new.family@example.tw"
        )
        restriction_ids = started.id, future.id
    database.remove()

    taichung_book = give_book(app, FAMILY[0], "taichung-detention", "0610")
    post_instance, post_review, post_photo = _post_world(app, family, taichung_book)
    reply_instance = _reply_world(app, clients["admin.taichung"], taichung_book)
    suspension, special_project = _staff_decisions(app, accounts)
    _notice_override(app)
    approved = _approved_post(app, other, clients["reviewer.taichung"])

    # The Dunpin review starts claimed, so "unclaim" by a stranger has something to undo.
    claim = f"/inbox/tasks/{reviews['dunpin-school']}/claim"
    desk = clients["reviewer.dunpin"]
    assert desk.post(claim, data={"csrf_token": tokens["reviewer.dunpin"]}).status_code == 303

    world = World(
        app=app,
        clients=clients,
        tokens=tokens,
        accounts=accounts,
        dunpin_review=reviews["dunpin-school"],
        taichung_review=reviews["taichung-detention"],
        family_step=family_step,
        pending_instance=instances["dunpin-school"],
        ineligible_instance=ineligible,
        dunpin_proof=proofs["dunpin-school"],
        taichung_proof=proofs["taichung-detention"],
        dunpin_inmate=inmates["1201"],
        restricted_inmate=inmates["1202"],
        taichung_inmate=inmates["0609"],
        started_restriction=restriction_ids[0],
        future_restriction=restriction_ids[1],
        altered_verify_token=_altered(verify),
        altered_reset_token=_altered(reset),
        altered_email_token=_altered(email_change),
        post_instance=post_instance,
        post_review=post_review,
        post_photo=post_photo,
        suspension=suspension,
        special_project=special_project,
        taichung_book=taichung_book,
        reply_instance=reply_instance,
        approved_post=approved,
        institution=build_institution_world(app, accounts),
    )
    _assert_invalid(world.altered_verify_token, links.read_verification_token)
    _assert_invalid(world.altered_reset_token, links.read_reset_token)
    _assert_invalid(world.altered_email_token, links.read_email_change_token)
    return world


@contextmanager
def world_app(schema, folder: Path) -> Iterator[World]:
    """An app of its own on the test database (files in `folder`), with the world built in it;
    afterwards its jobs finish and every row is deleted. For a module that shares one world."""
    from tasks.worker import drain
    from tests.conftest import empty_tables, make_test_app

    app = make_test_app(schema.url, folder)
    try:
        yield build_world(app)
    finally:
        drain()
        app.extensions["db"].dispose()
        empty_tables(schema)


@pytest.fixture(scope="module")
def world(_schema, mail_worker, tmp_path_factory):
    """One app and one world for the whole matrix (logging in a dozen actors once)."""
    with world_app(_schema, tmp_path_factory.mktemp("authorization")) as built:
        yield built


def _reply_world(app: Flask, admin: FlaskClient, book_id: int) -> int:
    """A Taichung admin's attempt to enter a reply (refused: replies are off there)."""
    token = csrf_token(admin, "/books")
    response = admin.post(f"/books/{book_id}/reply", data={"csrf_token": token})
    return int(response.headers["Location"].rsplit("/", 1)[1])


def _post_world(app: Flask, family: FlaskClient, book_id: int) -> tuple[int, str, int]:
    """The family's post with a photo to 0610 at Taichung, prepared and waiting for review."""
    photo = (io.BytesIO(png((10, 20, 200))), "kids.png")  # unlike any proof's content
    assert send_post(family, book_id, photo=photo).status_code == 302
    photo_jobs_done(app)
    database = app.extensions["db"]
    with database.transaction() as session:
        post = session.scalar(select(Post))
        review = session.scalar(
            select(HumanTask.task_guid).where(
                HumanTask.instance_id == post.instance_id, HumanTask.bpmn_id == "review"
            )
        )
        found = post.instance_id, review, post.photo_file_id
    database.remove()
    assert all(found), found
    return found


def _staff_decisions(app: Flask, accounts: dict[str, int]) -> tuple[int, int]:
    """A suspension of the family at Taichung, and a special project granted to it there."""
    database = app.extensions["db"]
    now = clock.now()
    with database.transaction() as session:
        taichung = session.scalar(select(Facility.id).where(Facility.code == "taichung-detention"))
        family = accounts["family"]
        suspension = Suspension(
            account_id=family,
            facility_id=taichung,
            starts_at=now,
            ends_at=now + timedelta(days=30),
            active_key=active_key(family, taichung),
        )
        project = SpecialProject(
            account_id=family,
            facility_id=taichung,
            starts_at=now,
            ends_at=now + timedelta(days=30),
            reason="authorization world",
            granted_by=accounts["supervisor.taichung"],
            granted_at=now,
        )
        session.add_all([suspension, project])
        session.flush()
        ids = suspension.id, project.id
    database.remove()
    return ids


def _notice_override(app: Flask) -> None:
    """Taichung's own wording of the reply notice (only a Taichung admin may drop it)."""
    from domain.notice_render import Texts
    from domain.notice_templates import save_override

    database = app.extensions["db"]
    with database.transaction() as session:
        taichung = session.scalar(select(Facility.id).where(Facility.code == "taichung-detention"))
        texts = Texts("回覆", "{name}", "Reply", "{name}")
        save_override(session, "inmate_reply", taichung, texts, None, clock.now())
    database.remove()


def _approved_post(app: Flask, other: FlaskClient, reviewer: FlaskClient) -> int:
    """The other family's text post to 0612 at Taichung, approved: waiting for delivery."""
    book_id = give_book(app, OTHER_FAMILY, "taichung-detention", "0612")
    assert send_post(other, book_id, title="平安").status_code == 302
    database = app.extensions["db"]
    with database.transaction() as session:
        post = session.scalar(select(Post).where(Post.book_id == book_id))
        review = session.scalar(
            select(HumanTask.task_guid).where(
                HumanTask.instance_id == post.instance_id, HumanTask.bpmn_id == "review"
            )
        )
        post_id = post.id
    database.remove()
    assert decide(reviewer, review, "approve").status_code == 302
    return post_id


def _assert_invalid(token: str, read) -> None:
    """Guard the fixture itself: an "altered" token that still verified would prove nothing."""
    try:
        read(token)
    except links.InvalidLink:
        return
    raise AssertionError(f"the altered token {token} still verifies")
