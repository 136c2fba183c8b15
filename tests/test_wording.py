"""The same action and the same progress read the same on every family page (zh-Hant)."""

from __future__ import annotations

import re

from tests.post_support import family_with_book, start_post

WRITE_A_POST = "發佈家庭聯絡簿"


def _buttons(page: str) -> list[str]:
    return re.findall(r'<(?:a|button)[^>]*class="button[^"]*"[^>]*>([^<]*)<', page)


def test_writing_a_post_is_called_the_same_from_home_list_and_chooser(app):
    family, book_id = family_with_book(app)
    assert WRITE_A_POST in _buttons(family.get("/").get_data(as_text=True))
    assert WRITE_A_POST in _buttons(family.get("/posts").get_data(as_text=True))
    chooser = family.get("/posts/new").get_data(as_text=True)
    assert f"<h1>{WRITE_A_POST}</h1>" in chooser and "新增" not in chooser
    compose = family.get(start_post(family, book_id).headers["Location"]).get_data(as_text=True)
    assert "送出審核" in _buttons(compose)


def test_register_and_application_steps_share_one_format(app, client):
    family, _ = family_with_book(app)
    steps = re.findall(r'<p class="steps">([^<]*)</p>', client.get("/register").get_data(True))
    steps += re.findall(
        r'<p class="steps">([^<]*)</p>', family.get("/applications/new").get_data(True)
    )
    assert len(steps) == 2
    assert all(re.match(r"步驟 \d／\d：", step) for step in steps), steps
