"""The reviewers' daily digest (once a day through the tick) and new-institution-post notices."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from domain.accounts import Account, Facility
from domain.notice_preferences import set_preferences
from domain.notifications import Notification
from domain.notify import notify_institution_post
from domain.roster import TAIPEI
from tests.application_support import FAMILY, apply, logged_in, make_family, png, seed
from tests.conftest import read
from tests.post_support import give_book, staff_email
from webapp.ticking import tick_once
from workflows import clock

PROOFS = {"id_document": (png(), "id.png"), "relationship_proof": (png((0, 90, 0)), "hh.png")}


def digests(app) -> list[tuple[str, str]]:
    """(destination, dedupe key) of every digest queued so far."""
    rows = read(app, select(Notification).where(Notification.category == "review_digest"))
    return sorted((row.destination, row.dedupe_key) for row in rows)


def reviewer_id(app, email: str) -> int:
    return read(app, select(Account.id).where(Account.email == email))[0]


def test_each_reviewer_gets_one_digest_a_day_of_open_work(app, mailbox):
    seed(app)
    family = logged_in(app, *FAMILY)
    clock.freeze(datetime(2027, 3, 1, 6, 30, tzinfo=TAIPEI))
    assert apply(family, "dunpin-school", "1201", "parent", PROOFS).status_code == 302
    tick_once(app)
    assert digests(app) == []  # before the digest hour

    clock.freeze(datetime(2027, 3, 1, 9, 0, tzinfo=TAIPEI))
    tick_once(app)
    tick_once(app)
    dunpin = staff_email("reviewer", "dunpin")
    key = f"digest:{reviewer_id(app, dunpin)}:2027-03-01"
    assert digests(app) == [(dunpin, key)]  # only the reviewer with open work, once
    message = mailbox.last()
    assert message["To"] == dunpin and "2027-03-01" in message["Subject"]
    assert "1 件待審核工作，其中 0 件已逾期" in message.get_content()

    clock.freeze(datetime(2027, 4, 15, 9, 0, tzinfo=TAIPEI))  # past the one-month deadline
    tick_once(app)
    assert len(digests(app)) == 2
    assert "1 of them overdue" in mailbox.last().get_content()


def facility_id(app, code: str) -> int:
    return read(app, select(Facility.id).where(Facility.code == code))[0]


def test_institution_post_goes_to_opted_in_families_of_the_facility(app, mailbox):
    seed(app)
    other, _ = make_family(app, "other@example.tw")
    third, _ = make_family(app, "third@example.tw")
    give_book(app, FAMILY[0], "taichung-detention", "0609")
    give_book(app, other, "taichung-detention", "0610")
    give_book(app, third, "dunpin-school", "1201")  # another facility
    taichung = facility_id(app, "taichung-detention")
    database = app.extensions["db"]
    with database.transaction() as session:
        ids = dict(session.execute(select(Account.email, Account.id)).all())
        set_preferences(session, ids[FAMILY[0]], {"institution_post": "both"})
        set_preferences(session, ids[third], {"institution_post": "email"})
        # `other` keeps the default: off.
        link = "http://localhost/institution/posts/5"
        assert notify_institution_post(session, taichung, "春節活動", link) == 1
        assert notify_institution_post(session, taichung, "春節活動", link) == 1  # a retry
    database.remove()
    rows = read(app, select(Notification).where(Notification.category == "institution_post"))
    assert sorted((r.channel, r.destination) for r in rows) == [
        ("email", FAMILY[0]),
        ("sms", "0912345678"),
    ]
    message = mailbox.last()
    assert "春節活動" in message["Subject"] and link in message.get_content()
    assert "臺中看守所" in message.get_content()


def test_a_line_break_in_a_title_does_not_stop_its_notice(app, mailbox):
    """A title posted with line breaks (a crafted form: the page's input has none) is one line
    in the subject; a header with a line break cannot be sent, so every family's notice of the
    post failed."""
    from tests.institution_support import desk, publish

    seed(app)
    give_book(app, FAMILY[0], "dunpin-school", "1201")
    database = app.extensions["db"]
    with database.transaction() as session:
        family = session.scalar(select(Account.id).where(Account.email == FAMILY[0]))
        set_preferences(session, family, {"institution_post": "email"})
    database.remove()
    publish(app, *desk(app, "dunpin"), title="春節\r\nBcc: x@example.tw\u2028活動")
    message = mailbox.last()
    assert "春節 Bcc: x@example.tw 活動" in message["Subject"] and message["Bcc"] is None
    [row] = read(app, select(Notification).where(Notification.category == "institution_post"))
    assert row.status == "sent" and "\n" not in row.subject


def test_no_digest_without_open_work(app):
    seed(app)
    clock.freeze(datetime(2027, 3, 1, 9, 0, tzinfo=TAIPEI) + timedelta(hours=1))
    tick_once(app)
    assert digests(app) == []
