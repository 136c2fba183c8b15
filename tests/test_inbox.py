"""The inbox queries: tabs and counts, facility and lane scope, call-number search, sort, pages."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from tests.engine_support import make_engine, set_columns
from tests.inbox_support import T0, add_task, dummy_instance
from tests.sql_support import statements_run
from workflows import Actor, TaskAlreadyCompleted, TaskHeldByOther, clock
from workflows.inbox import (
    InboxQuery,
    filter_choices,
    list_tasks,
    tab_counts,
    tab_counts_and_choices,
)
from workflows.models import HumanTask, TaskStatus

REVIEWER = Actor(account_id=10, roles=frozenset({"reviewer"}), facility_id=1)
SUPERVISOR = Actor(account_id=12, roles=frozenset({"supervisor"}), facility_id=1)
FAMILY = Actor(account_id=7, roles=frozenset({"family"}))


def guids(page_or_rows) -> list[str]:
    rows = getattr(page_or_rows, "rows", page_or_rows)
    return [r.task_guid for r in rows]


def query(actor: Actor, **filters) -> InboxQuery:
    return InboxQuery.for_actor(actor, **filters)


@pytest.fixture
def session(db):
    session = db.session
    yield session
    db.remove()


@pytest.fixture
def scene(session):
    """Facility 1 and 2 tasks in every state and lane the inbox must tell apart."""
    i = dummy_instance(session)
    rows = {
        "mine": add_task(session, i, 1, "0609", assignee_id=10),
        "colleague": add_task(session, i, 1, "0610", assignee_id=11),
        "free": add_task(session, i, 1, "0611"),
        "supervisor": add_task(
            session, i, 1, "0612", lane="Supervisor", bpmn_id="supervisor_review"
        ),
        "family": add_task(session, i, 1, "0609", lane="Family", bpmn_id="correct_application"),
        "done": add_task(session, i, 1, "0609", status=TaskStatus.COMPLETED),
        "elsewhere": add_task(session, i, 2, "0609"),
        "elsewhere_mine": add_task(session, i, 2, "2301", assignee_id=10),
    }
    return {name: row.task_guid for name, row in rows.items()}


def test_tabs_return_the_right_rows_and_counts(session, scene):
    expected = {
        "mine": [scene["mine"]],
        "unassigned": [scene["free"]],
        "all": [scene["mine"], scene["colleague"], scene["free"]],
    }
    for tab, wanted in expected.items():
        page = list_tasks(session, query(REVIEWER, tab=tab))
        assert sorted(guids(page)) == sorted(wanted), tab
        assert page.total == len(wanted)
    assert tab_counts(session, query(REVIEWER, tab="mine")) == {
        "mine": 1,
        "unassigned": 1,
        "all": 3,
    }


def test_supervisor_sees_reviewer_and_supervisor_lanes_never_family_or_other_facility(
    session, scene
):
    assert query(SUPERVISOR).lanes == frozenset({"Reviewer", "Supervisor"})
    rows = guids(list_tasks(session, query(SUPERVISOR)))
    assert sorted(rows) == sorted([scene[k] for k in ("mine", "colleague", "free", "supervisor")])
    for name in ("family", "done", "elsewhere", "elsewhere_mine"):
        assert scene[name] not in rows


def test_another_facility_never_appears_even_when_assigned_to_me(session, scene):
    page = list_tasks(session, query(REVIEWER, tab="mine"))
    assert guids(page) == [scene["mine"]]
    other = Actor(account_id=10, roles=frozenset({"reviewer"}), facility_id=2)
    assert sorted(guids(list_tasks(session, query(other)))) == sorted(
        [scene["elsewhere"], scene["elsewhere_mine"]]
    )


def test_facility_admin_sees_only_its_own_lane(session, scene):
    admin = Actor(account_id=13, roles=frozenset({"facility_admin"}), facility_id=1)
    assert list_tasks(session, query(admin)).total == 0
    row = add_task(session, dummy_instance(session), 1, None, lane="FacilityAdmin")
    assert guids(list_tasks(session, query(admin))) == [row.task_guid]


def test_search_matches_a_call_number_exactly_or_as_a_prefix(session):
    i = dummy_instance(session)
    keys = ["0609", "06091", "0610", "1609", "060:", "0699", "07", "9990", "A12", None]
    rows = {key: add_task(session, i, 1, key).task_guid for key in keys}

    def found(term):
        return sorted(r.search_key for r in list_tasks(session, query(REVIEWER, search=term)).rows)

    assert found("0609") == ["0609", "06091"]
    assert found("０６０９ ") == ["0609", "06091"]  # full-width digits, as a phone may type them
    assert found("06") == ["0609", "06091", "060:", "0610", "0699"]
    assert found("069") == ["0699"]  # "069" → upper bound "07", which itself is excluded
    assert found("999") == ["9990"]  # no upper bound at all
    assert found("A12") == ["A12"]  # not a number: exact match only
    assert found("A1") == []
    assert found("5") == []
    assert tab_counts(session, query(REVIEWER, search="0609"))["all"] == 2
    assert len(rows) == len(keys)


def test_filters_narrow_rows_and_counts_but_counts_ignore_the_tab(session):
    i = dummy_instance(session)
    add_task(session, i, 1, "0609", assignee_id=10)
    add_task(session, i, 1, "0610", bpmn_id="supervisor_review", title="Decide the project")
    add_task(session, i, 1, "0611", process_id="post_review", bpmn_id="review", title="Post")
    q = query(REVIEWER, tab="mine", process_id="service_application", bpmn_id="review")
    assert tab_counts(session, q) == {"mine": 1, "unassigned": 0, "all": 1}
    assert tab_counts(session, query(REVIEWER, bpmn_id="review")) == {
        "mine": 1,
        "unassigned": 1,
        "all": 2,
    }
    assert [r.search_key for r in list_tasks(session, query(REVIEWER, bpmn_id="review")).rows] == [
        "0609",
        "0611",
    ]


def test_tab_counts_and_choices_give_the_same_counts_and_menus_in_one_pass(session, scene):
    i = dummy_instance(session)
    add_task(session, i, 1, "0620", process_id="post_review", title="Post", assignee_id=12)
    add_task(session, i, 1, "0621", bpmn_id="supervisor_review", lane="Supervisor")
    for filters in (
        {},
        {"tab": "mine"},
        {"process_id": "service_application"},
        {"process_id": "post_review", "bpmn_id": "review"},
        {"bpmn_id": "review"},
        {"process_id": "nothing"},
        {"search": "0609"},
    ):
        q = query(SUPERVISOR, **filters)
        expected = (tab_counts(session, q), filter_choices(session, 1, q.lanes))
        assert tab_counts_and_choices(session, q) == expected, filters


def test_sort_by_due_date_puts_no_deadline_last_then_oldest_first(session):
    i = dummy_instance(session)
    day = timedelta(days=1)
    add_task(session, i, 1, "a", created_at=T0, due_at=None)
    add_task(session, i, 1, "b", created_at=T0 + day, due_at=T0 + 20 * day)
    add_task(session, i, 1, "c", created_at=T0 + 2 * day, due_at=T0 + 10 * day)
    add_task(session, i, 1, "d", created_at=T0 - day, due_at=T0 + 20 * day)
    add_task(session, i, 1, "e", created_at=T0 - 2 * day, due_at=None)

    def order(sort):
        return [r.search_key for r in list_tasks(session, query(REVIEWER, sort=sort)).rows]

    assert order("due") == ["c", "d", "b", "e", "a"]
    assert order("age") == ["e", "d", "a", "b", "c"]


def test_supervisor_pages_merge_both_lanes_in_due_order(session):
    i, hour = dummy_instance(session), timedelta(hours=1)
    made = []
    for n in range(40):
        lane = "Supervisor" if n % 3 == 0 else "Reviewer"
        due = None if n % 7 == 0 else T0 + (n * 37 % 40) * hour
        mine = SUPERVISOR.account_id if n % 5 == 0 else None
        row = add_task(
            session,
            i,
            1,
            f"{n:04d}",
            lane=lane,
            due_at=due,
            created_at=T0 + n * hour,
            assignee_id=mine,
        )
        made.append((due is None, due or T0, row.created_at, row.id, row.task_guid, mine))
    for tab, wanted in (("all", made), ("unassigned", [m for m in made if m[-1] is None])):
        expected = [m[4] for m in sorted(wanted)]
        pages = [
            list_tasks(session, query(SUPERVISOR, tab=tab, page=p, per_page=15)) for p in (1, 2, 3)
        ]
        assert [guid for page in pages for guid in guids(page)] == expected, tab


def test_pages_split_the_list_without_gaps_or_overlap(session):
    i = dummy_instance(session)
    made = [
        add_task(session, i, 1, f"{n:04d}", created_at=T0 + timedelta(minutes=n)).task_guid
        for n in range(30)
    ]
    first = list_tasks(session, query(REVIEWER, sort="age"))
    second = list_tasks(session, query(REVIEWER, sort="age", page=2))
    assert (first.total, first.pages, first.has_prev, first.has_next) == (30, 2, False, True)
    assert (len(second.rows), second.has_prev, second.has_next) == (5, True, False)
    assert guids(first) + guids(second) == made
    assert list_tasks(session, query(REVIEWER, page=3)).rows == []


def test_filter_choices_list_distinct_open_tasks_in_scope(session, scene):
    add_task(session, dummy_instance(session), 1, "0613")  # the same task again: listed once
    assert filter_choices(session, 1, frozenset({"Reviewer", "Supervisor"})) == [
        ("service_application", "review", "Review the application"),
        ("service_application", "supervisor_review", "Review the application"),
    ]
    assert filter_choices(session, 3, frozenset({"Reviewer"})) == []


def test_bad_tab_or_sort_is_refused():
    with pytest.raises(ValueError):
        query(REVIEWER, tab="everything")
    with pytest.raises(ValueError):
        query(REVIEWER, sort="name")
    with pytest.raises(ValueError):  # a process owner has no facility: no inbox to list
        query(Actor(account_id=5, roles=frozenset({"process_owner"})))


def test_tasks_made_by_the_engine_appear_move_between_tabs_and_leave_when_done(session):
    engine = make_engine(session)
    clock.freeze(T0)
    instance = engine.start(session, "test_review", FAMILY, {"max_chars": 50}, facility_id=1)
    compose = session.scalar(select(HumanTask).where(HumanTask.instance_id == instance.id))
    assert (
        list_tasks(session, query(REVIEWER)).total == 0
    )  # the family's own task is not staff work
    engine.complete(session, compose.task_guid, FAMILY, {"message": "hello"})
    [review] = list_tasks(session, query(REVIEWER, tab="unassigned")).rows
    assert (review.bpmn_id, review.due_at) == ("review", T0 + timedelta(days=30))
    engine.assign(session, review.task_guid, REVIEWER, REVIEWER.account_id)
    assert tab_counts(session, query(REVIEWER)) == {"mine": 1, "unassigned": 0, "all": 1}
    engine.complete(session, review.task_guid, REVIEWER, {"verdict": "reject"})
    assert tab_counts(session, query(REVIEWER)) == {"mine": 0, "unassigned": 0, "all": 0}


def test_a_claim_takes_only_a_free_task_and_names_who_holds_a_taken_one(session):
    engine = make_engine(session)
    instance = engine.start(session, "test_review", FAMILY, {"max_chars": 50}, facility_id=1)
    compose = session.scalar(select(HumanTask).where(HumanTask.instance_id == instance.id))
    engine.complete(session, compose.task_guid, FAMILY, {"message": "hello"})
    [review] = list_tasks(session, query(REVIEWER)).rows
    colleague = Actor(account_id=11, roles=frozenset({"reviewer"}), facility_id=1)
    assert engine.claim(session, review.task_guid, colleague).assignee_id == 11
    assert engine.claim(session, review.task_guid, colleague).assignee_id == 11  # again: fine
    with pytest.raises(TaskHeldByOther) as held:
        engine.claim(session, review.task_guid, REVIEWER)
    assert held.value.assignee_id == 11
    session.expire_all()
    assert session.scalar(select(HumanTask.assignee_id).where(HumanTask.id == review.id)) == 11
    engine.complete(session, review.task_guid, colleague, {"verdict": "reject"})
    with pytest.raises(TaskAlreadyCompleted):
        engine.claim(session, review.task_guid, REVIEWER)


def test_a_transferred_persons_open_task_moves_to_the_new_facilitys_inbox(session):
    engine = make_engine(session)
    instance = engine.start(session, "test_review", FAMILY, {"max_chars": 50}, facility_id=1)
    compose = session.scalar(select(HumanTask).where(HumanTask.instance_id == instance.id))
    engine.complete(session, compose.task_guid, FAMILY, {"message": "hello"})
    [review] = list_tasks(session, query(REVIEWER)).rows
    engine.assign(session, review.task_guid, REVIEWER, REVIEWER.account_id)
    set_columns(session, instance, subject_key="inmate:12")
    engine.move_subject(session, "inmate:12", facility_id=2)
    other = Actor(account_id=21, roles=frozenset({"reviewer"}), facility_id=2)
    assert list_tasks(session, query(REVIEWER)).total == 0
    assert guids(list_tasks(session, query(other, tab="unassigned"))) == [review.task_guid]


def explain(connection, statement: str, parameters) -> str:
    """The plan the database picks for one captured statement, as one string."""
    if connection.dialect.name == "postgresql":
        rows = connection.exec_driver_sql("EXPLAIN " + statement, parameters).all()
        return "\n".join(r[0] for r in rows)
    rows = connection.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters).all()
    return "\n".join(str(r[-1]) for r in rows)


def test_inbox_queries_are_answered_from_the_human_task_indexes(db, session, scene):
    """Every statement reads an index of human_task; none scans the table (seq scans off on PG,
    where a tiny table would otherwise rightly be read whole)."""
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql("SET LOCAL enable_seqscan = off")
    with statements_run(db.engine, with_parameters=True) as captured:
        for tab in ("mine", "unassigned", "all"):
            q = query(SUPERVISOR, tab=tab)
            tab_counts(session, q)
            tab_counts_and_choices(session, q)
            list_tasks(session, q)
            list_tasks(session, query(SUPERVISOR, tab=tab, search="0609", sort="age"))
        filter_choices(session, 1, frozenset({"Reviewer"}))
    plans = [explain(connection, s, p) for s, p in captured]
    assert len(plans) == 19  # per tab: counts, counts+menus, page and search (count + rows each)
    for (statement, _), plan in zip(captured, plans, strict=True):
        assert "ix_human_task_" in plan, (statement, plan)
        assert "SCAN human_task\n" not in plan + "\n" and "Seq Scan" not in plan, plan
    searches = [p for (s, _), p in zip(captured, plans, strict=True) if "substr" in s]
    assert searches
    if connection.dialect.name == "sqlite":
        # SQLite's planner picks by rule: a search must go through the call-number index.
        # PostgreSQL picks by cost, and on a table of a few rows either index is cheapest;
        # bench/inbox.py shows the search index chosen at 10,000 open / 200,000 done tasks.
        assert all("ix_human_task_search" in p for p in searches), searches


def test_a_search_counts_and_lists_menus_in_one_statement_read_from_indexes(db, session, scene):
    """The search's counts and the menus are one round trip; each part reads a human_task index."""
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql("SET LOCAL enable_seqscan = off")
    with statements_run(db.engine, with_parameters=True) as captured:
        tab_counts_and_choices(session, query(SUPERVISOR, search="0609"))
    [(statement, parameters)] = captured
    plan = explain(connection, statement, parameters)
    assert "SCAN human_task\n" not in plan + "\n" and "Seq Scan" not in plan, plan
    if connection.dialect.name == "sqlite":
        assert "ix_human_task_search" in plan and "ix_human_task_tabs" in plan, plan
