"""The staff a task may be handed to, and the names the inbox shows for assignees."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Row, select
from sqlalchemy.orm import Session

from domain.accounts import Account, AccountStatus
from workflows.actors import LANE_ROLES
from workflows.models import HumanTask

from ..ids import MAX_ID
from ..roles import staff_label


@dataclass(frozen=True)
class Colleague:
    """An active staff account of the facility, as the reassign menu lists it."""

    id: int
    name: str
    role: str

    @property
    def label(self) -> str:
        """The person's name and role, as the menu and the assignee column show them."""
        return staff_label(self.name, self.role)


def colleagues(session: Session, facility_id: int, lanes: frozenset[str]) -> list[Colleague]:
    """Active staff of the facility whose role works at least one of `lanes`, by name."""
    roles = sorted(set().union(*(LANE_ROLES.get(lane, frozenset()) for lane in lanes)))
    rows = session.execute(
        select(Account.id, Account.name, Account.role)
        .where(
            Account.facility_id == facility_id,
            Account.status == AccountStatus.ACTIVE,
            Account.role.in_(roles),
        )
        .order_by(Account.name, Account.id)
    ).all()
    return [Colleague(*row) for row in rows]


def fits(colleague: Colleague, row: HumanTask | Row) -> bool:
    """True when the colleague's role may work the task's lane (a task or an inbox page row)."""
    return colleague.role in LANE_ROLES.get(row.lane, frozenset())


def may_take(session: Session, account_id: int, row: HumanTask) -> bool:
    """Whether the account may be handed the task: active staff of its facility, fitting role.

    The engine records any assignee it is given; this is the check it leaves to its caller.
    """
    if not 0 < account_id <= MAX_ID:  # a crafted number the database cannot even look up
        return False
    account = session.get(Account, account_id)
    return (
        account is not None
        and account.status == AccountStatus.ACTIVE
        and account.facility_id is not None
        and account.facility_id == row.facility_id
        and account.role in LANE_ROLES.get(row.lane, frozenset())
    )


def names(session: Session, account_ids: set[int]) -> dict[int, str]:
    """Name and role of the given accounts (the assignees on one inbox page)."""
    if not account_ids:
        return {}
    rows = session.execute(
        select(Account.id, Account.name, Account.role).where(Account.id.in_(sorted(account_ids)))
    ).all()
    return {id_: staff_label(name, role) for id_, name, role in rows}


def holder_locked(session: Session, task_guid: str) -> int | None:
    """Who holds the task now, with its row locked until the commit: the same claim or
    assignment sent twice at once then queues, and the second sees that nothing changes."""
    return session.scalar(
        select(HumanTask.assignee_id).where(HumanTask.task_guid == task_guid).with_for_update()
    )
