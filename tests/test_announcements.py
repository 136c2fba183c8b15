"""Announcements (訊息及流程公告): shown on the home page, before login too, only within their
window (publish ≤ now < expiry), newest first; national ones kept by the process owner, a
facility's by its admin."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from domain.announcements import Announcement
from tests.application_support import STAFF_PASSWORD, field_error, logged_in, seed
from tests.institution_support import desk
from tests.process_support import _owner
from tests.web_support import csrf_token
from workflows import clock

NEW = "/admin/announcements/new"
START = datetime(2026, 12, 1, 2, tzinfo=UTC)  # 10:00 in Taipei


def _write(client, title, publish="2026-12-01T10:00", expires="2026-12-31T10:00", url=NEW):
    data = {
        "csrf_token": csrf_token(client, url),
        "title": title,
        "body": "內容",
        "publish_at": publish,
        "expires_at": expires,
    }
    return client.post(url, data=data)


def _rows(app) -> list[Announcement]:
    database = app.extensions["db"]
    try:
        return database.session.scalars(select(Announcement).order_by(Announcement.id)).all()
    finally:
        database.remove()


def test_only_current_announcements_are_shown_newest_first(app, client):
    seed(app)
    clock.freeze(START - timedelta(days=5))
    owner = _owner(app)
    assert _write(owner, "舊公告", "2026-11-20T10:00", "2026-12-01T10:00").status_code == 302
    assert _write(owner, "全國公告", "2026-12-01T10:00", "2026-12-10T10:00").status_code == 302
    assert _write(owner, "未來公告", "2026-12-05T10:00", "2026-12-20T10:00").status_code == 302
    old, national, future = _rows(app)
    assert national.facility_id is None and national.publish_at == START
    home = client.get("/").get_data(as_text=True)
    assert "舊公告" in home and "全國公告" not in home
    clock.freeze(START)  # the old one expires as the national one starts
    home = client.get("/").get_data(as_text=True)
    assert "全國公告" in home and "舊公告" not in home and "未來公告" not in home
    assert client.get(f"/announcements/{national.id}").status_code == 200
    assert client.get(f"/announcements/{old.id}").status_code == 404
    assert client.get(f"/announcements/{future.id}").status_code == 404
    clock.freeze(START + timedelta(days=4, hours=1))
    home = client.get("/").get_data(as_text=True)
    assert home.index("未來公告") < home.index("全國公告")  # newest first
    clock.freeze(START + timedelta(days=9))
    assert "全國公告" not in client.get("/announcements").get_data(as_text=True)


def test_a_facility_admin_writes_for_their_facility_and_everyone_sees_it_labelled(app, client):
    seed(app)
    clock.freeze(START)
    admin, _supervisor = desk(app, "dunpin")
    assert _write(admin, "敦品公告").status_code == 302
    [row] = _rows(app)
    assert row.facility_id is not None
    home = client.get("/").get_data(as_text=True)
    assert "敦品公告" in home and "敦品中學" in home
    # Another facility's admin and the process owner do not keep it.
    taichung, _ = desk(app, "taichung")
    assert taichung.get(f"/admin/announcements/{row.id}/edit").status_code == 404
    assert _owner(app).get(f"/admin/announcements/{row.id}/edit").status_code == 404
    assert "敦品公告" not in taichung.get("/admin/announcements").get_data(as_text=True)
    # Its admin withdraws it by moving the expiry to now.
    url = f"/admin/announcements/{row.id}/edit"
    assert _write(admin, "敦品公告", expires="2026-12-01T10:00", url=url).status_code == 200
    assert (
        _write(admin, "敦品公告", "2026-11-30T10:00", "2026-12-01T10:00", url=url).status_code
        == 302
    )
    assert "敦品公告" not in client.get("/").get_data(as_text=True)


def test_the_window_must_be_in_order_and_html_is_text(app, client):
    seed(app)
    clock.freeze(START)
    owner = _owner(app)
    page = _write(owner, "<b>x</b>", "2026-12-02T10:00", "2026-12-01T10:00").get_data(as_text=True)
    assert field_error(page, "expires_at") and _rows(app) == []
    assert _write(owner, "<script>alert(1)</script>").status_code == 302
    [row] = _rows(app)
    page = client.get(f"/announcements/{row.id}").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page


def test_families_and_reviewers_cannot_edit_announcements(app):
    seed(app)
    reviewer = logged_in(app, "reviewer.dunpin@example.tw", STAFF_PASSWORD)
    assert reviewer.get("/admin/announcements").status_code == 404
    assert reviewer.get(NEW).status_code == 404
