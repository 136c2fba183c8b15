"""A family's post submission, against a minimal Flask view that inserts one row, in one run.

For SQLite (temp dir) and PostgreSQL (BENCH_DATABASE_URL, default the local `test` server; the
bench makes its own database `bench_post` and drops it; skipped with a note when unreachable) it
prints the median and p90 server time, in ms, of:

  minimal        POST to a view of the same app that inserts one row (same session, login,
                 commit-per-request and security headers as every page)
  bare flask     the same insert in a bare Flask app with its own SQLAlchemy engine
  post (text)    POST of the compose form: title + body → the post is filed and in review
                 (its compose task opened just before, untimed; every post checked filed)
  post (photo)   the same with a 0.5-megapixel JPEG, stored and checked by content; the photo
                 job it queues is excluded (no worker runs during the measurement)
  engine (…)     of each post, the time inside engine.complete alone (load, run, save): the
                 share DESIGN §4 keeps in the request, beside the minimal view on its own

Target (issue 4): post submission ≤ 3× the minimal view, medians, same run. Each post goes to
its own compose task, opened beforehand (not timed); a special project lifts the posting
interval so the family may post again and again. It never asserts.

Run: .venv/bin/python bench/post.py    (BENCH_RUNS=200 timed runs per figure by default)
"""

from __future__ import annotations

import io
import os
import re
import statistics
import sys
import tempfile
from pathlib import Path
from time import perf_counter

from flask import Flask
from PIL import Image
from sqlalchemy import (  # noqa: E402
    Column,
    Integer,
    MetaData,
    String,
    Table,
    create_engine,
    func,
    insert,
    select,
)

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from _common import make_app, postgres_database, sqlite_url  # noqa: E402
from _stopwatch import Stopwatch  # noqa: E402

from domain.accounts import Account  # noqa: E402
from domain.applications import book_without_review  # noqa: E402
from domain.demo import FAMILY_EMAIL, FAMILY_PASSWORD, seed_demo  # noqa: E402
from domain.posts import Post  # noqa: E402
from domain.roster import Inmate  # noqa: E402
from domain.special_projects import SpecialProject  # noqa: E402
from workflows import clock  # noqa: E402

RUNS = int(os.environ.get("BENCH_RUNS", "200"))
WARMUP = 20
TARGET = 3.0
PG_URL = os.environ.get("BENCH_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
metadata = MetaData()
minimal_rows = Table(
    "bench_minimal", metadata, Column("id", Integer, primary_key=True), Column("body", String)
)


def prepare(app) -> int:
    """Demo data, an active book for the family at Taichung, a project lifting the interval."""
    db = app.extensions["db"]
    metadata.create_all(db.engine)
    now = clock.now()
    with db.transaction() as session:
        seed_demo(session)
        family = session.scalar(select(Account).where(Account.email == FAMILY_EMAIL))
        inmate = session.scalar(select(Inmate).where(Inmate.call_number == "0609"))
        book = book_without_review(session, family.id, inmate.id, inmate.facility_id, now)
        session.add(
            SpecialProject(
                account_id=family.id,
                facility_id=inmate.facility_id,
                starts_at=now,
                ends_at=now.replace(year=now.year + 1),
                reason="bench",
                granted_by=family.id,
                granted_at=now,
            )
        )
        session.flush()
        book_id = book.id
    db.remove()
    return book_id


def add_minimal_view(app) -> None:
    """A view that inserts one row; it runs in the app's own request lifecycle."""
    db = app.extensions["db"]

    def minimal():
        db.session.execute(insert(minimal_rows).values(body="hello"))
        return "", 204

    app.add_url_rule("/bench/minimal", "bench_minimal", minimal, methods=["POST"])
    app.extensions["csrf"].exempt(minimal)


def bare_flask(url: str):
    """The minimal view in a Flask app with nothing else: its engine, one insert, commit."""
    bare = Flask("bare")
    engine = create_engine(url)

    @bare.post("/minimal")
    def minimal():
        with engine.begin() as conn:
            conn.execute(insert(minimal_rows).values(body="hello"))
        return "", 204

    return bare.test_client(), engine


def token_of(client, url: str) -> str:
    page = client.get(url).get_data(as_text=True)
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)


def logged_in(app):
    client = app.test_client()
    data = {"csrf_token": token_of(client, "/login"), "email": FAMILY_EMAIL}
    data["password"] = FAMILY_PASSWORD
    if client.post("/login", data=data).status_code != 302:
        raise RuntimeError("could not log in as the demo family")
    return client


