"""The script environment BPMN expressions and scripts run in: safe builtins plus operations.

No imports, no file access, no dunder attributes: process owners edit the BPMN and DMN, and a
script or a rule cell must not reach further than the operations the app registered. Validation
checks this before deploy; at run time the missing `__import__`/`open` builtins and the same
syntax check (script_checks.forbidden) on every expression and script enforce it again.
"""

from __future__ import annotations

import builtins
from collections.abc import Callable

from SpiffWorkflow.bpmn.script_engine import PythonScriptEngine, TaskDataEnvironment

from .operations import OperationRegistry
from .script_checks import SAFE_BUILTIN_NAMES, forbidden
from .serializer import InstanceSerializer

SAFE_BUILTINS = {name: getattr(builtins, name) for name in SAFE_BUILTIN_NAMES}
_UNSET = object()


class SafeEnvironment(TaskDataEnvironment):
    """Task data as the namespace; refuses any source that script_checks forbids, and fails a
    script that leaves a value the instance state cannot hold.

    SpiffWorkflow's DMN engine evaluates its cells (input expressions, unary tests, outputs)
    through `evaluate` too, so a rule table gets the same check as a script. A script that
    leaves a `range` or `zip` behind is an incident at that script, like any script error,
    instead of a save that fails after every step ran.
    """

    def __init__(self, env_globals: dict, storable: Callable[[str, object], None]) -> None:
        super().__init__(env_globals)
        self.storable = storable

    def evaluate(self, expression, context, external_context=None):
        _refuse_forbidden(expression, "eval")
        return super().evaluate(expression, context, external_context)

    def execute(self, script, context, external_context=None):
        _refuse_forbidden(script, "exec")
        before = dict(context)
        result = super().execute(script, context, external_context)
        try:
            for name, value in context.items():
                if value is not before.get(name, _UNSET):  # only what the script (re)bound
                    self.storable(name, value)
        except TypeError:
            # Undo the script, so the failed task's data can be saved and a retry starts over.
            context.clear()
            context.update(before)
            raise
        return result


def _refuse_forbidden(source: str, mode: str) -> None:
    reasons = forbidden(source, mode)
    if reasons:
        raise ValueError("; ".join(dict.fromkeys(reasons)))


def make_script_engine(operations: OperationRegistry) -> PythonScriptEngine:
    """A script engine whose globals are the safe builtins and the registered operations."""
    storable = InstanceSerializer().storable
    env_globals = {"__builtins__": dict(SAFE_BUILTINS), **operations.as_globals()}
    return PythonScriptEngine(environment=SafeEnvironment(env_globals, storable))
