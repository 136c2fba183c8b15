"""A family's own open tasks: the Family-lane steps of the instances their account owns.

Read through ix_human_task_owner (owner_account_id, status), in the shape of a staff inbox page
(workflows.inbox.Page), so a list of "my tasks" reads the same for families and staff.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .inbox import PER_PAGE, Page
from .models import HumanTask, TaskStatus


def _mine(account_id: int) -> list:
    return [
        HumanTask.owner_account_id == account_id,
        HumanTask.status == TaskStatus.OPEN,
        HumanTask.lane == "Family",
    ]


def family_steps(account_id: int, *criteria):
    """A query of the family's open tasks that also meet `criteria`, oldest first."""
    return (
        select(HumanTask)
        .where(*_mine(account_id), *criteria)
        .order_by(HumanTask.created_at, HumanTask.id)
    )


def family_tasks(
    session: Session, account_id: int, page: int = 1, per_page: int = PER_PAGE
) -> Page:
    """One page of the family's open tasks, oldest first (the order they were asked for)."""
    total = session.scalar(select(func.count()).select_from(HumanTask).where(*_mine(account_id)))
    rows = session.execute(
        select(*HumanTask.__table__.columns)
        .where(*_mine(account_id))
        .order_by(HumanTask.created_at, HumanTask.id)
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).all()
    return Page(list(rows), total, page, per_page)
