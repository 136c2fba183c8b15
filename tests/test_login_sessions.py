"""Logging out ends the session on the server: a copy of its cookie signs nobody in."""

from __future__ import annotations

from sqlalchemy import func, select

from domain.demo import FAMILY_EMAIL, FAMILY_PASSWORD
from domain.login_sessions import MAX_OPEN, LoginSession
from tests.application_support import seed
from tests.conftest import read
from tests.sql_support import statements_run
from tests.web_support import csrf_token, login


def signed_in(client) -> bool:
    return client.get("/account").status_code == 200


def copy_cookies(source, target) -> None:
    """What someone who took the cookies of `source`'s browser would send."""
    for cookie in source._cookies.values():
        target.set_cookie(cookie.key, cookie.value, domain=cookie.domain)


def test_a_copied_cookie_stops_working_once_its_owner_logs_out(app, client):
    seed(app)
    login(client, FAMILY_EMAIL, FAMILY_PASSWORD)
    thief = app.test_client()
    copy_cookies(client, thief)
    assert signed_in(client) and signed_in(thief)
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    assert not signed_in(client)
    assert not signed_in(thief)
    assert read(app, select(func.count()).select_from(LoginSession)) == [0]


def test_logging_out_one_browser_keeps_the_others(app, client):
    seed(app)
    login(client, FAMILY_EMAIL, FAMILY_PASSWORD)
    phone = app.test_client()
    login(phone, FAMILY_EMAIL, FAMILY_PASSWORD)
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    assert signed_in(phone) and not signed_in(client)


def test_an_account_keeps_its_newest_sessions_only(app, client):
    seed(app)
    login(client, FAMILY_EMAIL, FAMILY_PASSWORD)
    others = [app.test_client() for _ in range(MAX_OPEN)]
    for other in others:
        login(other, FAMILY_EMAIL, FAMILY_PASSWORD)
    assert read(app, select(func.count()).select_from(LoginSession)) == [MAX_OPEN]
    assert not signed_in(client)  # the oldest ended when one more than MAX_OPEN opened
    assert all(signed_in(other) for other in others)


def test_a_signed_in_request_finds_its_account_and_session_in_one_query(app, client):
    seed(app)
    login(client, FAMILY_EMAIL, FAMILY_PASSWORD)
    with statements_run(app.extensions["db"].engine) as statements:
        assert signed_in(client)
    said = [s for s in statements if "login_session" in s or "FROM account" in s]
    assert len(said) == 1 and "login_session" in said[0], said
