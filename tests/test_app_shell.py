"""The application shell: health check, language choice, security headers, the request
transaction and the error pages."""

from __future__ import annotations

import os
import re
import shutil
import stat
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from flask import Flask, abort, request, session
from flask_babel import format_date, format_datetime
from flask_wtf import FlaskForm
from sqlalchemy import text
from wtforms import StringField
from wtforms.validators import DataRequired

from domain.settings import Settings
from tests.web_support import csrf_token, switch_language
from webapp import create_app
from webapp.extensions import get_db, limiter
from webapp.i18n import local_day


def build_app(tmp_path, database_url: str = "sqlite://") -> Flask:
    """An app on its own instance folder and database."""
    settings = Settings.from_env(env={"INSTANCE_PATH": str(tmp_path), "DATABASE_URL": database_url})
    return create_app(settings, TESTING=True, START_BACKGROUND=False)


@pytest.fixture
def app(tmp_path):
    app = build_app(tmp_path)
    yield app
    app.extensions["db"].dispose()


@pytest.fixture
def client(app):
    return app.test_client()


def test_generated_keys_are_private_from_the_first_byte(tmp_path, monkeypatch):
    # Restricting the file after writing it leaves a moment (and, after a crash, for good)
    # in which others may read it: with chmod doing nothing, that moment lasts.
    monkeypatch.setattr(Path, "chmod", lambda *_args, **_kwargs: None)
    old_umask = os.umask(0)  # the most permissive the process could run with
    try:
        Settings.from_env(env={"INSTANCE_PATH": str(tmp_path), "DATABASE_URL": "sqlite://"})
    finally:
        os.umask(old_umask)
    assert stat.S_IMODE((tmp_path / "secrets.json").stat().st_mode) == 0o600


def test_healthz_answers_ok_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}


def test_healthz_answers_503_when_the_database_goes_away(tmp_path):
    folder = tmp_path / "db"
    folder.mkdir()
    app = build_app(tmp_path, f"sqlite:///{folder / 'app.sqlite'}")
    db = app.extensions["db"]
    db.dispose()  # drop the pooled connections, then take the database away
    shutil.rmtree(folder)
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json() == {"status": "unavailable"}
    db.dispose()


def test_home_page_is_in_traditional_chinese_by_default(client):
    page = client.get("/").get_data(as_text=True)
    assert '<html lang="zh-Hant">' in page
    assert "雲端家庭聯絡簿" in page
    assert "註冊" in page and "登入" in page


def test_an_english_browser_gets_english(client):
    page = client.get("/", headers={"Accept-Language": "en-US,en;q=0.9"}).get_data(as_text=True)
    assert '<html lang="en">' in page
    assert "Welcome to the e-Family Contact Book" in page
    assert "雲端家庭聯絡簿" not in page


@pytest.mark.parametrize(
    "header", ["zh-TW,zh;q=0.9,en-US;q=0.8,en;q=0.7", "zh-HK", "zh-Hant-TW", "zh", "fr,zh-TW;q=0.5"]
)
def test_a_chinese_browser_gets_traditional_chinese(client, header):
    page = client.get("/", headers={"Accept-Language": header}).get_data(as_text=True)
    assert '<html lang="zh-Hant">' in page
    assert "歡迎使用雲端家庭聯絡簿" in page


def test_built_in_form_messages_follow_the_language(app):
    class NameForm(FlaskForm):
        name = StringField("Name", validators=[DataRequired()])

    def check_name() -> str:
        form = NameForm(formdata=request.args, meta={"csrf": False})
        form.validate()
        return " ".join(form.name.errors)

    app.add_url_rule("/t/name", "t_name", check_name)
    client = app.test_client()
    # WTForms' Traditional catalog, not the Simplified one gettext falls back to for zh_Hant.
    chinese = client.get("/t/name", headers={"Accept-Language": "zh-TW"}).text
    assert chinese == "此欄位是必需的。"
    english = client.get("/t/name", headers={"Accept-Language": "en"}).text
    assert english == "This field is required."


