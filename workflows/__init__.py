"""The engine layer: versioned BPMN specs, instances in the database, the human-task inbox.

Nothing here imports Flask or the web app; the web app, the job workers and the CLI all drive
the engine through `WorkflowEngine` inside their own transaction.
"""

from .actors import SYSTEM, Actor
from .clock import clock
from .db import Base, Database, UTCDateTime
from .engine import WorkflowEngine
from .errors import (
    EngineError,
    EventNotExpected,
    InstanceNotFound,
    SpecInvalid,
    TaskAlreadyCompleted,
    TaskExpired,
    TaskHeldByOther,
    TaskNotFound,
)
from .operations import OPERATIONS, context, operation

__all__ = [
    "OPERATIONS",
    "SYSTEM",
    "Actor",
    "Base",
    "Database",
    "EngineError",
    "EventNotExpected",
    "InstanceNotFound",
    "SpecInvalid",
    "TaskAlreadyCompleted",
    "TaskExpired",
    "TaskHeldByOther",
    "TaskNotFound",
    "UTCDateTime",
    "WorkflowEngine",
    "clock",
    "context",
    "operation",
]
