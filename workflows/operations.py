"""The named operations BPMN scripts may call, and the context they run in.

Scripts in BPMN files call only what is registered here (validation checks it); each operation
takes and returns plain data, and reaches the database through `context()`, which the engine sets
while it runs an instance.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from .actors import Actor

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from .models import ProcessInstance


@dataclass
class OperationContext:
    """What an operation may use: the transaction, the instance it runs for, who acted, when."""

    session: Session
    instance: ProcessInstance
    actor: Actor
    now: datetime
    # Set by the engine: starts another process in the same transaction (see start_process).
    spawn: Callable[..., ProcessInstance] | None = None

    def correlate(self, **keys) -> None:
        """Let later events find this instance by these keys (e.g. account_id=7)."""
        self.instance.correlation_key = correlation_key(keys)

    def set_subject(self, key: str, label: str, search_key: str | None = None) -> None:
        """Say what the instance is about: found by `key`, shown as `label`, searched by term."""
        self.instance.subject_key = key
        self.instance.subject_label = label
        self.instance.search_key = search_key

    def start_process(
        self, process_id: str, data: dict, *, facility_id: int | None = None, variant: str = ""
    ) -> int:
        """Start another process now, as the system, in this transaction; returns its id.

        For work that must outlive this instance (a suspension after a rejected post), since
        instances are kept short-lived.
        """
        if self.spawn is None:
            raise RuntimeError("this engine cannot start processes from operations")
        started = self.spawn(
            self.session, process_id, data, facility_id=facility_id, variant=variant
        )
        return started.id

    def set_owner(self, account_id: int | None = None, facility_id: int | None = None) -> None:
        """Hand the instance's family tasks to an account, or its staff tasks to a facility."""
        if account_id is not None:
            self.instance.owner_account_id = account_id
        if facility_id is not None:
            self.instance.facility_id = facility_id


def correlation_key(keys: dict) -> str:
    """A canonical string for a set of correlation keys: 'account_id=7'."""
    return "&".join(f"{k}={keys[k]}" for k in sorted(keys))


_current: ContextVar[OperationContext] = ContextVar("operation_context")


def context() -> OperationContext:
    """The context of the instance being run; only valid inside an engine step."""
    try:
        return _current.get()
    except LookupError:
        raise RuntimeError("operations can only run inside a workflow step") from None


@contextmanager
def running(ctx: OperationContext) -> Iterator[OperationContext]:
    """Make `ctx` the current context for the duration of an engine step."""
    token = _current.set(ctx)
    try:
        yield ctx
    finally:
        _current.reset(token)


class OperationRegistry:
    """Name -> callable, for the script environment and for validation."""

    def __init__(self) -> None:
        self._ops: dict[str, Callable] = {}
        self._pure: set[str] = set()
        self._touching: dict[str, bool] = {}  # script source -> whether it calls a non-pure op

    def register(self, func: Callable | None = None, *, name: str | None = None, pure=False):
        """Decorator: `@operation`, `@operation(name="...")`, `@operation(pure=True)`.

        `pure`: the operation only computes from its arguments (no database, no context), so
        a script calling nothing else needs no savepoint.
        """

        def add(f: Callable) -> Callable:
            key = name or f.__name__
            if key in self._ops and self._ops[key] is not f:
                raise ValueError(f"operation {key!r} registered twice")
            self._ops[key] = f
            if pure:
                self._pure.add(key)
            self._touching.clear()
            return f

        return add(func) if func is not None else add

    @property
    def names(self) -> frozenset[str]:
        return frozenset(self._ops)

    def as_globals(self) -> dict[str, Callable]:
        return dict(self._ops)

    def touches_database(self, source: str) -> bool:
        """Whether a script may reach the database: it names an operation that is not pure.

        Any mention counts, not only a call (a script could pass an operation along); a script
        that does not parse is treated as touching it (validation refuses it anyway).
        """
        known = self._touching.get(source)
        if known is None:
            try:
                names = {n.id for n in ast.walk(ast.parse(source)) if isinstance(n, ast.Name)}
            except SyntaxError:
                names = set(self._ops)
            known = self._touching[source] = any(
                n in self._ops and n not in self._pure for n in names
            )
        return known


OPERATIONS = OperationRegistry()
operation = OPERATIONS.register
