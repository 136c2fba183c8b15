"""Where staff land after deciding on a family's post or application: never the family's page."""

from __future__ import annotations

import pytest

from tests.application_support import (
    DUNPIN_PROOFS,
    FAMILY,
    STAFF_PASSWORD,
    apply,
    logged_in,
    open_tasks,
    seed,
)
from tests.post_support import decide, deliver, family_with_book, review_task, send_post, staff
from tests.web_support import csrf_token

RECORDED = "已記錄您的決定"


def _landed(client, response):
    """Follow the redirect after a decision; (status, page text) of where it ends."""
    assert response.status_code == 302, response.get_data(as_text=True)
    page = client.get(response.headers["Location"], follow_redirects=True)
    return page.status_code, page.get_data(as_text=True)


@pytest.mark.parametrize(("decision", "reason"), [("approve", ""), ("reject", "請勿談公務")])
def test_a_reviewer_deciding_on_a_post_lands_on_the_inbox(app, decision, reason):
    family, book_id = family_with_book(app)
    send_post(family, book_id)
    reviewer = staff(app, "reviewer", "dunpin")
    status, page = _landed(reviewer, decide(reviewer, review_task(app), decision, reason))
    assert status == 200 and RECORDED in page


def test_the_admin_delivering_a_post_lands_on_the_inbox(app):
    family, book_id = family_with_book(app)
    send_post(family, book_id)
    decide(staff(app, "reviewer", "dunpin"), review_task(app), "approve")
    [delivery] = open_tasks(app, bpmn_id="deliver")
    admin = staff(app, "facility_admin", "dunpin")
    status, page = _landed(admin, deliver(admin, delivery.task_guid))
    assert status == 200 and RECORDED in page


@pytest.mark.parametrize(("decision", "extra"), [("approve", {}), ("reject", {"reason": "模糊"})])
def test_a_reviewer_deciding_on_an_application_lands_on_the_inbox(app, decision, extra):
    seed(app)
    apply(logged_in(app, *FAMILY), "dunpin-school", "1201", "parent", DUNPIN_PROOFS)
    [task] = open_tasks(app, lane="Reviewer")
    desk = logged_in(app, "reviewer.dunpin@example.tw", STAFF_PASSWORD)
    url = f"/tasks/{task.task_guid}"
    data = {"csrf_token": csrf_token(desk, url), "decision": decision, **extra}
    status, page = _landed(desk, desk.post(url, data=data))
    assert status == 200 and RECORDED in page


def test_the_family_still_lands_on_its_result(app):
    family, book_id = family_with_book(app)
    response = send_post(family, book_id)
    assert "/posts/outcome/" in response.headers["Location"]