def open_compose(client, token: str, book_id: int) -> str:
    """Open a compose task (untimed) and return its URL. /posts/new continues an open draft,
    so each is opened after the previous post was sent."""
    response = client.post("/posts/new", data={"csrf_token": token, "book": str(book_id)})
    location = response.headers.get("Location", "")
    if "/tasks/" not in location:
        raise RuntimeError(f"could not open a compose task: {response.status_code} {location}")
    return location


def jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.effect_noise((860, 600), 40).convert("RGB").save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


def timed_pairs(steps, count: int) -> list[list[float]]:
    """Milliseconds of each step, the steps run alternately `count` times; warm-up dropped.

    A step is `act(i)`, or `(prepare, act)`: then `prepare(i)` runs untimed first and only
    `act(i, prepared)` is timed.
    """
    times = [[] for _ in steps]
    for i in range(count):
        for step, bucket in zip(steps, times, strict=True):
            prepare, act = step if isinstance(step, tuple) else (None, step)
            args = (i, prepare(i)) if prepare is not None else (i,)
            began = perf_counter()
            act(*args)
            bucket.append((perf_counter() - began) * 1000)
    return [bucket[WARMUP:] for bucket in times]


def engine_stopwatch(engine) -> Stopwatch:
    """Times engine.complete inside each request (the app's engine, wrapped on the instance)."""
    watch = Stopwatch()
    engine.complete = watch.wrap(engine.complete)
    return watch


def filed_posts(app) -> int:
    db = app.extensions["db"]
    try:
        return db.session.scalar(select(func.count(Post.id)))
    finally:
        db.remove()


def measure(app, url: str, book_id: int) -> dict[str, list[float]]:
    client, n = logged_in(app), RUNS + WARMUP
    token = token_of(client, "/posts/new")
    bare, bare_engine = bare_flask(url)
    photo = jpeg()
    results = {}
    share = engine_stopwatch(app.extensions["engine"])
    for label, with_photo in (("post (text)", False), ("post (photo)", True)):
        before = filed_posts(app)
        engine_times = []

        def compose(_i: int) -> str:
            url = open_compose(client, token, book_id)
            share.take()  # opening it completes nothing; only the timed POST counts
            return url

        def post(i: int, url: str, with_photo=with_photo, engine_times=engine_times) -> None:
            data = {"csrf_token": token, "title": f"第 {i} 篇", "body": "爸爸，我們都很好，想你。"}
            if with_photo:
                data["photo"] = (io.BytesIO(photo), "family.jpg")
            response = client.post(url, data=data, content_type="multipart/form-data")
            engine_times.append(share.take())
            if response.status_code != 302:
                raise RuntimeError(f"post answered {response.status_code}")

        def minimal(_i: int) -> None:
            if client.post("/bench/minimal").status_code != 204:
                raise RuntimeError("minimal view failed")

        def bare_minimal(_i: int) -> None:
            bare.post("/minimal")

        minimal_times, bare_times, post_times = timed_pairs(
            [minimal, bare_minimal, (compose, post)], n
        )
        if filed_posts(app) - before != n:  # a redirect alone does not prove a post was filed
            raise RuntimeError(f"{n} posts sent, {filed_posts(app) - before} filed")
        results.setdefault("minimal", []).extend(minimal_times)
        results.setdefault("bare flask", []).extend(bare_times)
        results[label] = post_times
        results[f"engine ({label[6:-1]})"] = engine_times[WARMUP:]
    bare_engine.dispose()
    return results


def figures(times: list[float]) -> str:
    return f"{statistics.median(times):7.2f} / {statistics.quantiles(times, n=10)[-1]:7.2f}"


def run(name: str, url: str) -> list[str]:
    print(f"\n== {name}")
    with tempfile.TemporaryDirectory() as folder:
        app = make_app(url, folder)
        add_minimal_view(app)
        try:
            results = measure(app, url, prepare(app))
        finally:
            app.extensions["db"].dispose()
    load = "/".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"  load average {load}; median / p90 in ms over {RUNS} runs")
    base = statistics.median(results["minimal"])
    verdicts = []
    for label, times in results.items():
        ratio = statistics.median(times) / base
        print(f"    {label:<14} {figures(times)}   {ratio:5.2f}x minimal")
        if label.startswith("post"):
            met = ratio <= TARGET
            verdicts.append(f"{name}, {label}: {ratio:.2f}x {'met' if met else 'MISSED'}")
    return verdicts


def main() -> None:
    clock.reset()
    verdicts = []
    with sqlite_url() as url:
        verdicts += run("sqlite", url)
    with postgres_database(PG_URL, "bench_post") as url:
        if url is not None:
            verdicts += run("postgresql", url)
    print(f"\ntarget: post submission <= {TARGET:.0f}x the minimal view (medians)")
    print("\n".join(verdicts))


if __name__ == "__main__":
    main()
