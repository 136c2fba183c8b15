"""Inbox speed with a full human_task table: 10,000 open tasks over the three demo facilities and
200,000 completed ones, on SQLite (temp file) and PostgreSQL.

PostgreSQL: BENCH_DATABASE_URL names the server (default the local `test` database); the bench
works in a database of its own, `bench_inbox`, made afresh and dropped at the end (BENCH_KEEP=1
keeps it). Skipped with a note when the server is unreachable.

For a reviewer and a supervisor (two lanes) of one facility it prints the median and p90 server
time, in ms, of:
  queries   tab_counts_and_choices + list_tasks: what the view asks the database
  view      GET /inbox through the Flask test client, logged in (queries, names, template)
for the first page and for a call-number search, then the query plans (BENCH_PLANS=0: none).
Filling the table is in bench/_inbox_fill.py.
The load average is printed beside the figures: on a machine busy with other jobs every figure
grows with it. Target: median ≤ 20 ms for both, on both databases. It never asserts.

Run: .venv/bin/python bench/inbox.py    (BENCH_RUNS=200 timed runs per figure by default)
"""

from __future__ import annotations

import os
import re
import statistics
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from time import perf_counter

from sqlalchemy import event, select

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from _common import make_app, postgres_database, sqlite_url  # noqa: E402
from _inbox_fill import fill  # noqa: E402

from domain.accounts import Account  # noqa: E402
from domain.demo import STAFF_PASSWORD  # noqa: E402
from workflows import Actor, clock  # noqa: E402
from workflows.inbox import InboxQuery, list_tasks, tab_counts_and_choices  # noqa: E402

RUNS = int(os.environ.get("BENCH_RUNS", "200"))
WARMUP = 20
TARGET_MS = 20.0
PG_URL = os.environ.get("BENCH_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
PG_DATABASE = "bench_inbox"
FACILITY = "taichung-detention"
WHO = {"reviewer": "reviewer.taichung@example.tw", "supervisor": "supervisor.taichung@example.tw"}


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
    with postgres_database(PG_URL, PG_DATABASE) as url:
        if url is not None:
            verdicts += run("postgresql", url)
    print(f"\ntarget: median <= {TARGET_MS:.0f} ms for every figure")
    print("\n".join(verdicts))


if __name__ == "__main__":
    main()
