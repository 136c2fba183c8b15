"""The review pages: on a desktop the decision beside what is reviewed and in the first screen; on
a phone one column without sideways scrolling; the reason fields only once "Reject" is chosen."""

from __future__ import annotations

from tests.application_support import (
    FAMILY,
    STAFF_PASSWORD,
    apply,
    logged_in,
    open_tasks,
    png,
    seed,
)
from tests.browser.browser_support import (
    DESKTOP,
    PAGE_WIDTH,
    PHONE,
    SUBMIT,
    log_in,
    open_review,
    tall_photo,
)
from tests.post_support import (
    staff_email,
)


def test_on_a_desktop_the_decision_is_beside_the_post_and_stays_in_view(app, live_server, page):
    open_review(app, live_server, page, DESKTOP)
    submit = page.locator(SUBMIT)
    box = submit.bounding_box()
    assert box["y"] + box["height"] <= DESKTOP["height"]  # in the first screen
    post = page.locator("article.post-view").bounding_box()
    assert box["x"] >= post["x"] + post["width"]  # to the right of the post
    page.evaluate("window.scrollTo(0, 1500)")
    assert page.evaluate("window.scrollY") > 500
    box = submit.bounding_box()  # sticky: still on screen after scrolling down
    assert 0 <= box["y"] and box["y"] + box["height"] <= DESKTOP["height"]


def test_on_a_phone_the_post_comes_first_and_nothing_scrolls_sideways(app, live_server, page):
    open_review(app, live_server, page, PHONE)
    assert page.evaluate(PAGE_WIDTH) <= PHONE["width"]
    post = page.locator("article.post-view").bounding_box()
    decision = page.locator("#decision-title").bounding_box()
    assert decision["y"] > post["y"] + post["height"]


def test_the_reason_fields_show_only_when_rejecting(app, live_server, page):
    open_review(app, live_server, page, DESKTOP)
    reason, template = page.locator("#reason"), page.locator("#reason_template")
    assert not reason.is_visible() and not template.is_visible()
    page.get_by_label("Approve").check()
    assert not reason.is_visible() and not template.is_visible()
    page.get_by_label("Reject").check()
    assert reason.is_visible() and template.is_visible()
    page.locator(SUBMIT).click()  # a rejection without a reason: refused, the fields still shown
    page.wait_for_selector(".field-error")
    assert page.locator("#reason").is_visible()
    assert page.get_by_label("Reject").is_checked()


def test_the_application_review_has_its_decision_in_the_first_screen(app, live_server, page):
    seed(app)
    proofs = {
        "id_document": (tall_photo(), "id.png"),
        "relationship_proof": (png((0, 90, 0)), "hh.png"),
    }
    assert apply(logged_in(app, *FAMILY), "dunpin-school", "1201", "parent", proofs)
    [task] = open_tasks(app, lane="Reviewer")
    page.set_viewport_size(DESKTOP)
    log_in(page, live_server, staff_email("reviewer", "dunpin"), STAFF_PASSWORD, "en")
    page.goto(f"{live_server}/tasks/{task.task_guid}")
    box = page.locator(SUBMIT).bounding_box()
    assert box["y"] + box["height"] <= DESKTOP["height"]
    assert not page.locator("#reason").is_visible()
    assert not page.locator("#suggested_steps").is_visible()
    page.get_by_label("Reject").check()
    assert page.locator("#reason").is_visible() and page.locator("#suggested_steps").is_visible()


def test_on_a_phone_the_reason_hint_and_the_empty_choice_are_read_whole(app, live_server, page):
    """A closed list shows one line, which cut the hint off at 390 px: the hint is the field's
    help text, which wraps, and the empty choice is short enough for the list."""
    open_review(app, live_server, page, PHONE)
    page.get_by_label("Reject").check()
    hint = page.locator("#reason_template-help")
    assert hint.inner_text() == "Choose a usual reason, write your own in the box below, or both."
    box = hint.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    assert "reason_template-help" in page.locator("#reason_template").get_attribute(
        "aria-describedby"
    )
    room_and_text = page.locator("#reason_template").evaluate(
        """s => {
            const style = getComputedStyle(s);
            const context = document.createElement("canvas").getContext("2d");
            context.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
            const room = s.clientWidth - parseFloat(style.paddingLeft)
                - parseFloat(style.paddingRight) - 20;  // the list's arrow
            return [room, context.measureText(s.options[s.selectedIndex].text).width];
        }"""
    )
    room, text = room_and_text
    assert text <= room
