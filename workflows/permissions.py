"""Who may work which human task: lane = role, plus facility for staff and owner for families."""

from __future__ import annotations

from .actors import Actor
from .models import HumanTask

GLOBAL_LANES = frozenset({"ProcessOwner"})


def may_work(row: HumanTask, actor: Actor) -> bool:
    """True when the role fits the lane and the task is theirs (family) or their facility's."""
    if row.lane not in actor.lanes():
        return False
    if row.lane == "Family":
        if actor.account_id is not None:
            return row.owner_account_id == actor.account_id
        return (
            row.owner_account_id is None
            and bool(row.owner_session)
            and (row.owner_session == actor.session_key)
        )
    if row.lane in GLOBAL_LANES:
        return True
    return row.facility_id is not None and row.facility_id == actor.facility_id
