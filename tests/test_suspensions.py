"""Three rejections suspend a family at a facility for a period; a timer or staff lift it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from domain.accounts import Account, Facility
from domain.suspensions import Suspension, active_key
from tests.application_support import FAMILY, field_error
from tests.post_support import (
    decide,
    family_with_book,
    reject_three,
    review_task,
    send_post,
    staff,
    start_post,
    suspensions,
)
from tests.web_support import csrf_token
from webapp.ticking import tick_once
from workflows import SYSTEM, clock

START = datetime(2027, 1, 31, 2, 0, tzinfo=UTC)  # 10:00 in Taipei, on the 31st


def test_third_rejection_suspends_posting_for_a_calendar_month(app, mailbox):
    family, book_id = family_with_book(app)
    clock.freeze(START)
    reject_three(app, family, book_id)
    [suspension] = suspensions(app)
    # P1M by the calendar: Jan 31 → Feb 28 (SpiffWorkflow alone would say Mar 3).
    assert suspension.ends_at == datetime(2027, 2, 28, 2, 0, tzinfo=UTC)
    message = mailbox.last()
    assert "暫停" in message["Subject"] and "2027-02-28 10:00" in message.get_content()
    refused = family.get(start_post(family, book_id).headers["Location"])
    page = refused.get_data(as_text=True)
    assert "停權" in page or "暫停" in page
    assert "2027-02-28 10:00" in page


def test_the_period_ending_lifts_it_and_the_count_starts_again(app, mailbox):
    family, book_id = family_with_book(app)
    clock.freeze(START)
    reject_three(app, family, book_id)
    clock.freeze(datetime(2027, 2, 28, 1, 59, tzinfo=UTC))
    tick_once(app)
    assert suspensions(app)[0].lifted_at is None
    clock.freeze(datetime(2027, 2, 28, 2, 0, 1, tzinfo=UTC))
    tick_once(app)
    [suspension] = suspensions(app)
    assert suspension.lifted_at is not None and suspension.lifted_by == "timer"
    assert "恢復" in mailbox.last()["Subject"]
    compose = family.get(start_post(family, book_id).headers["Location"])
    assert "目前退件 0 次" in compose.get_data(as_text=True)


def test_staff_lift_it_early_with_a_reason(app, mailbox):
    family, book_id = family_with_book(app)
    reject_three(app, family, book_id)
    [suspension] = suspensions(app)
    admin = staff(app, "facility_admin", "dunpin")
    listing = admin.get("/suspensions").get_data(as_text=True)
    assert "王小美" in listing and "3 則退件" in listing  # who, and why
    url = f"/suspensions/{suspension.id}/lift"
    refused = admin.post(url, data={"csrf_token": csrf_token(admin, "/suspensions")})
    assert refused.status_code == 200 and suspensions(app)[0].lifted_at is None
    page = refused.get_data(as_text=True)
    assert field_error(page, f"reason-{suspension.id}") == "請填寫原因。"  # beside its field
    field = f'id="reason-{suspension.id}" name="reason" required maxlength="500" aria-invalid'
    assert field in page
    lifted = admin.post(
        url, data={"csrf_token": csrf_token(admin, "/suspensions"), "reason": "家庭支持專案"}
    )
    assert lifted.status_code == 302
    [suspension] = suspensions(app)
    assert suspension.lifted_at is not None and suspension.lift_reason == "家庭支持專案"
    assert "家庭支持專案" in mailbox.last().get_content()
    assert "/tasks/" in start_post(family, book_id).headers["Location"]


def test_another_facility_cannot_lift_it(app):
    family, book_id = family_with_book(app)
    reject_three(app, family, book_id)
    [suspension] = suspensions(app)
    other = staff(app, "facility_admin", "taichung")
    token = csrf_token(other, "/suspensions")
    response = other.post(
        f"/suspensions/{suspension.id}/lift", data={"csrf_token": token, "reason": "x"}
    )
    assert response.status_code == 404 and suspensions(app)[0].lifted_at is None


def test_suspension_after_filing_blocks_approval_with_the_reason(app):
    family, book_id = family_with_book(app)
    send_post(family, book_id, title="新的一篇")
    reviewer, pending = staff(app, "reviewer", "dunpin"), review_task(app)
    suspend_by_hand(app)  # as if three other posts were rejected meanwhile
    page = reviewer.get(f"/tasks/{pending}").get_data(as_text=True)
    assert "暫停" in page
    response = decide(reviewer, pending, "approve")
    assert response.status_code == 200 and "暫停" in response.get_data(as_text=True)
    assert decide(reviewer, pending, "reject", "停權中").status_code == 302


def suspend_by_hand(app) -> None:
    """A suspension of the demo family at Dunpin, in force for 30 days."""
    database = app.extensions["db"]
    with database.transaction() as session:
        family = session.scalar(select(Account).where(Account.email == FAMILY[0]))
        dunpin = session.scalar(select(Facility).where(Facility.code == "dunpin-school"))
        session.add(
            Suspension(
                account_id=family.id,
                facility_id=dunpin.id,
                starts_at=clock.now(),
                ends_at=clock.now() + timedelta(days=30),
                active_key=active_key(family.id, dunpin.id),
            )
        )
    database.remove()


def test_a_second_suspension_request_while_one_is_in_force_starts_nothing(app, mailbox):
    family, book_id = family_with_book(app)
    reject_three(app, family, book_id)
    [first] = suspensions(app)
    engine, database = app.extensions["engine"], app.extensions["db"]
    with database.transaction() as session:
        data = {
            "account_id": first.account_id,
            "facility_id": first.facility_id,
            "rejections": 4,
            "suspension_period": "P1M",
        }
        instance = engine.start(session, "suspension", SYSTEM, data)
        outcome = engine.final_data(instance)["suspension"]
    database.remove()
    assert outcome["started"] is False and len(suspensions(app)) == 1
