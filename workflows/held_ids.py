"""Which ids the saved state of an instance that may still go on holds in its data.

A running instance, or one stopped by an incident that may be retried, can carry a row's id in
its task data before any table refers to that row: the proofs of an application between the
family's form and the step that files them, if that step failed. Code about to delete such rows
(`domain.upload_retention`) asks here which ids to spare. The engine does not know which
variables hold which kind of id: the caller says by the variable's (or a key's) name, and every
integer inside a value so named counts, at any depth (`{"documents": {"id_document": 7}}`).
"""

from __future__ import annotations

import json
from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.orm import Session

from .models import InstanceStatus, ProcessInstance

LIVE = (InstanceStatus.RUNNING, InstanceStatus.INCIDENT)
READ_BATCH = 100  # states read from the database at a time (each a few kilobytes)


def ids_held_by_live_instances(session: Session, names_ids: Callable[[str], bool]) -> set[int]:
    """The integers under keys `names_ids` accepts, in every running instance or one with an
    incident (each state is parsed: about 0.1 s a thousand states of a few kilobytes)."""
    held: set[int] = set()
    states = session.scalars(
        select(ProcessInstance.state)
        .where(ProcessInstance.status.in_(LIVE))
        .execution_options(yield_per=READ_BATCH)
    )
    for state in states:
        held |= ids_in_state(state, names_ids)
    return held


def ids_in_state(state: str, names_ids: Callable[[str], bool]) -> set[int]:
    """The integers under keys `names_ids` accepts, anywhere in one saved state (JSON text)."""
    found: set[int] = set()
    pending = [(json.loads(state), False)]
    while pending:
        value, named = pending.pop()
        if isinstance(value, dict):
            pending.extend((v, named or names_ids(str(k))) for k, v in value.items())
        elif isinstance(value, list):
            pending.extend((v, named) for v in value)
        elif named and isinstance(value, int) and not isinstance(value, bool):
            found.add(value)
    return found
