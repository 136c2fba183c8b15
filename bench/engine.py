"""Engine cost per step, beside the bare SpiffWorkflow cycle of the same step, on a real database.

For SQLite (temp dir) and PostgreSQL (BENCH_DATABASE_URL, default the local `test` database, in
a throwaway schema that is dropped at the end; skipped with a note when unreachable) it prints the
median and p90, in ms, of:

  start     engine.start + commit            vs  BpmnWorkflow + do_engine_steps + dumps
  complete  engine.complete + commit         vs  loads + task.run + do_engine_steps + dumps
  tick      engine.tick + commit, 1 due      vs  loads + refresh_timers + do_engine_steps + dumps

Target: complete <= 3x its bare cycle. Then it deploys 3 new versions of the BPMN and shows that
an older instance row keeps its size and still finishes on its own version. It never asserts.

Run: .venv/bin/python bench/engine.py    (BENCH_RUNS=500 timed runs per step by default)
"""

from __future__ import annotations

import os
import statistics
import tempfile
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from time import perf_counter
from uuid import UUID

from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from workflows import Actor, Base, Database, WorkflowEngine, clock
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
T0 = datetime(2030, 1, 1, tzinfo=UTC)  # tick instances start here; all others a year later
ENGINE_TABLES = [m.__table__ for m in (ProcessVersion, ProcessInstance, HumanTask, TaskHistory)]


def make_engine(session, files: dict[str, str] | None = None) -> WorkflowEngine:
    registry = OperationRegistry()

    @registry.register
    def bench_count_chars(message: str) -> int:
        return len(message)

    engine = WorkflowEngine(registry, FORM_KEYS)
    engine.versions.deploy(session, files or read_folder(BPMN))
    session.commit()
    return engine


def timed(step, items) -> list[float]:
    """Milliseconds of step(item) per item, warm-up runs left out."""
    times = []
    for item in items:
        began = perf_counter()
        step(item)
        times.append((perf_counter() - began) * 1000)
    return times[WARMUP:]


def open_task(session, instance) -> HumanTask:
    return session.scalar(
        select(HumanTask).where(
            HumanTask.instance_id == instance.id, HumanTask.status == TaskStatus.OPEN
        )
    )


def prepare(db, engine, count: int, composed: bool, at=lambda i: T0 + timedelta(days=365)):
    """`count` committed instances waiting at compose (or at review), started at at(i)."""
    session, instances = db.session, []
    for i in range(count):
        clock.freeze(at(i))
        instance = engine.start(session, PROCESS, FAMILY, facility_id=1)
        if composed:
            engine.complete(session, open_task(session, instance).task_guid, FAMILY, COMPOSED)
        instances.append((instance, open_task(session, instance).task_guid))
    session.commit()
    db.remove()
    clock.freeze(T0 + timedelta(days=365))
    return [(instance.state, guid) for instance, guid in instances]


def measure(db, engine) -> list[tuple[str, list[float], list[float]]]:
    """(step, engine times, bare times) for start, both completions and tick."""
    clock.freeze(T0 + timedelta(days=365))
    process = engine.versions.current(db.session).get(PROCESS)
    db.remove()
    serializer, script_engine = engine.runner.serializer, engine.runner.script_engine
    n = RUNS + WARMUP

    def in_transaction(step):
        with db.transaction() as session:
            step(session)
        db.remove()

    def bare_start(_):
        workflow = BpmnWorkflow(process.spec, process.subprocess_specs, script_engine=script_engine)
        workflow.do_engine_steps()
        serializer.dumps(workflow)

    def bare_complete(data):
        def run(item):
            workflow = serializer.loads(item[0], process.spec, process.subprocess_specs)
            workflow.script_engine = script_engine
            task = workflow.get_task_from_id(UUID(item[1]))
            task.task_spec.add_data_from_form(task, data)
            task.run()
            workflow.do_engine_steps()
            serializer.dumps(workflow)

        return run

    def bare_tick(item):
        with clock.pinned(T0 + timedelta(days=31)):  # every tick instance is due by then
            workflow = serializer.loads(item[0], process.spec, process.subprocess_specs)
            workflow.script_engine = script_engine
            workflow.refresh_timers()
            workflow.do_engine_steps()
            serializer.dumps(workflow)

    def complete(actor, data):
        return lambda item: in_transaction(lambda s: engine.complete(s, item[1], actor, data))

    results = []
    start = lambda _: in_transaction(lambda s: engine.start(s, PROCESS, FAMILY, facility_id=1))  # noqa: E731
    results.append(("start", timed(start, range(n)), timed(bare_start, range(n))))
    for label, composed, actor, data in [
        ("complete Family", False, FAMILY, COMPOSED),
        ("complete Reviewer", True, REVIEWER, REVIEWED),
    ]:
        items = prepare(db, engine, n, composed)
        engine_times = timed(complete(actor, data), items)
        results.append((label, engine_times, timed(bare_complete(data), items)))
    # Tick instance i is due at T0 + 30 days + i minutes; all others much later.
    items = prepare(db, engine, n, True, at=lambda i: T0 + timedelta(minutes=i))
    waiting = db.session.scalar(
        select(func.count())
        .select_from(ProcessInstance)
        .where(ProcessInstance.next_timer_at.is_not(None))
    )
    db.remove()
    due, advanced = (T0 + timedelta(days=30, minutes=i, seconds=30) for i in range(n)), set()

    def tick(_):
        in_transaction(lambda s: advanced.add(len(engine.tick(s, now=next(due)))))

    engine_times = timed(tick, items)
    label = f"tick ({'/'.join(map(str, sorted(advanced)))} of {waiting} due)"
    results.append((label, engine_times, timed(bare_tick, items)))
    return results


