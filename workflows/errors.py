"""Errors the engine raises to its callers, each with a message a person can act on."""


class EngineError(Exception):
    """Base class of every error the engine reports."""


class TaskNotFound(EngineError):
    """No such task, or one the actor may not see (callers answer 404 for both)."""


class TaskAlreadyCompleted(EngineError):
    """The task was completed by someone else first (or is no longer ready)."""

    def __init__(self, message: str = "This task has already been completed."):
        super().__init__(message)


class TaskHeldByOther(EngineError):
    """A claim on a task a colleague already holds: it stays theirs (reassigning is explicit)."""

    def __init__(self, assignee_id: int | None):
        super().__init__(f"This task is assigned to account {assignee_id}.")
        self.assignee_id = assignee_id


class TaskExpired(TaskAlreadyCompleted):
    """The task's deadline passed before it was completed: its timer fired and cancelled it.

    Unlike a lost race, the transaction holds that timer's step, so callers commit it.
    """


class EventNotExpected(EngineError):
    """An event was sent to an instance that is not waiting for it."""


class InstanceNotFound(EngineError):
    """No instance matches the id or correlation given."""


class SpecInvalid(EngineError):
    """A BPMN/DMN file set failed validation; `problems` lists (file, element, reason)."""

    def __init__(self, problems: list[tuple[str, str, str]]):
        self.problems = problems
        lines = [f"{file}: {element}: {reason}" for file, element, reason in problems]
        super().__init__("BPMN validation failed:\n" + "\n".join(lines))
