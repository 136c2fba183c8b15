"""The compose page's live counter counts characters as the server does (an emoji is one)."""

from __future__ import annotations

from domain.posts import character_count
from tests.browser.browser_support import SUBMIT, log_in
from tests.post_support import family_with_book, posts, start_post

FAMILY_EMOJI = "\U0001f468\u200d\U0001f469\u200d\U0001f467"  # one character to a person
ACCENTED = "e\u0301"  # e + combining acute: one character


def test_the_counter_and_the_server_agree(app, live_server, page):
    client, book_id = family_with_book(app, "taichung-detention", "0609")  # limit 100
    task_url = start_post(client, book_id).headers["Location"]
    log_in(page, live_server)
    page.goto(live_server + task_url)
    counter = page.locator("#body-counter")
    assert "0" in counter.inner_text() and "100" in counter.inner_text()

    text = "爸爸好" + FAMILY_EMOJI * 3 + ACCENTED * 2 + "🇹🇼"
    page.fill("#title", "全家福")
    page.fill("#body", text)
    shown = counter.inner_text()
    assert f"已輸入 {character_count(text)} 字" in shown and character_count(text) == 9

    at_limit = FAMILY_EMOJI * 100
    page.fill("#body", at_limit)
    assert "已輸入 100 字 / 上限 100" in counter.inner_text()
    page.click(SUBMIT)
    page.wait_for_url(lambda url: "/tasks/" not in url)
    [post] = posts(app)
    assert character_count(post.body) == 100


def test_the_counter_marks_text_over_the_limit_and_the_server_refuses_it(app, live_server, page):
    client, book_id = family_with_book(app, "taichung-detention", "0609")
    task_url = start_post(client, book_id).headers["Location"]
    log_in(page, live_server)
    page.goto(live_server + task_url)
    page.fill("#title", "太長了")
    page.fill("#body", "想" * 101)
    counter = page.locator("#body-counter")
    assert "已輸入 101 字" in counter.inner_text()
    assert "counter--over" in (counter.get_attribute("class") or "")
    page.click(SUBMIT)
    page.wait_for_selector("#body-error")
    assert "101" in page.inner_text("#body-error")
    assert page.input_value("#body") == "想" * 101  # the text is kept
    assert posts(app) == []


def test_without_intl_segmenter_the_counter_still_counts_as_a_person_does(app, live_server, page):
    """Older browsers (Firefox before 125) have no Intl.Segmenter: the page's own rule."""
    page.add_init_script("delete Intl.Segmenter;")
    client, book_id = family_with_book(app, "taichung-detention", "0609")
    task_url = start_post(client, book_id).headers["Location"]
    log_in(page, live_server)
    page.goto(live_server + task_url)
    assert page.evaluate("typeof Intl.Segmenter") == "undefined"
    skin_tone_wave = "\U0001f44b\U0001f3fd"
    text = "爸爸好" + FAMILY_EMOJI * 3 + ACCENTED * 2 + "🇹🇼🇯🇵" + skin_tone_wave + "❤️"
    page.fill("#body", text)
    expected = character_count(text)
    assert expected == 12
    assert f"已輸入 {expected} 字" in page.locator("#body-counter").inner_text()
