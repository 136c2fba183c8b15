"""Engine cost per step, beside the bare SpiffWorkflow cycle of the same step, on a real database.

For SQLite (temp dir) and PostgreSQL (BENCH_DATABASE_URL, default the local `test` database, in
a throwaway schema that is dropped at the end; skipped with a note when unreachable) it prints the
median and p90, in ms, of:

  start     engine.start + commit            vs  BpmnWorkflow + do_engine_steps + dumps
  complete  engine.complete + commit         vs  loads + task.run + do_engine_steps + dumps
  tick      engine.tick + commit, 1 due      vs  loads + refresh_timers + do_engine_steps + dumps

For each complete step it also prints the database's share: the time spent inside the driver's
execute and commit calls (mostly waiting for the server: BEGIN, the read, the write, the COMMIT
with its WAL flush). An engine step cannot take less than its bare cycle plus that share. And
it prints the least write transaction the database allows (BEGIN, read one row, update one row,
COMMIT), whatever the engine does: the machine's floor under the share.

Target: complete <= 3x its bare cycle. Then it deploys 3 new versions of the BPMN and shows that
an older instance row keeps its size and still finishes on its own version. It never asserts.

Run: .venv/bin/python bench/engine.py    (BENCH_RUNS=500 timed runs per step by default)
"""

from __future__ import annotations

import os
import statistics
from datetime import UTC, datetime, timedelta
from pathlib import Path
from time import perf_counter

from _bare import Bare
from _database_share import database_share, driver_stopwatch, least_write, round_trip
from _engine_db import postgres_schema, sqlite_database
from sqlalchemy import event, func, select

from workflows import Actor, WorkflowEngine, clock
from workflows.models import (
    HumanTask,
    InstanceStatus,
    ProcessInstance,
    ProcessVersion,
    TaskHistory,
    TaskStatus,
)
from workflows.operations import OperationRegistry
from workflows.specs import read_folder

