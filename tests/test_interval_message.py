"""The refusal inside the posting interval names the facility's days (facility_policy.dmn), on
every page that shows it, in each language, with English plurals."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from flask_babel import force_locale

from tests.application_support import FAMILY
from tests.post_support import family_with_book, give_book, send_post, start_post
from tests.web_support import switch_language
from webapp.posts.texts import refusal_reason, refusal_text
from workflows import clock


@pytest.fixture
def posted_in_two_facilities(app):
    """The family posted just now in Dunpin (2 days) and in Taichung (30 days)."""
    clock.freeze(datetime(2026, 12, 1, 2, 0, tzinfo=UTC))  # 10:00 in Taipei
    family, dunpin = family_with_book(app)
    taichung = give_book(app, FAMILY[0], "taichung-detention", "0609")
    send_post(family, dunpin)
    send_post(family, taichung)
    clock.advance(timedelta(hours=1))
    return family, dunpin, taichung


def test_the_posts_page_and_the_chooser_name_each_facilitys_interval(posted_in_two_facilities):
    family, _, _ = posted_in_two_facilities
    for url in ("/posts", "/posts/new"):
        page = family.get(url).get_data(as_text=True)
        assert "每 2 天限發佈一則：2026-12-03 10:00 起可再發佈" in page, url
        assert "每 30 天限發佈一則：2026-12-31 10:00 起可再發佈" in page, url
        assert "每段期間" not in page


def test_the_refusal_page_names_the_days_in_english(posted_in_two_facilities):
    family, dunpin, taichung = posted_in_two_facilities
    switch_language(family, "en")
    for book_id, days in ((dunpin, 2), (taichung, 30)):
        refused = start_post(family, book_id)
        page = family.get(refused.headers["Location"]).get_data(as_text=True)
        assert f"The facility allows one post every {days} days, and your last" in page
    assert "One post every 30 days: you can post again from" in family.get("/posts").get_data(
        as_text=True
    )


def test_one_day_is_singular_in_english_and_the_same_form_in_chinese(app):
    until = datetime(2026, 12, 2, 2, 0, tzinfo=UTC)
    with app.test_request_context():
        with force_locale("en"):
            reason = refusal_reason("interval", 1)
            assert reason.startswith("The facility allows one post every 1 day,")
            assert refusal_text("interval", until, 1).startswith("One post every 1 day:")
            assert refusal_text("interval", until, 7).startswith("One post every 7 days:")
        with force_locale("vi"):
            assert refusal_text("interval", until, 7).startswith("Mỗi 7 ngày chỉ gửi một tin nhắn")
        with force_locale("zh_Hant"):
            assert refusal_reason("interval", 7).startswith("機關規定每 7 天限發佈一次")
