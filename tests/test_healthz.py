"""/healthz for a signed-in user: the same answer, at once (the others are in test_app_shell)."""

from __future__ import annotations

from tests.application_support import FAMILY, logged_in, seed


def test_healthz_answers_at_once_for_a_signed_in_user(app):
    """Signing the user in opens the request's transaction first (on SQLite with the write
    lock): the check must ask through it, not wait on a second connection and say 503."""
    seed(app)
    client = logged_in(app, *FAMILY)
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}
