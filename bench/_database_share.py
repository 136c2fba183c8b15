"""The database's part of an engine step, for bench/engine.py: the time a step spends in the
driver, what is left for the engine, and the machine's floor under both (one round trip, the
least write transaction)."""

from __future__ import annotations

import statistics
from time import perf_counter

from _stopwatch import Stopwatch


def driver_stopwatch(sql_engine) -> Stopwatch:
    """Times the database driver's execute and commit calls of this bench's own engine (its
    dialect's instance attributes, nothing global)."""
    watch, dialect = Stopwatch(), sql_engine.dialect
    for name in ("do_execute", "do_execute_no_params", "do_executemany", "do_commit"):
        setattr(dialect, name, watch.wrap(getattr(dialect, name)))
    return watch


def database_share(results, shares: dict[str, list[float]]) -> str:
    """Each complete step's database share, and what is left for the engine's own Python."""
    lines = []
    for step, engine_times, bare_times in results:
        if step not in shares:
            continue
        bare, total = statistics.median(bare_times), statistics.median(engine_times)
        share = statistics.median(shares[step])
        lines.append(
            f"{step}: the database's share {share:.2f} ms ({share / bare:.1f}x the bare cycle), "
            f"so the engine cannot go under {1 + share / bare:.1f}x here; the engine's own work "
            f"beyond the bare cycle {max(total - bare - share, 0):.2f} ms"
        )
    return "\n".join(lines)


def round_trip(db, runs: int) -> float:
    """Median milliseconds of one round trip to the database (SELECT 1)."""
    times = []
    with db.engine.connect() as conn:
        for _ in range(runs):
            began = perf_counter()
            conn.exec_driver_sql("SELECT 1").all()
            times.append((perf_counter() - began) * 1000)
        conn.rollback()
    return statistics.median(times)


def least_write(db, bare: float, runs: int) -> str:
    """The cheapest transaction shaped like a completion (BEGIN, read one row, update one row,
    COMMIT with its WAL flush) on a table of its own: the database's floor on this machine."""
    with db.engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE bench_floor (id INTEGER PRIMARY KEY, n INTEGER)")
        conn.exec_driver_sql("INSERT INTO bench_floor (id, n) VALUES (1, 0)")
    times = []
    try:
        with db.engine.connect() as conn:
            for _ in range(runs):
                began = perf_counter()
                conn.exec_driver_sql("SELECT n FROM bench_floor WHERE id = 1").all()
                conn.exec_driver_sql("UPDATE bench_floor SET n = n + 1 WHERE id = 1")
                conn.commit()
                times.append((perf_counter() - began) * 1000)
    finally:
        with db.engine.begin() as conn:
            conn.exec_driver_sql("DROP TABLE bench_floor")
    floor = statistics.median(times)
    return (
        f"the least write transaction (BEGIN, read a row, update a row, COMMIT) takes "
        f"{floor:.2f} ms, {floor / bare:.1f}x the bare Reviewer cycle: no engine completes a "
        f"task under {1 + floor / bare:.1f}x here"
    )
