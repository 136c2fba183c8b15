"""What the browser tests share: the app served on a local port, screen sizes, logging in, and
a review page with a tall photo."""

from __future__ import annotations

import io
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from PIL import Image
from werkzeug.serving import make_server

from tests.application_support import FAMILY, STAFF_PASSWORD
from tests.post_support import (
    family_with_book,
    photo_jobs_done,
    review_task,
    send_post,
    staff_email,
)

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
SUBMIT = "form.form button[type=submit]"  # not the header's log-out button
PAGE_WIDTH = "document.documentElement.scrollWidth"


@contextmanager
def serve(app) -> Iterator[str]:
    """Serve the app on http://127.0.0.1:<free port> while the block runs; yields the base URL.
    The server runs in a thread of the test process, on the test database."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=5)


def log_in(
    page, base: str, email: str = FAMILY[0], password: str = FAMILY[1], language: str | None = None
) -> None:
    """Log in (the demo family by default), then switch the page language if one is given."""
    page.goto(f"{base}/login")
    page.fill("#email", email)
    page.fill("#password", password)
    page.click(SUBMIT)
    page.wait_for_url(f"{base}/")
    if language is not None:
        page.goto(f"{base}/lang/{language}?next=/")
        page.locator("main form button[type=submit]").click()
        page.wait_for_url(f"{base}/")


def tall_photo() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (600, 2000), (200, 120, 60)).save(out, format="PNG")
    return out.getvalue()


def open_review(app, live_server, page, viewport) -> None:
    """A family's post with a tall photo, opened by Dunpin's reviewer in English."""
    family, book_id = family_with_book(app)
    send_post(family, book_id, photo=(io.BytesIO(tall_photo()), "tall.png"))
    photo_jobs_done(app)
    page.set_viewport_size(viewport)
    log_in(page, live_server, staff_email("reviewer", "dunpin"), STAFF_PASSWORD, "en")
    page.goto(f"{live_server}/tasks/{review_task(app)}")
