"""What the audit page shows besides the events: the choices of its filters and the actors'
names. Everything is limited to the reader's facility, as the search is."""

from __future__ import annotations

from collections.abc import Callable

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from domain.accounts import STAFF_ROLES, Account
from domain.audit import COMMAND_LINE, AuditEvent
from domain.audit_catalog import ACTIONS, OBJECT_TYPES

from ..roles import staff_label


def _scoped(query, facility_id: int | None, column):
    """The query limited to one facility (None: every facility, for auditors)."""
    return query if facility_id is None else query.where(column == facility_id)


def action_label(code: str) -> str:
    """The action in the reader's language; a code the catalog does not know, as it is."""
    return _(ACTIONS[code]) if code in ACTIONS else code


def object_label(code: str) -> str:
    """The object type in the reader's language; a code the catalog does not know, as it is."""
    return _(OBJECT_TYPES[code]) if code in OBJECT_TYPES else code


def distinct_values(
    session: Session, column, facility_id: int | None, current: str, label: Callable[[str], str]
) -> list[tuple[str, str]]:
    """(code, label) of the values of an event column that occur in the reader's part of the
    log, sorted by label; the value asked for is kept among them (a bookmarked prefix such as
    "post." stays selectable). A code without a label (an older row's) is its own label."""
    query = _scoped(select(column).distinct(), facility_id, AuditEvent.facility_id)
    values = {v for v in session.scalars(query) if v}
    if current:
        values.add(current)
    return sorted(((value, label(value)) for value in values), key=lambda pair: (pair[1], pair[0]))


def staff_choices(session: Session, facility_id: int | None, current: str) -> list[tuple[str, str]]:
    """(account id, "name (role)") of the staff of the reader's facility, for the actor filter.
    An account id asked for that is not among them (a family member's) is kept, as a number."""
    query = select(Account).where(Account.role.in_(STAFF_ROLES)).order_by(Account.name)
    choices = [
        (str(a.id), staff_label(a.name, a.role))
        for a in session.scalars(_scoped(query, facility_id, Account.facility_id))
    ]
    if current and current not in {value for value, _label in choices}:
        choices.append((current, _("Account #%(id)s", id=current)))
    return choices


def actor_names(session: Session, events: list[AuditEvent]) -> dict[int, str]:
    """The actors of these events by account id: a staff member by name and role, a family
    member only as "family member #id" (the log names no family)."""
    ids = {e.actor_account_id for e in events if e.actor_account_id is not None}
    if not ids:
        return {}
    names = {}
    for account in session.scalars(select(Account).where(Account.id.in_(ids))):
        if account.role in STAFF_ROLES:
            names[account.id] = staff_label(account.name, account.role)
        else:
            names[account.id] = _("Family member #%(id)s", id=account.id)
    return names


def actor_label(event: AuditEvent, names: dict[int, str]) -> str:
    """Who acted, in words: an account by `actor_names`, the system, the command line or a
    facility's API token by what they are; an actor this page does not know, as recorded."""
    if event.actor_account_id in names:
        return names[event.actor_account_id]
    if event.actor == "system":
        return _("System")
    if event.actor == COMMAND_LINE.label:
        return _("Command line")
    kind, _sep, number = event.actor.partition(":")
    if kind == "api-token" and number:
        return _("API token #%(id)s", id=number)
    return f"{event.actor} ({event.actor_role})" if event.actor_role else event.actor
