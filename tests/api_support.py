"""Calling the JSON API as its clients do: a personal token, a request without a session."""

from __future__ import annotations

from sqlalchemy import select

from domain.account_tokens import issue_account_token
from domain.accounts import Account


def token_of(app, email: str) -> str:
    """A fresh personal token of the account with this e-mail."""
    database = app.extensions["db"]
    with database.transaction() as session:
        account_id = session.scalar(select(Account.id).where(Account.email == email))
        token, _row = issue_account_token(session, account_id, "test")
    database.remove()
    return token


def api(app, token: str | None, method: str = "GET", url: str = "/api/v1/tasks", **kwargs):
    """A request from a client without any session cookie, as an API client makes it."""
    headers = kwargs.pop("headers", {})
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    return app.test_client().open(url, method=method, headers=headers, **kwargs)


def ids(response) -> list[str]:
    assert response.status_code == 200, response.get_data(as_text=True)
    return [task["id"] for task in response.get_json()["tasks"]]
