"""A process owner edits facility_policy.dmn and deploys: posts follow the new numbers at once."""

from __future__ import annotations

import io
from datetime import timedelta

from domain.posts import PostStatus
from tests.application_support import field_error, png
from tests.policy_support import deploy_edited
from tests.post_support import (
    compose,
    decide,
    family_with_book,
    posts,
    review_task,
    send_post,
    staff,
    start_post,
)
from workflows import clock

# Dunpin's row of the table: interval 2 days (o0), text limit 150 (o1).
DUNPIN_INTERVAL = '<outputEntry id="facility_policy_r4_o0"><text>2</text>'
DUNPIN_LIMIT = '<outputEntry id="facility_policy_r4_o1"><text>150</text>'


def test_a_lower_text_limit_applies_to_the_next_post(app, tmp_path):
    family, book_id = family_with_book(app)
    deploy_edited(app, tmp_path, (DUNPIN_LIMIT, DUNPIN_LIMIT.replace("150", "10")))
    response = send_post(family, book_id, body="這一句話剛好超過十個字了")
    assert response.status_code == 200
    assert "10" in field_error(response.get_data(as_text=True), "body")
    assert posts(app) == []


def test_a_longer_interval_applies_to_the_next_post(app, tmp_path):
    family, book_id = family_with_book(app)
    clock.freeze(clock.now())
    send_post(family, book_id)
    clock.advance(timedelta(days=3))  # past Dunpin's 2 days
    deploy_edited(app, tmp_path, (DUNPIN_INTERVAL, DUNPIN_INTERVAL.replace("2", "5")))
    assert "/posts/outcome/" in start_post(family, book_id).headers["Location"]
    clock.advance(timedelta(days=2, seconds=1))
    assert "/tasks/" in start_post(family, book_id).headers["Location"]


# Dunpin's photos per post (o2) and "a rejected post uses up the interval" (o8).
DUNPIN_PHOTOS = '<outputEntry id="facility_policy_r4_o2"><text>1</text>'
DUNPIN_REJECTED_COUNTS = '<outputEntry id="facility_policy_r4_o8"><text>False</text>'


def test_a_policy_of_no_photos_takes_the_file_field_away(app, tmp_path):
    family, book_id = family_with_book(app)
    deploy_edited(app, tmp_path, (DUNPIN_PHOTOS, DUNPIN_PHOTOS.replace(">1<", ">0<")))
    task_url = start_post(family, book_id).headers["Location"]
    page = family.get(task_url).get_data(as_text=True)
    assert 'type="file"' not in page and "相片 1 張" not in page
    sent = compose(family, task_url, body="照片在這裡", photo=(io.BytesIO(png()), "a.png"))
    page = sent.get_data(as_text=True)
    assert sent.status_code == 200 and field_error(page, "photo") and "照片在這裡" in page
    assert posts(app) == []
    assert compose(family, task_url, body="只有文字").status_code == 302
    [post] = posts(app)
    assert post.upload_file_id is None and post.status == PostStatus.PENDING


def test_a_rejected_post_uses_up_the_interval_when_the_policy_says_so(app, tmp_path):
    family, book_id = family_with_book(app)
    clock.freeze(clock.now())
    deploy_edited(
        app, tmp_path, (DUNPIN_REJECTED_COUNTS, DUNPIN_REJECTED_COUNTS.replace("False", "True"))
    )
    send_post(family, book_id)
    reviewer = staff(app, "reviewer", "dunpin")
    assert decide(reviewer, review_task(app), "reject", "請勿談公務").status_code == 302
    assert "/posts/outcome/" in start_post(family, book_id).headers["Location"]
    clock.advance(timedelta(days=2))
    assert "/tasks/" in start_post(family, book_id).headers["Location"]
