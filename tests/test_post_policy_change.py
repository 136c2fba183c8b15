"""A process owner edits facility_policy.dmn and deploys: posts follow the new numbers at once."""

from __future__ import annotations

import shutil
from datetime import timedelta
from pathlib import Path

from tests.application_support import field_error
from tests.post_support import family_with_book, posts, send_post, start_post
from workflows import clock

BPMN = Path(__file__).resolve().parent.parent / "bpmn"
# Dunpin's row of the table: interval 2 days (o0), text limit 150 (o1).
DUNPIN_INTERVAL = '<outputEntry id="facility_policy_r4_o0"><text>2</text>'
DUNPIN_LIMIT = '<outputEntry id="facility_policy_r4_o1"><text>150</text>'


def deploy_edited(app, tmp_path, *edits: tuple[str, str]) -> None:
    """Copy bpmn/, apply the edits to the policy table, deploy it as the newest version."""
    folder = tmp_path / "bpmn"
    shutil.copytree(BPMN, folder)
    table = folder / "facility_policy.dmn"
    text = table.read_text()
    for old, new in edits:
        assert old in text
        text = text.replace(old, new)
    table.write_text(text)
    database = app.extensions["db"]
    with database.transaction() as session:
        app.extensions["engine"].versions.deploy_folder(session, folder)
    database.remove()


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
