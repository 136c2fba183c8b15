"""Inbox speed with a full human_task table: 10,000 open tasks over the three demo facilities and
200,000 completed ones, on SQLite (temp file) and PostgreSQL.

PostgreSQL: BENCH_DATABASE_URL names the server (default the local `test` database); the bench
works in a database of its own, `bench_inbox`, made afresh and dropped at the end (BENCH_KEEP=1
keeps it). Skipped with a note when the server is unreachable.

For a reviewer and a supervisor (two lanes) of one facility it prints the median and p90 server
time, in ms, of:
  queries   tab_counts_and_choices + list_tasks: what the view asks the database
  view      GET /inbox through the Flask test client, logged in (queries, names, template)
for the first page and for a call-number search, on the schema as migrated and again with the
index proposed to the lead (when the schema lacks it), then the query plans (BENCH_PLANS=0: none).
The load average is printed beside the figures: on a machine busy with other jobs every figure
grows with it. Target: median ≤ 20 ms for both, on both databases. It never asserts.

Run: .venv/bin/python bench/inbox.py    (BENCH_RUNS=200 timed runs per figure by default)
"""

from __future__ import annotations

import os
import random
import re
import statistics
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from time import perf_counter
from uuid import UUID

import psycopg
from sqlalchemy import event, insert, inspect, select
from sqlalchemy.engine import make_url

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from domain.accounts import Account, Facility  # noqa: E402
from domain.demo import STAFF_PASSWORD, seed_demo  # noqa: E402
from domain.settings import Settings  # noqa: E402
from webapp import create_app  # noqa: E402
from webapp.migrate import upgrade_database  # noqa: E402
from workflows import Actor, clock  # noqa: E402
from workflows.inbox import InboxQuery, list_tasks, tab_counts_and_choices  # noqa: E402
from workflows.models import HumanTask, ProcessInstance, ProcessVersion, TaskStatus  # noqa: E402

