"""Filling human_task for bench/inbox.py: 10,000 open tasks over the three demo facilities and
200,000 completed ones, in batches, with realistic lanes, processes, due dates and assignees."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import timedelta
from time import perf_counter
from uuid import UUID

from sqlalchemy import insert, select

from domain.accounts import Account, Facility
from domain.demo import seed_demo
from workflows import clock
from workflows.models import HumanTask, ProcessInstance, ProcessVersion, TaskStatus

OPEN_TASKS, DONE_TASKS = 10_000, 200_000

# lane -> [(weight, process_id, bpmn_id, title, days until due or None)]
TASK_KINDS = {
    "Reviewer": [
        (4, "service_application", "review", "審核服務申請 Review the application", 30),
        (6, "post_review", "review_post", "審核家庭聯絡簿 Review the post", 7),
    ],
    "Supervisor": [
        (1, "service_application", "supervisor_review", "專案申請審核 Special project", 0),
        (1, "service_application", "supervisor_review", "專案申請審核 Special project", 30),
    ],
    "FacilityAdmin": [(1, "delivery", "print_posts", "列印 Print posts", 1)],
    "Family": [(1, "service_application", "correct_application", "補正 Correct", None)],
}
LANES = [("Reviewer", 80), ("Supervisor", 8), ("FacilityAdmin", 4), ("Family", 8)]


def task_rows(rng, facilities, staff, family_id, instances, count, status) -> Iterator[dict]:
    """`count` human-task rows of the given status, spread over facilities and lanes."""
    now = clock.now()
    lanes, lane_weights = zip(*LANES, strict=True)
    for i in range(count):
        facility = facilities[i % len(facilities)]
        lane = rng.choices(lanes, lane_weights)[0]
        kinds = TASK_KINDS[lane]
        _, process_id, bpmn_id, title, due_days = rng.choices(kinds, [k[0] for k in kinds])[0]
        age = timedelta(
            days=rng.uniform(0, 60) if status == TaskStatus.OPEN else rng.uniform(60, 720)
        )
        created = now - age
        call = f"{rng.randint(1, 3000):04d}"
        assigned = lane != "Family" and rng.random() < 0.25
        yield {
            "instance_id": instances[facility],
            "task_guid": str(UUID(int=rng.getrandbits(128), version=4)),
            "process_id": process_id,
            "bpmn_id": bpmn_id,
            "title": title,
            "form_key": "ReviewForm",
            "lane": lane,
            "facility_id": facility,
            "owner_account_id": family_id if lane == "Family" else None,
            "assignee_id": rng.choice(staff[facility]) if assigned else None,
            "subject_label": f"{call} 李〇〇",
            "search_key": call,
            "status": status,
            "created_at": created,
            "due_at": created + timedelta(days=due_days) if due_days is not None else None,
            "completed_by": None if status == TaskStatus.OPEN else "account:1",
            "completed_at": None if status == TaskStatus.OPEN else created + timedelta(days=3),
        }


def fill(db) -> str:
    """Demo accounts, one instance per facility, then the tasks; returns a call number to find."""
    rng = random.Random(20260301)
    with db.transaction() as session:
        seed_demo(session)
        facilities = list(session.scalars(select(Facility.id).order_by(Facility.id)))
        staff = {f: [] for f in facilities}
        for account in session.scalars(select(Account).where(Account.facility_id.is_not(None))):
            if account.role in ("reviewer", "supervisor"):
                staff[account.facility_id].append(account.id)
        family_id = session.scalar(select(Account.id).where(Account.role == "family"))
        now = clock.now()
        session.add(ProcessVersion(hash="b" * 64, files={}, deployed_at=now))
        session.flush()
        instances = {}
        for facility in facilities:  # human tasks may share an instance: only the FK needs one
            instance = ProcessInstance(
                version_hash="b" * 64,
                process_id="bench",
                state="{}",
                serializer_version="1",
                started_by="bench",
                facility_id=facility,
                created_at=now,
                updated_at=now,
            )
            session.add(instance)
            session.flush()
            instances[facility] = instance.id
    db.remove()
    began = perf_counter()
    for status, count in ((TaskStatus.OPEN, OPEN_TASKS), (TaskStatus.COMPLETED, DONE_TASKS)):
        rows = task_rows(rng, facilities, staff, family_id, instances, count, status)
        batch: list[dict] = []
        for row in rows:
            batch.append(row)
            if len(batch) == 10_000:
                insert_batch(db, batch)
                batch = []
        if batch:
            insert_batch(db, batch)
    with db.engine.connect() as conn:
        if conn.dialect.name == "postgresql":
            conn.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql(
                "VACUUM ANALYZE human_task"  # what autovacuum does soon after a bulk load
            )
    print(f"  filled {OPEN_TASKS + DONE_TASKS:,} tasks in {perf_counter() - began:.1f} s")
    return searched_call_number(db, facilities[0])


def insert_batch(db, batch: list[dict]) -> None:
    """One executemany INSERT of a batch (insertmanyvalues on PostgreSQL)."""
    with db.transaction() as session:
        session.execute(insert(HumanTask.__table__), batch)
    db.remove()


def searched_call_number(db, facility_id: int) -> str:
    """The call number of one open Reviewer task at the measured facility."""
    key = db.session.scalar(
        select(HumanTask.search_key)
        .where(
            HumanTask.status == TaskStatus.OPEN,
            HumanTask.facility_id == facility_id,
            HumanTask.lane == "Reviewer",
        )
        .order_by(HumanTask.id.desc())
        .limit(1)
    )
    db.remove()
    return key
