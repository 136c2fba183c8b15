"""`/deliveries`: the facility's approved posts awaiting delivery, their sheets, and "delivered".

Recording a delivery completes the post's `deliver` task through the engine (the BPMN then
marks the post 已送達 and mails the family), exactly as the task page would.
"""

from __future__ import annotations

from datetime import timedelta

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from domain.accounts import Account
from domain.deliveries import (
    Handover,
    approved_post,
    awaiting_delivery,
    hand_over,
    recently_delivered,
)
from domain.roster import Inmate, local_today
from forms.post import DeliveredForm
from workflows import TaskAlreadyCompleted, TaskNotFound, clock

from ..access import staff_only
from ..actors import current_actor
from ..extensions import get_db, get_engine
from ..inbox.staff import names
from . import bp
from .sheets import sheets_response

FACILITY_ADMIN = "facility_admin"
# How far back the list of delivered posts reaches, to check what was recorded.
RECENT = timedelta(days=7)
# Handover outcome -> (message, flash category)
OUTCOMES = {
    Handover.DELIVERED: (_l("Recorded as delivered. The family has been told."), "success"),
    Handover.ALREADY: (_l("This post was already recorded as delivered."), "info"),
    Handover.NOT_READY: (
        _l("This post cannot be recorded now: its process is stopped. Staff have been alerted."),
        "warning",
    ),
    Handover.INCIDENT: (
        _l("The delivery is saved, but the next step failed. Staff have been alerted."),
        "warning",
    ),
}


@bp.get("/deliveries")
@staff_only(FACILITY_ADMIN)
def index():
    """Approved posts of the admin's facility not yet delivered, oldest approval first, then
    those delivered in the last seven days, newest first, with who recorded each."""
    session = get_db().session
    pending = awaiting_delivery(session, current_user.facility_id)
    recent = recently_delivered(session, current_user.facility_id, clock.now() - RECENT)
    deliverers = names(session, {post.delivered_by for post, _inmate in recent} - {None})
    return render_template(
        "deliveries/index.html", pending=pending, recent=recent, deliverers=deliverers
    )


@bp.get("/deliveries/<int:post_id>/delivered")
@staff_only(FACILITY_ADMIN)
def confirm(post_id: int):
    """Ask before recording: a delivery tells the family at once and cannot be taken back."""
    session = get_db().session
    post = _approved_here(session, post_id)
    if post.delivered:
        flash(str(OUTCOMES[Handover.ALREADY][0]), OUTCOMES[Handover.ALREADY][1])
        return redirect(url_for("deliveries.index"))
    return render_template(
        "deliveries/confirm.html",
        post=post,
        inmate=session.get(Inmate, post.inmate_id),
        writer=session.get(Account, post.account_id),
        form=DeliveredForm(),
    )


@bp.get("/deliveries/today.pdf")
@staff_only(FACILITY_ADMIN)
def today_sheets():
    """Every post awaiting delivery at the facility, one sheet a page."""
    pending = awaiting_delivery(get_db().session, current_user.facility_id)
    return sheets_response(pending, f"deliveries-{local_today().isoformat()}.pdf")


@bp.get("/deliveries/<int:post_id>/sheet.pdf")
@staff_only(FACILITY_ADMIN)
def sheet(post_id: int):
    """One approved post's sheet (delivered ones too, for a reprint)."""
    session = get_db().session
    post = _approved_here(session, post_id)
    return sheets_response([(post, session.get(Inmate, post.inmate_id))], f"post-{post.id}.pdf")


@bp.post("/deliveries/<int:post_id>/delivered")
@staff_only(FACILITY_ADMIN)
def delivered(post_id: int):
    """Record that the post was handed over; repeating it changes nothing."""
    session = get_db().session
    post = _approved_here(session, post_id)
    form = DeliveredForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        delivery = form.task_data()["delivery"]
        outcome = hand_over(get_engine(), session, post, current_actor(), delivery)
    except TaskNotFound:
        abort(404)
    except TaskAlreadyCompleted:
        session.rollback()  # another request recorded it first
        outcome = Handover.ALREADY
    message, category = OUTCOMES[outcome]
    flash(str(message), category)
    return redirect(url_for("deliveries.index"))


def _approved_here(session, post_id: int):
    """An approved post of the staff member's facility; 404 for anything else."""
    post = approved_post(session, current_user.facility_id, post_id)
    if post is None:
        abort(404)
    return post
