"""The roster list, and adding and editing a person in custody."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from domain.roster import Inmate, active_restrictions, local_today
from forms.roster import RESTRICTION_LABELS, InmateForm, RestrictionForm, TransferForm

from ..audit_trail import audit, inmate_change, inmate_state
from ..extensions import get_db
from . import bp
from .access import other_facilities, own_inmate

PAGE_SIZE = 50


@bp.context_processor
def restriction_labels() -> dict:
    """Templates name restriction kinds in the reader's language."""
    return {"restriction_labels": RESTRICTION_LABELS}


@bp.route("/roster")
def roster():
    """The facility's persons in custody, 50 a page, searchable by the start of a call number."""
    session = get_db().session
    search = request.args.get("q", "").strip()
    query = select(Inmate).where(Inmate.facility_id == current_user.facility_id)
    if search:
        query = query.where(Inmate.call_number.startswith(search, autoescape=True))
    total = session.scalar(select(func.count()).select_from(query.subquery()))
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(1, request.args.get("page", 1, type=int)), pages)
    inmates = session.scalars(
        query.order_by(Inmate.call_number).limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)
    ).all()
    active = active_restrictions(session, [inmate.id for inmate in inmates], local_today())
    return render_template(
        "admin/roster.html",
        inmates=inmates,
        active=active,
        search=search,
        page=page,
        pages=pages,
        total=total,
    )


@bp.route("/roster/new", methods=["GET", "POST"])
def new_inmate():
    """Add a person to the facility's roster."""
    form = InmateForm()
    if form.validate_on_submit():
        inmate = Inmate(facility_id=current_user.facility_id)
        if _saved(inmate, form):
            flash(
                _("%(call_number)s was added to the roster.", call_number=inmate.call_number),
                "success",
            )
            return redirect(url_for("admin.inmate", inmate_id=inmate.id))
    return render_template("admin/inmate_new.html", form=form)


@bp.route("/roster/<int:inmate_id>", methods=["GET", "POST"])
def inmate(inmate_id: int):
    """A person's details (editable), restrictions and transfer."""
    person = own_inmate(inmate_id)
    form = InmateForm(obj=person)
    if form.validate_on_submit() and _saved(person, form):
        flash(_("The changes were saved."), "success")
        return redirect(url_for("admin.inmate", inmate_id=person.id))
    return inmate_page(person, inmate_form=form)


def _saved(inmate: Inmate, form: InmateForm) -> bool:
    """Write the form to the row; a call number the facility already uses is an error beside it."""
    session = get_db().session
    same_number = select(Inmate.id).where(
        Inmate.facility_id == inmate.facility_id, Inmate.call_number == form.call_number.data
    )
    if inmate.id is not None:
        same_number = same_number.where(Inmate.id != inmate.id)
    if session.scalar(same_number) is None:
        before = inmate_state(inmate) if inmate.id is not None else None
        try:
            with session.begin_nested():  # a colleague may save the same number meanwhile
                form.populate_obj(inmate)
                session.add(inmate)
                session.flush()
        except IntegrityError:
            pass
        else:
            action = "roster.edit" if before is not None else "roster.add"
            audit(
                action,
                "inmate",
                inmate.id,
                inmate.facility_id,
                **inmate_change(before, inmate_state(inmate)),
            )
            return True
    form.call_number.errors.append(_("The facility already has a person with this call number."))
    return False


def inmate_page(person: Inmate, **forms):
    """The person's page; forms not given are shown empty (the one that failed keeps its data)."""
    inmate_form = forms.get("inmate_form") or InmateForm(formdata=None, obj=person)
    restriction_form = forms.get("restriction_form") or RestrictionForm(formdata=None)
    transfer_form = forms.get("transfer_form") or TransferForm(formdata=None)
    transfer_form.prepare(other_facilities())
    return render_template(
        "admin/inmate.html",
        inmate=person,
        form=inmate_form,
        restriction_form=restriction_form,
        transfer_form=transfer_form,
        today=local_today(),
    )