def test_the_language_choice_persists_over_the_browser_language(client):
    response = switch_language(client, "en", "/healthz")
    assert response.status_code == 302
    assert response.headers["Location"] == "/healthz"
    page = client.get("/", headers={"Accept-Language": "zh-TW"}).get_data(as_text=True)
    assert '<html lang="en">' in page
    assert "How it works" in page

    switch_language(client, "zh_Hant")
    page = client.get("/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert '<html lang="zh-Hant">' in page


@pytest.mark.parametrize(
    "target", ["https://evil.example/", "//evil.example/", "/\\evil.example", "javascript:x"]
)
def test_the_language_switch_never_redirects_off_site(client, target):
    response = switch_language(client, "en", target)
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    asked = client.get("/lang/vi", query_string={"next": target}).get_data(as_text=True)
    form = asked[asked.index('<form method="post" action="/lang/vi">') :]
    assert form.index('<input type="hidden" name="next" value="/">') < form.index("</form>")


def test_an_unknown_language_is_not_found(client):
    assert client.get("/lang/fr").status_code == 404
    assert switch_language(client, "zh_Hant").status_code == 302
    token = csrf_token(client, "/")
    assert client.post("/lang/fr", data={"csrf_token": token}).status_code == 404


def test_a_link_to_the_switch_only_asks(client):
    """A GET from another site's link or image changes nothing: it shows the button that does."""
    page = client.get("/lang/en?next=/login").get_data(as_text=True)
    assert '<html lang="zh-Hant">' in page
    form = page[page.index('<form method="post" action="/lang/en">') :]
    assert '<input type="hidden" name="next" value="/login">' in form
    assert '<button type="submit" class="button button--primary" lang="en">English</button>' in form
    assert '<html lang="zh-Hant">' in client.get("/login").get_data(as_text=True)


def test_the_switch_without_its_token_is_refused_and_changes_nothing(client):
    assert client.post("/lang/en").status_code == 400
    assert client.post("/lang/en", data={"csrf_token": "forged"}).status_code == 400
    assert '<html lang="zh-Hant">' in client.get("/").get_data(as_text=True)


@pytest.mark.parametrize(
    "moment",
    [
        datetime(2026, 3, 1, 15, 59, tzinfo=UTC),  # 23:59 in Taipei
        datetime(2026, 3, 1, 16, 0, tzinfo=UTC),  # already the next day there
        datetime(2026, 12, 31, 16, 30, tzinfo=UTC),  # and the next year
    ],
)
def test_local_day_writes_the_day_as_datetimeformat_does(app, moment):
    with app.test_request_context("/"):
        assert local_day(moment) == format_datetime(moment, "yyyy-MM-dd")


@pytest.mark.parametrize("language", ["zh_Hant", "en", "vi", "id"])
def test_dates_are_written_one_way_in_every_language(app, language):
    """The filters without a pattern (what templates use) write 2026-12-05 and 2026-12-05 14:30."""
    with app.test_request_context("/"):
        session["lang"] = language
        assert format_date(date(2026, 12, 5)) == "2026-12-05"
        assert format_datetime(datetime(2026, 12, 5, 6, 30, tzinfo=UTC)) == "2026-12-05 14:30"


TEMPLATES = Path(__file__).resolve().parent.parent / "webapp" / "templates"


def test_templates_leave_the_date_pattern_to_the_shared_format():
    """A pattern written in a template (yyyy/MM/dd) would drift from DATE_FORMAT again."""
    written = re.compile(r"(?:date|datetime|time)format\s*\(")
    found = [
        f"{path.relative_to(TEMPLATES)}: {line.strip()}"
        for path in sorted(TEMPLATES.rglob("*.html"))
        for line in path.read_text(encoding="utf-8").splitlines()
        if written.search(line)
    ]
    assert found == []


def test_pages_carry_the_security_headers(client):
    headers = client.get("/").headers
    assert "script-src 'self'" in headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"


def test_a_missing_page_is_404_in_the_layout(client):
    response = client.get("/no/such/page")
    assert response.status_code == 404
    page = response.get_data(as_text=True)
    assert "找不到網頁" in page
    assert '<main id="content"' in page and 'class="site-header"' in page
    assert "Content-Security-Policy" in response.headers


def test_a_form_without_its_token_gets_the_form_expired_page(app):
    app.add_url_rule("/t/form", "t_form", lambda: "sent", methods=["POST"])
    response = app.test_client().post("/t/form", data={"x": "1"})
    assert response.status_code == 400
    assert "表單已失效" in response.get_data(as_text=True)


def test_too_many_attempts_get_the_429_page(app):
    app.add_url_rule("/t/limited", "t_limited", limiter.limit("1 per minute")(lambda: "ok"))
    client = app.test_client()
    assert client.get("/t/limited").status_code == 200
    response = client.get("/t/limited")
    assert response.status_code == 429
    assert "嘗試次數過多" in response.get_data(as_text=True)


def _count_rows(app: Flask) -> int:
    with app.extensions["db"].engine.connect() as connection:
        return connection.execute(text("SELECT count(*) FROM t_rows")).scalar_one()


def test_a_request_commits_on_success_and_rolls_back_on_failure(app):
    with app.extensions["db"].engine.begin() as connection:
        connection.execute(text("CREATE TABLE t_rows (x INTEGER)"))

    def insert(status: int):
        get_db().session.execute(text("INSERT INTO t_rows (x) VALUES (1)"))
        if status == 500:
            raise RuntimeError("the view failed after writing")
        if status >= 400:
            abort(status)
        return "written"

    app.add_url_rule("/t/insert/<int:status>", "t_insert", insert)
    app.config["PROPAGATE_EXCEPTIONS"] = False  # show the 500 page as a visitor would see it
    client = app.test_client()

    assert client.get("/t/insert/200").status_code == 200
    assert _count_rows(app) == 1
    assert client.get("/t/insert/400").status_code == 400
    assert _count_rows(app) == 1
    response = client.get("/t/insert/500")
    assert response.status_code == 500
    assert "系統發生錯誤" in response.get_data(as_text=True)
    assert _count_rows(app) == 1


def test_a_reading_session_reads_and_refuses_to_write(db):
    """Database.reading(): on PostgreSQL it reads without a transaction, so a flush (which
    would commit at once) is refused; on SQLite it is the ordinary session."""
    from domain.accounts import Facility

    session = db.reading()
    try:
        assert session.scalar(text("SELECT 1")) == 1
        session.add(Facility(code="read-only", name_zh="唯讀", name_en="Read only"))
        if db.engine.dialect.name == "postgresql":
            with pytest.raises(RuntimeError, match="reading only"):
                session.flush()
        else:
            session.flush()
    finally:
        db.remove()
