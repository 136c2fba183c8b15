"""A person's restrictions (add, end, delete) and their transfer to another facility."""

from __future__ import annotations

from flask import flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from sqlalchemy import select

from domain.accounts import Facility
from domain.roster import Inmate, Restriction, local_today
from domain.roster_operations import (
    RestrictionNotStarted,
    TransferError,
    end_restriction,
    transfer_inmate,
)
from forms.roster import RestrictionForm, TransferForm
from workflows.db import lock_row

from ..audit_trail import audit, restriction_state
from ..extensions import get_db, get_engine
from . import bp
from .access import (
    deleted_here,
    facility_name,
    moved_from_here,
    other_facilities,
    own_inmate,
    own_restriction,
)
from .roster import inmate_page


def _back(inmate_id: int):
    return redirect(url_for("admin.inmate", inmate_id=inmate_id) + "#restrictions")


def _already_done(response):
    """`response`, saying that the change was made already (its form sent twice, or by a
    colleague); nothing is recorded again."""
    flash(_("This task has already been completed."), "info")
    return response


@bp.post("/roster/<int:inmate_id>/restrictions")
def add_restriction(inmate_id: int):
    """Record a restriction; errors are shown beside the fields on the person's page."""
    person = own_inmate(inmate_id)
    form = RestrictionForm()
    if not form.validate_on_submit():
        return inmate_page(person, restriction_form=form)
    # The person's row is locked first, so the same form sent twice at once queues here and
    # its second request finds the first one's restriction instead of adding another.
    lock_row(get_db().session, Inmate, person.id)
    entry = (form.kind.data, form.starts_on.data, form.ends_on.data, form.note.data or "")
    if any((r.kind, r.starts_on, r.ends_on, r.note) == entry for r in person.restrictions):
        flash(_("The restriction was added."), "success")
        return _back(person.id)
    restriction = Restriction(kind=entry[0], starts_on=entry[1], ends_on=entry[2], note=entry[3])
    person.restrictions.append(restriction)
    get_db().session.flush()
    after = restriction_state(restriction)
    audit("restriction.add", "restriction", restriction.id, person.facility_id, after=after)
    flash(_("The restriction was added."), "success")
    return _back(person.id)


@bp.post("/roster/<int:inmate_id>/restrictions/<int:restriction_id>/end")
def end(inmate_id: int, restriction_id: int):
    """Lift a restriction from today on (yesterday becomes its last day)."""
    person = own_inmate(inmate_id)
    restriction = own_restriction(person, restriction_id)
    before = restriction_state(restriction)
    try:
        end_restriction(restriction, local_today())
    except RestrictionNotStarted:
        flash(_("This restriction has not begun before today: delete it instead."), "warning")
        return _back(person.id)
    get_db().session.flush()
    if restriction_state(restriction) == before:  # already ended (the form sent twice)
        return _already_done(_back(person.id))
    audit(
        "restriction.end",
        "restriction",
        restriction.id,
        person.facility_id,
        before=before,
        after=restriction_state(restriction),
    )
    flash(_("The restriction was lifted from today."), "success")
    return _back(person.id)


@bp.post("/roster/<int:inmate_id>/restrictions/<int:restriction_id>/delete")
def delete(inmate_id: int, restriction_id: int):
    """Remove a restriction entered by mistake; sent again, say that it is gone already."""
    session = get_db().session
    # Two at once queue on the person's row, and the second finds the restriction gone.
    lock_row(session, Inmate, inmate_id)
    person = own_inmate(inmate_id)
    if session.get(Restriction, restriction_id) is None and deleted_here(person, restriction_id):
        return _already_done(_back(person.id))
    restriction = own_restriction(person, restriction_id)
    before = restriction_state(restriction)
    person.restrictions.remove(restriction)
    get_db().session.flush()
    audit("restriction.delete", "restriction", restriction_id, person.facility_id, before=before)
    flash(_("The restriction was deleted."), "success")
    return _back(person.id)


TRANSFER_ERRORS = {
    TransferError.CALL_NUMBER_TAKEN: _l(
        "That facility already has a person with this call number. Change the call number "
        "first, or correct the other facility's roster."
    ),
    TransferError.SAME_FACILITY: _l("The person is already at that facility."),
    TransferError.UNKNOWN_FACILITY: _l("Choose a facility from the list."),
}


@bp.post("/roster/<int:inmate_id>/transfer")
def transfer(inmate_id: int):
    """Move the person to another facility; their open tasks go to that facility's inbox.
    Sent again once they are there, say that it is done already."""
    session = get_db().session
    # Two at once queue on the person's row, and the second finds the person moved.
    lock_row(session, Inmate, inmate_id)
    if moved_from_here(inmate_id, request.form.get("to_facility", "")):
        return _already_done(redirect(url_for("admin.roster")))
    person = own_inmate(inmate_id)
    form = TransferForm()
    form.prepare(other_facilities())
    if not form.validate_on_submit():
        return inmate_page(person, transfer_form=form)
    target = session.scalar(select(Facility).where(Facility.code == form.to_facility.data))
    origin = person.facility_id
    try:
        moved = transfer_inmate(session, person, target.id, get_engine())
    except TransferError as exc:
        form.to_facility.errors.append(TRANSFER_ERRORS[exc.reason])
        return inmate_page(person, transfer_form=form)
    change = {"before": {"facility_id": origin}, "after": {"facility_id": target.id}}
    audit("roster.transfer", "inmate", person.id, origin, **change)
    message = ngettext(
        "%(call_number)s was moved to %(facility)s; %(num)d open process went along.",
        "%(call_number)s was moved to %(facility)s; %(num)d open processes went along.",
        moved,
        call_number=person.call_number,
        facility=facility_name(target),
    )
    flash(message, "success")
    return redirect(url_for("admin.roster"))
