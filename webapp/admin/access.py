"""Look-ups that stay inside the admin's own facility (404 for anything else)."""

from __future__ import annotations

from flask import abort
from flask_login import current_user
from sqlalchemy import select

from domain.accounts import Account, Facility
from domain.audit import latest_event
from domain.roster import Inmate, Restriction
from domain.staff import FACILITY_ROLES

from ..extensions import get_db
from ..i18n import facility_name as facility_name


def own_inmate(inmate_id: int) -> Inmate:
    """The person with this id at the admin's facility; 404 if none, or at another facility."""
    inmate = get_db().session.get(Inmate, inmate_id)
    if inmate is None or inmate.facility_id != current_user.facility_id:
        abort(404)
    return inmate


def own_restriction(inmate: Inmate, restriction_id: int) -> Restriction:
    """A restriction of this person; 404 for another person's."""
    restriction = get_db().session.get(Restriction, restriction_id)
    if restriction is None or restriction.inmate_id != inmate.id:
        abort(404)
    return restriction


def deleted_here(inmate: Inmate, restriction_id: int) -> bool:
    """Whether this facility deleted this person's restriction `restriction_id` (the log says
    so): the delete form sent again. Anyone else's id stays a plain 404."""
    event = latest_event(get_db().session, "restriction.delete", "restriction", restriction_id)
    return (
        event is not None
        and event.facility_id == current_user.facility_id
        and (event.before or {}).get("inmate_id") == inmate.id
    )


def moved_from_here(inmate_id: int, to_code: str) -> bool:
    """Whether this facility moved the person to `to_code`, where they still are: the transfer
    form sent again. False for every other facility, so none learns of a person it never had."""
    session = get_db().session
    person = session.get(Inmate, inmate_id)
    if person is None or person.facility_id == current_user.facility_id:
        return False
    event = latest_event(session, "roster.transfer", "inmate", inmate_id)
    return (
        event is not None
        and event.facility_id == current_user.facility_id
        and (event.after or {}).get("facility_id") == person.facility_id
        and session.get(Facility, person.facility_id).code == to_code
    )


def other_facilities() -> list[tuple[str, str]]:
    """(code, name) of every facility but the admin's own, for the transfer form."""
    rows = get_db().session.scalars(
        select(Facility).where(Facility.id != current_user.facility_id).order_by(Facility.code)
    )
    return [(facility.code, facility_name(facility)) for facility in rows]


def own_staff(account_id: int) -> Account:
    """A reviewer, supervisor or admin of the admin's facility; 404 for anyone else."""
    account = get_db().session.get(Account, account_id)
    if (
        account is None
        or account.facility_id != current_user.facility_id
        or account.role not in FACILITY_ROLES
    ):
        abort(404)
    return account
