"""Files over a form's limit are refused in the page, beside the field, before anything is sent;
above what the server reads at all, the 413 page says the typed text is still in the form."""

from __future__ import annotations

import io

from PIL import Image
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from tests.browser.browser_support import SUBMIT, log_in
from tests.post_support import family_with_book, posts, start_post

MB = 1024 * 1024


def small_jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), "teal").save(out, "JPEG")
    return out.getvalue()


def test_a_file_over_the_limit_is_refused_beside_the_field_and_nothing_is_sent(
    app, live_server, page
):
    client, book_id = family_with_book(app, "taichung-detention", "0609")
    task_url = start_post(client, book_id).headers["Location"]
    log_in(page, live_server)
    page.goto(live_server + task_url)
    page.fill("#title", "全家福")
    page.fill("#body", "爸爸，這是我們的照片。")
    big = {"name": "big.jpg", "mimeType": "image/jpeg", "buffer": b"\xff\xd8\xff" * (7 * MB)}
    page.set_input_files("#photo", big)

    error = page.locator("#photo-size-error")
    assert error.is_visible() and "20 MB" in error.inner_text()
    assert page.get_attribute("#photo", "aria-invalid") == "true"
    page.click(SUBMIT)  # the browser holds the form back
    assert page.url == live_server + task_url
    assert posts(app) == []
    assert page.input_value("#body") == "爸爸，這是我們的照片。"

    small = {"name": "family.jpg", "mimeType": "image/jpeg", "buffer": small_jpeg()}
    page.set_input_files("#photo", small)
    assert not error.is_visible()
    page.click(SUBMIT)
    page.wait_for_url(lambda url: "/tasks/" not in url)
    [post] = posts(app)
    assert post.title == "全家福"


def test_a_request_over_what_the_server_reads_says_the_text_is_still_in_the_form(app):
    client, book_id = family_with_book(app, "taichung-detention", "0609")
    task_url = start_post(client, book_id).headers["Location"]
    # Encoded in memory: the test client would spool a body this large to a file left open.
    huge = FileStorage(io.BytesIO(b"\0" * (33 * MB)), "huge.jpg")
    boundary, body = encode_multipart({"title": "t", "photo": huge})
    response = client.post(
        task_url, data=body, content_type=f"multipart/form-data; boundary={boundary}"
    )
    assert response.status_code == 413
    assert "上一頁" in response.get_data(as_text=True)
