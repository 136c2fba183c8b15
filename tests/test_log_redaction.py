"""Mailed link tokens never reach the access log."""

from __future__ import annotations

import logging


def test_the_access_log_writes_no_token_of_a_mailed_link(app, caplog):
    caplog.set_level(logging.INFO)
    token = "eyJhY2NvdW50IjoxfQ.Z0abc-1_x"
    for path in (f"/verify/{token}", f"/password/reset/{token}?x=1", f"/account/email/{token}"):
        # As werkzeug's development server and gunicorn log each request.
        logging.getLogger("werkzeug").info('127.0.0.1 - - "%s %s HTTP/1.1" %s -', "GET", path, 200)
        logging.getLogger("gunicorn.access").info('"GET %s HTTP/1.1" 200', path)
    assert caplog.records and token not in caplog.text
    assert '"GET /verify/[token] HTTP/1.1" 200' in caplog.text
    assert "/password/reset/[token]?x=1" in caplog.text


def test_other_paths_are_logged_as_they_are(app, caplog):
    caplog.set_level(logging.INFO)
    logging.getLogger("werkzeug").info('"GET %s HTTP/1.1" 200 -', "/tasks/abc-123")
    assert "/tasks/abc-123" in caplog.text
