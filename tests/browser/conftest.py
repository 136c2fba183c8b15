"""Browser tests: the app served on a free local port, driven by Debian's chromium.

No browser is downloaded: `make install` installs Debian's chromium, and Playwright launches it
by path. The server runs in a thread of the test process, on the test database.
"""

from __future__ import annotations

import threading

import pytest
from werkzeug.serving import make_server

CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="session")
def browser_type_launch_args():
    return {
        "executable_path": CHROMIUM,
        "args": ["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
    }


@pytest.fixture
def live_server(app):
    """The app on http://127.0.0.1:<free port>; yields the base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    """A browser in Taiwan: it asks for zh-TW, which the app serves as Traditional Chinese."""
    return {**browser_context_args, "locale": "zh-TW"}
