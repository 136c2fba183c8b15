"""`/suspensions`: the facility's suspended families, and lifting one early with a reason.

Lifting is a message to the suspension's process instance (`lift_suspension`), so the BPMN
decides what happens; the page only finds the instance by the suspension's id.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from domain.accounts import Account
from domain.suspensions import Suspension, suspensions_of_facility
from forms.staff_posts import LiftSuspensionForm
from workflows import EventNotExpected, InstanceNotFound, TaskAlreadyCompleted

from ..access import staff_only
from ..actors import current_actor
from ..extensions import get_db, get_engine
from . import bp

LIFTING_ROLES = ("facility_admin", "supervisor")


@bp.route("/suspensions")
@staff_only(*LIFTING_ROLES)
def suspensions():
    """The suspensions in force at the staff member's facility."""
    return _list_page()


def _list_page(refused: int | None = None, form: LiftSuspensionForm | None = None):
    """The list; `refused` names the suspension whose lift form came back with `form`'s
    errors, shown beside its field (the other rows keep empty forms)."""
    session = get_db().session
    rows = suspensions_of_facility(session, current_user.facility_id)
    names = {row.account_id: session.get(Account, row.account_id).name for row in rows}
    return render_template(
        "posts/suspensions.html",
        rows=rows,
        names=names,
        form=LiftSuspensionForm(formdata=None),
        refused=refused,
        refused_form=form,
        why={row.id: _why(row.reason) for row in rows},
    )


def _why(reason: str) -> str:
    """Why the family was suspended, in words: the rejections that reached the threshold."""
    kind, _sep, count = reason.partition(":")
    if kind == "rejections" and count.isdigit():
        return ngettext("%(num)d post rejected", "%(num)d posts rejected", int(count))
    return reason


@bp.route("/suspensions/<int:suspension_id>/lift", methods=["POST"])
@staff_only(*LIFTING_ROLES)
def lift(suspension_id: int):
    """Lift one suspension of this facility now, with the reason given."""
    session = get_db().session
    row = session.get(Suspension, suspension_id)
    if row is None or row.facility_id != current_user.facility_id:
        abort(404)
    if row.active_key is None:  # lifted already: by a colleague, the timer, or a double click
        return _already_lifted()
    form = LiftSuspensionForm()
    if not form.validate_on_submit():
        return _list_page(refused=row.id, form=form)
    lifted = {"by": current_actor().label, "reason": form.reason.data}
    try:
        get_engine().send_event(
            session,
            "lift_suspension",
            lifted,
            correlation={"suspension_id": row.id},
            actor=current_actor(),
        )
    except (InstanceNotFound, EventNotExpected):
        abort(404)
    except TaskAlreadyCompleted:  # another request lifted it at the same moment
        session.rollback()
        return _already_lifted()
    flash(_("The suspension is lifted; the family has been told."), "success")
    return redirect(url_for("posts.suspensions"))


def _already_lifted():
    """Back to the list, saying that someone already handled it; nothing is recorded again."""
    flash(_("This task has already been completed."), "info")
    return redirect(url_for("posts.suspensions"))
