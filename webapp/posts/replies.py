"""`/books`: the facility's active contact books, where staff enter a reply of the person inside.

Whether replies are on is the facility's policy (DMN); the `inmate_reply` process decides it
when staff start a reply, and the page says so when they are off.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from domain.accounts import Account, Facility
from domain.applications import ContactBook
from domain.roster import Inmate
from workflows.models import InstanceStatus, ProcessInstance

from ..access import staff_only
from ..actors import current_actor
from ..extensions import get_db, get_engine
from ..taskpages.flow import LANDINGS, after_completion
from . import bp
from .overview import posting_policy

PROCESS = "inmate_reply"


@bp.route("/books")
@staff_only("facility_admin")
def books():
    """The active contact books of the facility: person and family, and a way to enter a
    reply where the facility's policy has replies on (for adults and juveniles alike or not)."""
    session = get_db().session
    code = session.get(Facility, current_user.facility_id).code
    replies_on = {
        juvenile: bool(posting_policy(session, code, juvenile)["inmate_replies"])
        for juvenile in (False, True)
    }
    rows = session.execute(
        select(ContactBook, Inmate, Account)
        .join(Inmate, Inmate.id == ContactBook.inmate_id)
        .join(Account, Account.id == ContactBook.account_id)
        .where(Inmate.facility_id == current_user.facility_id, ContactBook.status == "active")
        .order_by(Inmate.call_number)
    ).all()
    return render_template("posts/books.html", rows=rows, replies_on=replies_on)


@bp.route("/books/<int:book_id>/reply", methods=["POST"])
@staff_only("facility_admin")
def start_reply(book_id: int):
    """Start entering a reply for this book (a book of another facility is a 404)."""
    session = get_db().session
    book = session.get(ContactBook, book_id)
    inmate = session.get(Inmate, book.inmate_id) if book is not None else None
    if inmate is None or inmate.facility_id != current_user.facility_id:
        abort(404)
    actor = current_actor()
    instance = get_engine().start(
        session,
        PROCESS,
        actor,
        {"book_id": book.id, "facility_id": inmate.facility_id},
        facility_id=inmate.facility_id,
    )
    return after_completion(instance, actor)


@bp.route("/replies/outcome/<int:instance_id>")
@staff_only("facility_admin")
def reply_outcome(instance_id: int):
    """Saved, or replies are off at this facility."""
    instance = get_db().session.get(ProcessInstance, instance_id)
    if instance is None or instance.facility_id != current_user.facility_id:
        abort(404)
    saved = instance.status == InstanceStatus.COMPLETED and get_engine().final_data(instance).get(
        "reply_id"
    )
    if saved:
        flash(_("The reply is in the family's contact book; the family has been told."))
    else:
        flash(_("Replies of persons in custody are not switched on at this facility."), "info")
    return redirect(url_for("posts.books"))


LANDINGS[PROCESS] = lambda instance: url_for("posts.reply_outcome", instance_id=instance.id)
