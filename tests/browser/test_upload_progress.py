"""While a form's files travel, the page shows how far they have got; then the server's answer
(the next page, or the form again with its errors) replaces it as a plain submission would. A
sending that breaks off says so and keeps everything entered."""

from __future__ import annotations

import io

from PIL import Image

from tests.browser.browser_support import SUBMIT, log_in
from tests.post_support import family_with_book, posts, start_post

TITLE, BODY = "全家福", "爸爸，這是我們的照片。"


def noisy_jpeg(size=(900, 700)) -> bytes:
    """A JPEG that does not compress much (about 0.5 MB), so sending it takes a while."""
    out = io.BytesIO()
    Image.effect_noise(size, 80).convert("RGB").save(out, "JPEG", quality=95)
    return out.getvalue()


def compose_page(app, live_server, page) -> str:
    """The demo family's compose page, open in the browser; its URL."""
    client, book_id = family_with_book(app, "taichung-detention", "0609")
    task_url = live_server + start_post(client, book_id).headers["Location"]
    log_in(page, live_server)
    page.goto(task_url)
    return task_url


def choose_photo(page, data: bytes) -> None:
    page.set_input_files("#photo", {"name": "family.jpg", "mimeType": "image/jpeg", "buffer": data})


def slow_upload(page, bytes_per_second: int) -> None:
    """Chromium's network emulation: requests leave the browser at this rate."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    conditions = {"offline": False, "latency": 0, "downloadThroughput": -1}
    conditions["uploadThroughput"] = bytes_per_second
    cdp.send("Network.emulateNetworkConditions", conditions)


def progress_until_next_page(page, task_url: str) -> list[tuple[float, str]]:
    """(bar value, status text) as often as they can be read, until the next page is shown."""
    seen = []
    for _ in range(200):
        if page.url != task_url:
            return seen
        bar = page.locator(".upload-progress progress")
        try:
            seen.append((float(bar.get_attribute("value", timeout=500) or 0), bar_text(page)))
        except Exception:  # the page was replaced between the two reads
            pass
        page.wait_for_timeout(50)
    raise AssertionError(f"the next page never came: {seen[-3:]}")


def bar_text(page) -> str:
    return page.locator(".upload-progress span").inner_text(timeout=500)


def test_the_progress_shows_while_the_photo_travels_then_the_next_page(app, live_server, page):
    task_url = compose_page(app, live_server, page)
    page.fill("#title", TITLE)
    page.fill("#body", BODY)
    photo = noisy_jpeg()
    choose_photo(page, photo)
    slow_upload(page, len(photo) // 2)  # about two seconds on the way
    page.click(SUBMIT)

    status = page.locator(".upload-progress[role=status]")
    status.wait_for(state="visible")
    assert page.locator(SUBMIT).is_disabled()  # one sending at a time
    seen = progress_until_next_page(page, task_url)
    assert any(0 < value < 100 for value, _text in seen), seen  # it moved, in steps
    assert any("傳送中" in text for _value, text in seen), seen
    assert "/posts" in page.url
    assert "家庭聯絡簿已送出" in page.locator(".flashes").inner_text()
    [post] = posts(app)
    assert post.title == TITLE and post.body == BODY


def test_the_form_comes_back_with_its_errors_and_the_text_kept(app, live_server, page):
    task_url = compose_page(app, live_server, page)
    page.fill("#title", TITLE)
    page.fill("#body", BODY)
    choose_photo(page, b"not a photo at all")  # refused by content, on the server
    page.click(SUBMIT)

    page.locator(".error-summary").wait_for(state="visible")
    assert page.url == task_url
    assert page.get_attribute("#photo", "aria-invalid") == "true"
    assert page.input_value("#title") == TITLE and page.input_value("#body") == BODY
    assert page.locator(".upload-progress").count() == 0  # the server's page, not the old one
    page.fill("#body", "想你")  # the new page's own scripts run: its counter follows
    assert "已輸入 2 字" in page.locator("#body-counter").inner_text()
    assert posts(app) == []


def test_a_sending_that_breaks_off_says_so_and_keeps_everything(app, live_server, page):
    task_url = compose_page(app, live_server, page)
    page.fill("#title", TITLE)
    page.fill("#body", BODY)
    choose_photo(page, noisy_jpeg((200, 150)))
    page.route(task_url, lambda route: route.abort("connectionreset"))
    page.click(SUBMIT)

    status = page.locator(".upload-progress--failed")
    status.wait_for(state="visible")
    assert "再送出一次" in status.inner_text()
    assert page.url == task_url
    assert page.input_value("#title") == TITLE and page.input_value("#body") == BODY
    assert page.locator(SUBMIT).is_enabled()

    page.unroute(task_url)
    page.click(SUBMIT)  # the connection is back: the same form goes through
    page.wait_for_url(lambda url: url != task_url)
    [post] = posts(app)
    assert post.title == TITLE
