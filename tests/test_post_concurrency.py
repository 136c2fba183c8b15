"""One post per interval holds when a family sends many posts at the same moment."""

from __future__ import annotations

import threading

from sqlalchemy import select

from domain.posts import PostStatus
from tests.application_support import FAMILY, logged_in
from tests.conftest import read
from tests.post_support import compose, drafts_at_once, family_with_book, posts
from workflows.models import InstanceStatus, ProcessInstance

SUBMISSIONS = 20


def test_twenty_simultaneous_posts_inside_the_interval_file_exactly_one(app):
    _family, book_id = family_with_book(app)
    clients = [logged_in(app, *FAMILY) for _ in range(SUBMISSIONS)]
    # Every compose page is opened first, while the interval is still free for all of them.
    task_urls = drafts_at_once(app, book_id, SUBMISSIONS)
    assert len(task_urls) == SUBMISSIONS
    app.extensions["db"].remove()
    barrier, results = threading.Barrier(SUBMISSIONS), [None] * SUBMISSIONS

    def submit(n: int) -> None:
        barrier.wait()
        response = compose(clients[n], task_urls[n], title=f"同時送出 {n}")
        results[n] = (response.status_code, response.headers.get("Location", ""))
        app.extensions["db"].remove()

    threads = [threading.Thread(target=submit, args=(n,)) for n in range(SUBMISSIONS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert all(result is not None and result[0] == 302 for result in results), results
    [post] = posts(app)
    assert post.status == PostStatus.PENDING
    instances = read(
        app, select(ProcessInstance).where(ProcessInstance.process_id == "post_review")
    )
    engine = app.extensions["engine"]
    refused = [
        i
        for i in instances
        if i.status == InstanceStatus.COMPLETED
        and engine.final_data(i)["filing"]["reason"] == "interval"
    ]
    assert len(refused) == SUBMISSIONS - 1
    [waiting] = [i for i in instances if i.status == InstanceStatus.RUNNING]
    assert waiting.id == post.instance_id