RUNS = int(os.environ.get("BENCH_RUNS", "500"))
WARMUP = 20
PG_URL = os.environ.get("BENCH_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
BPMN = Path(__file__).parent / "bpmn"
PROCESS = "bench_review"
FORM_KEYS = frozenset({"BenchComposeForm", "BenchReviewForm"})
FAMILY = Actor(account_id=7, roles=frozenset({"family"}))
REVIEWER = Actor(account_id=20, roles=frozenset({"reviewer"}), facility_id=1)
COMPOSED, REVIEWED = {"message": "hello, dad"}, {"verdict": "approve"}
T0 = datetime(2030, 1, 1, tzinfo=UTC)  # tick instances start here
LATER = T0 + timedelta(days=365)  # every other instance starts here: never due in a tick
ENGINE_TABLES = [m.__table__ for m in (ProcessVersion, ProcessInstance, HumanTask, TaskHistory)]


def make_engine(session) -> WorkflowEngine:
    """An engine with the bench's own operation and forms, the bench BPMN deployed."""
    registry = OperationRegistry()

    @registry.register
    def bench_count_chars(message: str) -> int:
        return len(message)

    engine = WorkflowEngine(registry, FORM_KEYS)
    engine.versions.deploy(session, read_folder(BPMN))
    session.commit()
    return engine


def timed(engine_step, bare_step, items) -> tuple[list[float], list[float]]:
    """Milliseconds per item of the engine step and of the bare step, run alternately so that
    other load on the machine hits both alike; warm-up runs left out."""
    engine_times, bare_times = [], []
    for item in items:
        for step, times in ((engine_step, engine_times), (bare_step, bare_times)):
            began = perf_counter()
            step(item)
            times.append((perf_counter() - began) * 1000)
    return engine_times[WARMUP:], bare_times[WARMUP:]


def open_task(session, instance) -> HumanTask:
    return session.scalar(
        select(HumanTask).where(
            HumanTask.instance_id == instance.id, HumanTask.status == TaskStatus.OPEN
        )
    )


def prepare(db, engine, count: int, composed: bool, at=lambda i: LATER) -> list[tuple[str, str]]:
    """(state, open task guid) of `count` new instances at compose (or review), started at(i)."""
    session, instances = db.session, []
    for i in range(count):
        clock.freeze(at(i))
        instance = engine.start(session, PROCESS, FAMILY, facility_id=1)
        if composed:
            engine.complete(session, open_task(session, instance).task_guid, FAMILY, COMPOSED)
        instances.append((instance, open_task(session, instance).task_guid))
    session.commit()
    db.remove()
    return [(instance.state, guid) for instance, guid in instances]


def measure(db, engine) -> tuple[list[tuple[str, list[float], list[float]]], dict]:
    """(step, engine times, bare times) for start, completing each user task, and tick; and
    for each complete step, the database's share of its times (see driver_stopwatch)."""
    clock.freeze(LATER)
    bare = Bare(engine, engine.versions.current(db.session).get(PROCESS), T0 + timedelta(days=31))
    db.remove()
    n = RUNS + WARMUP
    driver, shares = driver_stopwatch(db.engine), {}

    def in_transaction(step) -> None:
        with db.transaction() as session:
            step(session)
        db.remove()

    def start(_item) -> None:
        in_transaction(lambda s: engine.start(s, PROCESS, FAMILY, facility_id=1))

    def complete(actor: Actor, data: dict, share: list[float]):
        def step(item) -> None:
            driver.take()
            in_transaction(lambda s: engine.complete(s, item[1], actor, data))
            share.append(driver.take())

        return step

    results = [("start", *timed(start, bare.start, range(n)))]
    for label, composed, actor, data in [
        ("complete Family", False, FAMILY, COMPOSED),
        ("complete Reviewer", True, REVIEWER, REVIEWED),
    ]:
        items = prepare(db, engine, n, composed)
        share = shares.setdefault(label, [])
        results.append((label, *timed(complete(actor, data, share), bare.complete(data), items)))
        shares[label] = share[WARMUP:]
    # Tick instance i is due at T0 + 30 days + i minutes, every other instance a year later.
    items = prepare(db, engine, n, True, at=lambda i: T0 + timedelta(minutes=i))
    waiting = db.session.scalar(
        select(func.count()).where(ProcessInstance.next_timer_at.is_not(None))
    )
    db.remove()
    due, advanced = (T0 + timedelta(days=30, minutes=i, seconds=30) for i in range(n)), set()

    def tick(_item) -> None:
        in_transaction(lambda s: advanced.add(len(engine.tick(s, now=next(due)))))

    times = timed(tick, bare.tick, items)
    step = f"tick ({'/'.join(map(str, sorted(advanced)))} of {waiting} due)"
    return [*results, (step, *times)], shares


def row_growth(db, engine) -> str:
    """An old instance row keeps its size when new versions are deployed, and finishes on it."""
    clock.freeze(LATER + timedelta(days=100))
    [(state, review_guid)] = prepare(db, engine, 1, True, at=lambda i: clock.now())
    session = db.session
    old = session.scalar(select(ProcessInstance).order_by(ProcessInstance.id.desc()))
    old_id, old_hash, size_before = old.id, old.version_hash, len(state)
    files = read_folder(BPMN)
    for days in (31, 32, 33):
        clock.advance(timedelta(seconds=1))  # the newest deployed_at is the current version
        engine.versions.deploy(
            session, {p: t.replace('"P30D"', f'"P{days}D"') for p, t in files.items()}
        )
    session.commit()
    db.remove()
    session = db.session
    versions = session.scalar(select(func.count()).select_from(ProcessVersion))
    old = session.get(ProcessInstance, old_id)
    size_after, old_due = len(old.state), open_task(session, old).due_at - old.created_at
    new = engine.start(session, PROCESS, FAMILY, facility_id=1)
    engine.complete(session, open_task(session, new).task_guid, FAMILY, COMPOSED)
    new_due = open_task(session, new).due_at - new.created_at
    engine.complete(session, review_guid, REVIEWER, REVIEWED)
    session.commit()
    done = old.status == InstanceStatus.COMPLETED and old.version_hash == old_hash
    db.remove()
    return (
        f"row growth: old instance state {size_before} chars before, {size_after} after 3 deploys "
        f"({versions} versions stored); a new-version instance at the same step: {len(new.state)}"
        f"\n  old review due after {old_due.days} days, new after {new_due.days}; old instance "
        f"completed on its own version {old_hash[:12]}: {'yes' if done else 'NO'}"
    )


def round_trips(db, engine) -> str:
    """What one completion says to the database, and what one round trip costs here: on a
    server, the engine's time beyond the bare cycle is mostly these waits."""
    [(_, guid)] = prepare(db, engine, 1, False)
    said: list[str] = []

    def statement(_conn, _cursor, sql, *_args):
        said.append(sql.split()[0])

    listeners = [
        ("begin", lambda _conn: said.append("BEGIN")),
        ("before_cursor_execute", statement),
        ("commit", lambda _conn: said.append("COMMIT")),
    ]
    for name, listener in listeners:
        event.listen(db.engine, name, listener)
    try:
        with db.transaction() as session:
            engine.complete(session, guid, FAMILY, COMPOSED)
    finally:
        for name, listener in listeners:
            event.remove(db.engine, name, listener)
        db.remove()
    if db.engine.dialect.name == "sqlite":
        said = [s for s in said if s != "BEGIN"]  # the begin event issues BEGIN IMMEDIATE
    return (
        f"one completion says {len(said)} things ({', '.join(said)}); "
        f"one round trip (SELECT 1) takes {round_trip(db, RUNS):.3f} ms"
    )


def summary(times: list[float]) -> str:
    return f"{statistics.median(times):7.2f} / {statistics.quantiles(times, n=10)[-1]:6.2f}"


def report(db_name: str, results) -> None:
    for step, engine_times, bare_times in results:
        ratio = statistics.median(engine_times) / statistics.median(bare_times)
        verdict = ""
        if step.startswith("complete"):
            verdict = "  target met" if ratio <= 3 else "  target missed"
        print(
            f"{step:<24} {db_name:<10} {summary(engine_times)}   {summary(bare_times)}"
            f"   {ratio:5.1f}x{verdict}"
        )


def main() -> None:
    print(f"median / p90 in ms over {RUNS} runs (after {WARMUP} warm-up runs)")
    print(f"{'step':<24} {'db':<10} {'engine p50 / p90':>16}   {'bare p50 / p90':>14}   ratio")
    notes = []
    for name, opener in [
        ("sqlite", lambda: sqlite_database(ENGINE_TABLES)),
        ("postgresql", lambda: postgres_schema(PG_URL, ENGINE_TABLES)),
    ]:
        with opener() as db:
            if db is None:
                continue
            engine = make_engine(db.session)
            db.remove()
            results, shares = measure(db, engine)
            report(name, results)
            notes.extend(f"{name} {database_share(results, shares)}".splitlines())
            notes.append(f"{name} {row_growth(db, engine)}")
            notes.append(f"{name}: {round_trips(db, engine)}")
            bare = next(b for step, _e, b in results if step == "complete Reviewer")
            notes.append(f"{name}: {least_write(db, statistics.median(bare), RUNS)}")
            clock.reset()
    print("\n".join(notes))


if __name__ == "__main__":
    main()
