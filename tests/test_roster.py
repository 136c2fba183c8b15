"""The roster: finding a person, restrictions in force by calendar day, transfers with open work."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from domain.accounts import Facility
from domain.roster import (
    RESTRICTION_KINDS,
    Inmate,
    Restriction,
    active_restriction,
    active_restrictions,
    find_inmate,
    local_today,
    masked_name,
)
from domain.roster_operations import (
    RestrictionNotStarted,
    TransferError,
    end_restriction,
    transfer_inmate,
)
from forms.roster import RESTRICTION_LABELS
from tests.engine_support import make_engine, set_columns
from workflows import Actor, clock
from workflows.models import HumanTask, InstanceStatus, TaskStatus

FAMILY = Actor(account_id=7, roles=frozenset({"family"}))


def make_facility(session, code: str) -> Facility:
    facility = Facility(code=code, name_zh=code, name_en=code)
    session.add(facility)
    session.flush()
    return facility


def make_inmate(session, facility: Facility, call_number: str, name: str = "李大明") -> Inmate:
    inmate = Inmate(facility_id=facility.id, call_number=call_number, name=name)
    session.add(inmate)
    session.flush()
    return inmate


@pytest.fixture
def roster(db):
    """Two facilities; 0609 at the first, 0609 and 0700 at the second."""
    session = db.session
    a, b = make_facility(session, "facility-a"), make_facility(session, "facility-b")
    people = {
        "a0609": make_inmate(session, a, "0609"),
        "b0609": make_inmate(session, b, "0609", "王小明"),
        "b0700": make_inmate(session, b, "0700"),
    }
    session.commit()
    return session, a, b, people


def restrict(session, inmate, starts_on, ends_on=None, kind="court_ban") -> Restriction:
    restriction = Restriction(inmate_id=inmate.id, kind=kind, starts_on=starts_on, ends_on=ends_on)
    session.add(restriction)
    session.flush()
    return restriction


def test_masked_name_and_label_show_only_the_first_character(roster):
    _session, _a, _b, people = roster
    assert masked_name("李大明") == "李〇〇" and masked_name("") == ""
    assert people["a0609"].display_label == "0609 李〇〇"


def test_find_inmate_needs_the_exact_facility_and_call_number(roster):
    session, _a, _b, people = roster
    assert find_inmate(session, "facility-a", "0609") is people["a0609"]
    assert find_inmate(session, "facility-a", " 0609 ") is people["a0609"]
    assert find_inmate(session, "facility-a", "0700") is None  # exists only at facility-b
    assert find_inmate(session, "no-such-facility", "0609") is None


@pytest.mark.parametrize(
    ("on", "in_force"),
    [
        (date(2026, 2, 28), False),  # the day before the first day
        (date(2026, 3, 1), True),  # the first day
        (date(2026, 3, 15), True),
        (date(2026, 3, 31), True),  # the last day is included
        (date(2026, 4, 1), False),  # the day after
    ],
)
def test_active_restriction_includes_both_end_days(roster, on, in_force):
    session, _a, _b, people = roster
    restriction = restrict(session, people["a0609"], date(2026, 3, 1), date(2026, 3, 31))
    found = active_restriction(session, people["a0609"].id, on)
    assert (found is restriction) is in_force
    assert restriction.in_force(on) is in_force
    assert active_restriction(session, people["b0609"].id, on) is None


def test_open_ended_restriction_stays_in_force_and_earliest_is_reported(roster):
    session, _a, _b, people = roster
    ban = restrict(session, people["a0609"], date(2026, 1, 1))
    restrict(session, people["a0609"], date(2026, 5, 1), date(2026, 5, 3), kind="discipline")
    assert active_restriction(session, people["a0609"].id, date(2026, 5, 2)) is ban
    assert active_restriction(session, people["a0609"].id, date(2040, 1, 1)) is ban
    assert active_restriction(session, people["a0609"].id, date(2025, 12, 31)) is None
    page = active_restrictions(session, [p.id for p in people.values()], date(2026, 5, 2))
    assert page == {people["a0609"].id: ban}


def test_today_is_the_taipei_calendar_day():
    clock.freeze(datetime(2026, 3, 31, 16, 30, tzinfo=UTC))  # 1 April, 00:30 in Taipei
    assert local_today() == date(2026, 4, 1)


def test_every_restriction_kind_has_a_label():
    assert set(RESTRICTION_LABELS) == set(RESTRICTION_KINDS)


def test_lifting_makes_yesterday_the_last_day(roster):
    session, _a, _b, people = roster
    ban = restrict(session, people["a0609"], date(2026, 1, 1))
    end_restriction(ban, date(2026, 3, 10))
    assert ban.ends_on == date(2026, 3, 9)
    assert active_restriction(session, people["a0609"].id, date(2026, 3, 10)) is None
    later = restrict(session, people["a0609"], date(2026, 3, 10), kind="discipline")
    with pytest.raises(RestrictionNotStarted):
        end_restriction(later, date(2026, 3, 10))  # began today: delete it instead


def start_review_about(session, engine, inmate: Inmate, facility_id: int):
    """A small process at `facility_id` about `inmate`, waiting in the reviewers' inbox."""
    instance = engine.start(
        session, "test_review", FAMILY, {"max_chars": 100}, facility_id=facility_id
    )
    set_columns(session, instance, subject_key=f"inmate:{inmate.id}")
    [compose] = session.scalars(select(HumanTask).where(HumanTask.instance_id == instance.id))
    engine.complete(session, compose.task_guid, FAMILY, {"message": "hello"})
    [review] = session.scalars(
        select(HumanTask).where(
            HumanTask.instance_id == instance.id, HumanTask.status == TaskStatus.OPEN
        )
    )
    return instance, review


def test_transfer_moves_open_tasks_to_the_new_facility(roster):
    session, a, _b, people = roster
    c = make_facility(session, "facility-c")
    engine = make_engine(session)
    person = people["a0609"]
    instance, review = start_review_about(session, engine, person, a.id)
    review.assignee_id = 20
    other, other_review = start_review_about(session, engine, people["b0700"], a.id)
    assert transfer_inmate(session, person, c.id, engine) == 1
    assert person.facility_id == c.id
    assert (instance.facility_id, review.facility_id, review.assignee_id) == (c.id, c.id, None)
    assert (other.facility_id, other_review.facility_id) == (a.id, a.id)  # someone else's work
    assert instance.status == InstanceStatus.RUNNING
    assert find_inmate(session, "facility-c", "0609") is person
    assert find_inmate(session, "facility-a", "0609") is None


def test_transfer_refuses_a_call_number_the_new_facility_has(roster):
    session, a, b, people = roster
    engine = make_engine(session)
    person = people["a0609"]
    _instance, review = start_review_about(session, engine, person, a.id)
    with pytest.raises(TransferError) as refused:
        transfer_inmate(session, person, b.id, engine)
    assert refused.value.reason == TransferError.CALL_NUMBER_TAKEN
    assert "facility-b already has a person with call number 0609" in str(refused.value)
    assert (person.facility_id, review.facility_id) == (a.id, a.id)
    with pytest.raises(TransferError) as same:
        transfer_inmate(session, person, a.id, engine)
    assert same.value.reason == TransferError.SAME_FACILITY