RUNS = int(os.environ.get("BENCH_RUNS", "200"))
WARMUP = 20
TARGET_MS = 20.0
OPEN_TASKS, DONE_TASKS = 10_000, 200_000
PG_URL = os.environ.get("BENCH_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
PG_DATABASE = "bench_inbox"
FACILITY = "taichung-detention"
WHO = {"reviewer": "reviewer.taichung@example.tw", "supervisor": "supervisor.taichung@example.tw"}

# lane -> [(weight, process_id, bpmn_id, title, days until due or None)]
TASK_KINDS = {
    "Reviewer": [
        (4, "service_application", "review", "審核服務申請 Review the application", 30),
        (6, "post_review", "review_post", "審核家庭聯絡簿 Review the post", 7),
    ],
    "Supervisor": [
        (1, "service_application", "overdue_review", "逾期審核 Overdue review", 0),
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


def timed(step: Callable[[], object]) -> list[float]:
    """Milliseconds of RUNS calls of step, after WARMUP untimed ones."""
    for _ in range(WARMUP):
        step()
    times = []
    for _ in range(RUNS):
        began = perf_counter()
        step()
        times.append((perf_counter() - began) * 1000)
    return times


def query_step(db, q: InboxQuery) -> Callable[[], None]:
    """What the view asks the database, in a session of its own like a request."""

    def step() -> None:
        session = db.session
        counts, _choices = tab_counts_and_choices(session, q)
        list_tasks(session, q, total=counts[q.tab])
        db.remove()

    return step


def view_step(client, url: str) -> Callable[[], None]:
    def step() -> None:
        response = client.get(url)
        if response.status_code != 200:
            raise RuntimeError(f"GET {url} answered {response.status_code}")

    return step


def log_in(client, email: str) -> None:
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    data = {"csrf_token": token, "email": email, "password": STAFF_PASSWORD}
    if client.post("/login", data=data).status_code != 302:
        raise RuntimeError(f"could not log in as {email}")


def actor_of(db, email: str) -> Actor:
    account = db.session.scalar(select(Account).where(Account.email == email))
    db.remove()
    return Actor(account.id, frozenset({account.role}), account.facility_id)


def measure(app, call: str) -> list[tuple[str, list[float]]]:
    """(label, times) of queries and view, first page and search, for a reviewer and supervisor."""
    db, results = app.extensions["db"], []
    for role, email in WHO.items():
        actor = actor_of(db, email)
        client = app.test_client()
        log_in(client, email)
        for what, search, url in (
            ("first page", None, "/inbox"),
            ("search", call, f"/inbox?q={call}"),
        ):
            q = InboxQuery.for_actor(actor, search=search)
            results.append((f"{role:<10} queries {what}", timed(query_step(db, q))))
            results.append((f"{role:<10} view    {what}", timed(view_step(client, url))))
    return results


def plans(app, call: str) -> list[str]:
    """EXPLAIN of each statement the reviewer's first page and search send, as the DB plans it."""
    db = app.extensions["db"]
    captured = []

    def capture(_conn, _cursor, statement, parameters, _context, _many):
        captured.append((statement, parameters))

    actor = actor_of(db, WHO["supervisor"])
    event.listen(db.engine, "before_cursor_execute", capture)
    try:
        query_step(db, InboxQuery.for_actor(actor))()
        query_step(db, InboxQuery.for_actor(actor, search=call))()
        query_step(db, InboxQuery.for_actor(actor, tab="mine"))()
    finally:
        event.remove(db.engine, "before_cursor_execute", capture)
    lines = []
    with db.engine.connect() as conn:
        postgres = conn.dialect.name == "postgresql"
        prefix = "EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) " if postgres else "EXPLAIN QUERY PLAN "
        for statement, parameters in captured:
            if "human_task" not in statement:
                continue
            rows = conn.exec_driver_sql(prefix + statement, parameters).all()
            shown = " ".join(statement.split())
            lines.append(f"  -- {shown[:400]}")
            lines += [f"     {row[0] if postgres else row[-1]}" for row in rows]
        conn.rollback()
    return lines


def figures(times: list[float]) -> str:
    return f"{statistics.median(times):7.2f} / {statistics.quantiles(times, n=10)[-1]:7.2f}"


def make_app(url: str, folder: str):
    """The web app on `url`, schema from the migrations, no background threads."""
    upgrade_database(url)
    settings = Settings.from_env(
        env={"INSTANCE_PATH": folder, "DATABASE_URL": url, "TICK_SECONDS": "0"}
    )
    return create_app(settings, START_BACKGROUND=False)


@contextmanager
def sqlite_url() -> Iterator[str]:
    with tempfile.TemporaryDirectory() as folder:
        yield f"sqlite:///{folder}/bench.db"


@contextmanager
def postgres_url(url: str) -> Iterator[str | None]:
    """A fresh database `bench_inbox` on the server of `url`; never touches `url`'s own tables."""
    server = make_url(url)
    conninfo = server.set(drivername="postgresql").render_as_string(hide_password=False)
    try:
        admin = psycopg.connect(conninfo, autocommit=True, connect_timeout=3)
    except psycopg.OperationalError as exc:
        print(f"PostgreSQL skipped: {server.render_as_string()} unreachable ({exc})")
        yield None
        return
    with admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{PG_DATABASE}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{PG_DATABASE}"')
        try:
            yield server.set(database=PG_DATABASE).render_as_string(hide_password=False)
        finally:
            if not os.environ.get("BENCH_KEEP"):
                admin.execute(f'DROP DATABASE IF EXISTS "{PG_DATABASE}" WITH (FORCE)')


# The index proposed to the lead: tab counts and filter menus read from the index alone.
PROPOSED_INDEX = (
    "ix_human_task_tabs",
    "status, facility_id, lane, process_id, bpmn_id, title, assignee_id",
)


def add_proposed_index(db) -> bool:
    """Create the proposed index unless the schema has it already; True when created here."""
    name, columns = PROPOSED_INDEX
    with db.engine.connect() as conn:
        if name in {ix["name"] for ix in inspect(conn).get_indexes("human_task")}:
            return False
        conn.exec_driver_sql(f"CREATE INDEX {name} ON human_task ({columns})")
        conn.commit()
        if conn.dialect.name == "postgresql":
            conn.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql(
                "VACUUM ANALYZE human_task"
            )
    return True


def report(app, call: str, heading: str) -> bool:
    """Measure and print one set of figures; True when every median meets the target."""
    load = "/".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"  {heading} (load average {load}; median / p90 in ms over {RUNS} runs)")
    verdicts = []
    for label, times in measure(app, call):
        met = statistics.median(times) <= TARGET_MS
        print(f"    {label:<32} {figures(times)}   {'target met' if met else 'TARGET MISSED'}")
        verdicts.append(met)
    return all(verdicts)


def run(name: str, url: str) -> list[str]:
    """Fill, measure and report one database; returns the verdict lines."""
    print(f"\n== {name}")
    verdicts = []
    with tempfile.TemporaryDirectory() as folder:
        app = make_app(url, folder)
        try:
            call = fill(app.extensions["db"])
            print(f"  call number searched: {call}")
            met = report(app, call, "schema as migrated")
            verdicts.append(f"{name}, schema as migrated: {'met' if met else 'MISSED'}")
            if add_proposed_index(app.extensions["db"]):
                met = report(app, call, f"with the proposed index {PROPOSED_INDEX[0]}")
                verdicts.append(f"{name}, with {PROPOSED_INDEX[0]}: {'met' if met else 'MISSED'}")
            if os.environ.get("BENCH_PLANS", "1") != "0":
                print("  query plans (supervisor: first page, search, 'mine' tab):")
                print("\n".join(plans(app, call)))
        finally:
            app.extensions["db"].dispose()
    return verdicts


def main() -> None:
    clock.reset()
    verdicts = []
    with sqlite_url() as url:
        verdicts += run("sqlite", url)
    with postgres_url(PG_URL) as url:
        if url is not None:
            verdicts += run("postgresql", url)
    print(f"\ntarget: median <= {TARGET_MS:.0f} ms for every figure")
    print("\n".join(verdicts))


if __name__ == "__main__":
    main()
