"""Text no keyboard types (NUL and the other control characters but tab and line breaks) is
refused beside its field on every form, with what was typed kept: PostgreSQL cannot store NUL,
and the request used to fail as a whole there."""

from __future__ import annotations

import pytest

from forms.base import UNTYPABLE
from tests.application_support import field_error, seed
from tests.post_support import family_with_book, posts, send_post, staff


@pytest.mark.parametrize("bad", ["\x00", "\x1b", "\x7f"], ids=["NUL", "ESC", "DEL"])
def test_a_post_with_a_control_character_is_refused_beside_the_field(app, bad):
    family, book_id = family_with_book(app)
    response = send_post(family, book_id, title=f"全家{bad}福", body="爸爸，我們都很好。")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "控制字元" in field_error(page, "title")
    assert not field_error(page, "body")
    assert "爸爸，我們都很好。" in page  # what was typed is kept
    assert posts(app) == []


def test_tabs_and_line_breaks_are_text():
    assert not UNTYPABLE.search("第一行\r\n第二行\t結尾")
    assert UNTYPABLE.search("a\x00b") and UNTYPABLE.search("a\x0bb")


def test_a_body_with_line_breaks_is_filed(app):
    family, book_id = family_with_book(app)
    response = send_post(family, book_id, title="近況", body="爸爸：\r\n\t我們都很好。")
    assert response.status_code == 302
    [post] = posts(app)
    assert "我們都很好" in post.body


@pytest.mark.parametrize(
    "url",
    ["/inbox?q=a%00b", "/inbox?page=1&q=ok&q=%1b", "/admin/roster?q=%00", "/tasks/ab%00cd"],
)
def test_a_control_character_in_an_address_is_a_bad_request(app, url):
    seed(app)
    admin = staff(app, "facility_admin", "dunpin")
    assert admin.get(url).status_code == 400


def test_ordinary_addresses_still_work(app):
    seed(app)
    admin = staff(app, "facility_admin", "dunpin")
    assert admin.get("/admin/roster?q=%E6%9E%97").status_code == 200
