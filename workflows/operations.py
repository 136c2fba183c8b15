"""The named operations BPMN scripts may call, and the context they run in.

Scripts in BPMN files call only what is registered here (validation checks it); each operation
takes and returns plain data, and reaches the database through `context()`, which the engine sets
while it runs an instance.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime
from typing import TYPE_CHECKING

from . import forgetting
from .actors import Actor
from .records import set_values

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from .records import InstanceRecord


# The instance columns operations set (correlation, subject, owner); the step's save writes them.
INSTANCE_FIELDS = (
    "correlation_key",
    "subject_key",
    "subject_label",
    "search_key",
    "owner_account_id",
    "facility_id",
)


class OperationContext:
    """What an operation may use: the transaction, the instance it runs for, who acted, when.

    The engine may ask to hear of an operation's first effect in a task (`on_first_effect`):
    reaching the transaction or setting an instance column. It opens the task's savepoint
    then, so a script whose operations only compute (most of them) costs no savepoint.
    """

    __slots__ = ("_session", "instance", "actor", "now", "spawn", "on_first_effect")

    def __init__(
        self,
        session: Session,
        instance: InstanceRecord,
        actor: Actor,
        now: datetime,
        spawn: Callable[..., InstanceRecord] | None = None,
    ) -> None:
        self._session = session
        self.instance = instance
        self.actor = actor
        self.now = now
        # Set by the engine: starts another process in the same transaction (start_process).
        self.spawn = spawn
        self.on_first_effect: Callable[[], None] | None = None

    @property
    def session(self) -> Session:
        """The transaction of the step."""
        self._effect()
        return self._session

    def _effect(self) -> None:
        hook, self.on_first_effect = self.on_first_effect, None
        if hook is not None:
            hook()

    def correlate(self, **keys) -> None:
        """Let later events find this instance by these keys (e.g. account_id=7)."""
        self._set(correlation_key=correlation_key(keys))

    def set_subject(self, key: str, label: str, search_key: str | None = None) -> None:
        """Say what the instance is about: found by `key`, shown as `label`, searched by term."""
        self._set(subject_key=key, subject_label=label, search_key=search_key)

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
            self._set(owner_account_id=account_id)
        if facility_id is not None:
            self._set(facility_id=facility_id)

    def forget(self, variable: str, key: str) -> None:
        """Drop `variable[key]` from all the instance holds when this step is saved (a secret
        that has been used, such as a password hash once the account row has it)."""
        forgetting.request(self.session, self.instance.id).fields.add((variable, key))

    def erase_when_ended(self) -> None:
        """Save the instance empty (state and history) if this step ends it: for a process
        that ends with no record to keep, such as a registration that made no account."""
        forgetting.request(self.session, self.instance.id).erase = True

    def snapshot(self) -> dict:
        """The instance columns operations set, as they stand (see restore)."""
        return {key: getattr(self.instance, key) for key in INSTANCE_FIELDS}

    def restore(self, snapshot: dict) -> None:
        """Put back what a failed step set (its savepoint's rollback does not see them)."""
        set_fields(self.instance, snapshot)

    def _set(self, **values) -> None:
        self._effect()
        set_fields(self.instance, values)


def set_fields(instance: InstanceRecord, values: dict) -> None:
    """Set instance columns as operations do (or put back a snapshot of them).

    On the record alone: the step's save writes every column of the instance in its one UPDATE
    and then sets what it wrote on the other copies of the row (records.record).
    """
    set_values(instance, values)


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

    def register(self, func: Callable | None = None, *, name: str | None = None):
        """Decorator: `@operation` or `@operation(name="...")`."""

        def add(f: Callable) -> Callable:
            key = name or f.__name__
            if key in self._ops and self._ops[key] is not f:
                raise ValueError(f"operation {key!r} registered twice")
            self._ops[key] = f
            return f

        return add(func) if func is not None else add

    @property
    def names(self) -> frozenset[str]:
        return frozenset(self._ops)

    def as_globals(self) -> dict[str, Callable]:
        return dict(self._ops)


OPERATIONS = OperationRegistry()
operation = OPERATIONS.register
