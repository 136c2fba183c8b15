"""`/account/api-tokens`: an account makes (shown once), lists and revokes its personal tokens.

Only the hash is stored; a revoked token gets the API's 401 at once; making and revoking are
in the audit log; another account's token cannot be revoked (404) or even seen.
"""

from __future__ import annotations

import re

from sqlalchemy import select

from domain.account_tokens import AccountToken
from domain.api_tokens import digest
from domain.audit import AuditEvent
from tests.application_support import FAMILY, logged_in, make_family, seed
from tests.conftest import read
from tests.post_support import staff
from tests.web_support import csrf_token, submit

PAGE = "/account/api-tokens"
TOKEN_RE = re.compile(r"<code[^>]*>(fb_[^<]+)</code>")


def make_token(client, label: str = "我的手機"):
    """POST the form; the response page."""
    return client.post(PAGE, data={"csrf_token": csrf_token(client, PAGE), "label": label})


def api_status(app, token: str) -> int:
    headers = {"Authorization": f"Bearer {token}"}
    return app.test_client().get("/api/v1/tasks", headers=headers).status_code


def revoke(client, token_id: int):
    url = f"{PAGE}/{token_id}/revoke"
    return client.post(url, data={"csrf_token": csrf_token(client, PAGE)})


def test_a_token_is_shown_once_stored_hashed_and_revoked_from_the_page(app):
    seed(app)
    family = logged_in(app, *FAMILY)
    assert PAGE in family.get("/account").get_data(as_text=True)
    made = make_token(family)
    assert made.status_code == 200 and made.headers["Cache-Control"] == "private, no-store"
    [token] = TOKEN_RE.findall(made.get_data(as_text=True))
    [row] = read(app, select(AccountToken))
    assert (row.label, row.token_hash, row.revoked_at) == ("我的手機", digest(token), None)
    assert token not in row.token_hash
    listed = family.get(PAGE).get_data(as_text=True)
    assert "我的手機" in listed and token not in listed
    assert api_status(app, token) == 200
    assert read(app, select(AccountToken.last_used_at))[0] is not None
    assert revoke(family, row.id).status_code == 303
    assert api_status(app, token) == 401
    assert revoke(family, row.id).status_code == 303  # again: nothing more happens
    events = read(app, select(AuditEvent).order_by(AuditEvent.id))
    assert [(e.action, e.object_id) for e in events] == [
        ("account_token.create", str(row.id)),
        ("account_token.revoke", str(row.id)),
    ]
    assert all(token not in repr(vars(e)) for e in events)


def test_staff_have_tokens_too(app):
    seed(app)
    reviewer = staff(app, "reviewer", "dunpin")
    [token] = TOKEN_RE.findall(make_token(reviewer, "審核工具").get_data(as_text=True))
    assert api_status(app, token) == 200


def test_a_token_needs_a_name_and_the_csrf_token(app):
    seed(app)
    family = logged_in(app, *FAMILY)
    assert "fb_" not in make_token(family, "").get_data(as_text=True)
    assert family.post(PAGE, data={"label": "x"}).status_code == 400
    assert read(app, select(AccountToken)) == []


def test_another_accounts_token_cannot_be_revoked_or_seen(app):
    seed(app)
    family = logged_in(app, *FAMILY)
    [token] = TOKEN_RE.findall(make_token(family).get_data(as_text=True))
    [row] = read(app, select(AccountToken))
    other = logged_in(app, *make_family(app, "other@example.tw"))
    assert "我的手機" not in other.get(PAGE).get_data(as_text=True)
    assert revoke(other, row.id).status_code == 404
    assert api_status(app, token) == 200


def test_deleting_the_account_deletes_its_tokens(app):
    seed(app)
    family = logged_in(app, *FAMILY)
    [token] = TOKEN_RE.findall(make_token(family).get_data(as_text=True))
    data = {"password": FAMILY[1], "understood": "y"}
    assert submit(family, "/account/delete", data).status_code == 302
    assert read(app, select(AccountToken)) == []
    assert api_status(app, token) == 401


def test_the_page_asks_visitors_to_log_in(client):
    assert client.get(PAGE).status_code == 302
