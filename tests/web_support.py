"""Helpers for driving the web app like a browser: CSRF tokens, forms, mailed links."""

from __future__ import annotations

import re

CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
LINK_RE = re.compile(r"http://localhost(/\S+)")
# What a page says of a task already completed (a form sent twice, a step someone else took).
ALREADY = "這項作業已經有人處理完成"


def csrf_token(client, url: str) -> str:
    page = client.get(url).get_data(as_text=True)
    match = CSRF_RE.search(page)
    assert match, f"no CSRF token on {url}"
    return match.group(1)


def submit(client, url: str, data: dict, **kwargs):
    """GET the page for its token, then POST the form."""
    return client.post(url, data={"csrf_token": csrf_token(client, url), **data}, **kwargs)


def mailed_path(message) -> str:
    """The site path of the link in a mail (the links point at BASE_URL=http://localhost)."""
    match = LINK_RE.search(message.get_body(("plain",)).get_content())
    assert match, "no link in the mail"
    return match.group(1)


def status_of(client, url: str) -> int:
    """The status of a GET, with the response (a file stream) closed."""
    response = client.get(url)
    response.close()
    return response.status_code


DETAILS = {
    "name": "王小明",
    "national_id": "A123456789",
    "email": "ming@example.tw",
    "birthday": "1985-04-12",
    "mobile": "0912345678",
    "phone": "04-23853880",
    "password": "correct horse 42",
    "password_confirm": "correct horse 42",
}


def register(client, **changes) -> str:
    """Accept the notice and send the details; returns the URL of the landing page."""
    response = submit(client, "/register", {"consent": "y"})
    assert response.status_code == 302, response.get_data(as_text=True)
    task_url = response.headers["Location"]
    response = submit(client, task_url, {**DETAILS, **changes})
    assert response.status_code == 302, response.get_data(as_text=True)
    return response.headers["Location"]


def verify(client, path: str):
    """Open a verification link and press its button."""
    return submit(client, path, {})


def login(client, email: str, password: str):
    return submit(client, "/login", {"email": email, "password": password})


def switch_language(client, code: str, back: str | None = None):
    """Press the language switch's button for `code` (a POST with the token); the response."""
    return submit(client, f"/lang/{code}", {"next": back} if back else {})
