"""A post back with its family (its photo refused) that may not be filed again is closed, not
left waiting in 待審核 with no way forward."""

from __future__ import annotations

import io

from domain.photos import PhotoRefused
from domain.posts import PostStatus
from tests.application_support import open_tasks, png
from tests.post_support import compose, family_with_book, photo_jobs_done, posts, send_post


def test_a_refused_photo_post_sent_again_after_a_newer_post_is_closed(app, mailbox, monkeypatch):
    import tasks.posts

    def refuse(*_args, **_kwargs):
        raise PhotoRefused("corrupt", "damaged")

    monkeypatch.setattr(tasks.posts, "process_photo", refuse)
    family, book_id = family_with_book(app)
    send_post(family, book_id, title="畢業典禮", body="第一篇", photo=(io.BytesIO(png()), "a.png"))
    photo_jobs_done(app)
    [task] = open_tasks(app, bpmn_id="compose")
    assert send_post(family, book_id, body="第二篇").status_code == 302  # holds the interval
    retry = compose(family, f"/tasks/{task.task_guid}", title="畢業典禮", body="第一篇再寄")
    page = family.get(retry.headers["Location"]).get_data(as_text=True)
    assert "/posts/outcome/" in retry.headers["Location"]
    assert "第一篇再寄" in page and "畢業典禮" in page  # the text just written is not lost
    first, second = posts(app)
    assert first.status == PostStatus.WITHDRAWN and second.status == PostStatus.PENDING
    pending_tab = family.get("/posts").get_data(as_text=True)
    assert "第二篇" in pending_tab or "家裡一切都好" in pending_tab
    assert "畢業典禮" not in pending_tab
    assert open_tasks(app, bpmn_id="compose") == []