def row_growth(db, engine) -> str:
    """An old instance row keeps its size when new versions are deployed, and finishes on it."""
    clock.freeze(T0 + timedelta(days=800))
    old = prepare(db, engine, 1, True)[0]
    old_row = db.session.scalar(select(ProcessInstance).order_by(ProcessInstance.id.desc()))
    old_id, old_hash, size_before = old_row.id, old_row.version_hash, len(old_row.state)
    db.remove()
    files = read_folder(BPMN)
    for days in (31, 32, 33):
        session = db.session
        new_files = {p: t.replace('"P30D"', f'"P{days}D"') for p, t in files.items()}
        engine.versions.deploy(session, new_files)
        session.commit()
        db.remove()
    session = db.session
    versions = session.scalar(text("SELECT count(*) FROM process_version"))
    row = session.get(ProcessInstance, old_id)
    size_after, review = len(row.state), open_task(session, row)
    due_days = (review.due_at - row.created_at).days
    new = engine.start(session, PROCESS, FAMILY, facility_id=1)
    engine.complete(session, open_task(session, new).task_guid, FAMILY, COMPOSED)
    new_due = (open_task(session, new).due_at - new.created_at).days
    engine.complete(session, old[1], REVIEWER, REVIEWED)
    session.commit()
    done = row.status == InstanceStatus.COMPLETED and row.version_hash == old_hash
    db.remove()
    return (
        f"row growth: old instance state {size_before} chars before, {size_after} after "
        f"3 deploys ({versions} versions stored); new-version instance {len(new.state)} chars.\n"
        f"  old instance: review due after {due_days} days, new instance after {new_due}; "
        f"old completed on its own version {old_hash[:12]}: {'yes' if done else 'NO'}"
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


@contextmanager
def sqlite_database():
    with tempfile.TemporaryDirectory() as folder:
        db = Database(f"sqlite:///{folder}/bench.db")
        Base.metadata.create_all(db.engine, tables=ENGINE_TABLES)
        try:
            yield db
        finally:
            db.dispose()


@contextmanager
def postgres_database(url: str):
    """The engine's tables in a schema of their own, dropped afterwards; None if unreachable."""
    schema = f"bench_engine_{os.getpid()}"
    admin = create_engine(url, connect_args={"connect_timeout": 3})
    try:
        with admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    except OperationalError as exc:
        admin.dispose()
        print(f"PostgreSQL skipped: {url} unreachable ({str(exc).splitlines()[0]})")
        yield None
        return
    scoped = make_url(url).update_query_dict({"options": f"-csearch_path={schema}"})
    db = Database(scoped.render_as_string(hide_password=False))
    try:
        Base.metadata.create_all(db.engine, tables=ENGINE_TABLES)
        yield db
    finally:
        db.dispose()
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def main() -> None:
    print(f"median / p90 in ms over {RUNS} runs (after {WARMUP} warm-up runs)")
    print(f"{'step':<24} {'db':<10} {'engine p50 / p90':>16}   {'bare p50 / p90':>14}   ratio")
    notes = []
    for name, opener in [
        ("sqlite", sqlite_database),
        ("postgresql", lambda: postgres_database(PG_URL)),
    ]:
        with opener() as db:
            if db is None:
                continue
            engine = make_engine(db.session)
            db.remove()
            report(name, measure(db, engine))
            notes.append(f"{name} {row_growth(db, engine)}")
            clock.reset()
    print("\n".join(notes))


if __name__ == "__main__":
    main()
