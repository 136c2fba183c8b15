"""Browser tests: the app served on a free local port, driven by Debian's chromium.

No browser is downloaded: `make install` installs Debian's chromium, and Playwright launches it
by path. The server runs in a thread of the test process, on the test database.
"""

from __future__ import annotations

import pytest

from tests.browser.browser_support import serve

CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="session")
def browser_type_launch_args():
    return {
        "executable_path": CHROMIUM,
        "args": ["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
    }


@pytest.fixture
def live_server(app):
    """The test's app on a free local port; yields the base URL."""
    with serve(app) as base:
        yield base


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    """A browser in Taiwan: it asks for zh-TW, which the app serves as Traditional Chinese."""
    return {**browser_context_args, "locale": "zh-TW"}
