"""The script environment BPMN expressions and scripts run in: safe builtins plus operations.

No imports, no file access, no dunder attributes: process owners edit the BPMN, and a script
must not reach further than the operations the app registered (validation checks this before
deploy; the missing `__import__`/`open` builtins enforce it at run time).
"""

from __future__ import annotations

import builtins
from collections.abc import Callable

from SpiffWorkflow.bpmn.script_engine import PythonScriptEngine, TaskDataEnvironment

from .operations import OperationRegistry
from .serializer import InstanceSerializer

SAFE_BUILTIN_NAMES = (
    "abs all any bool dict enumerate filter float int isinstance len list map max min "
    "range reversed round set sorted str sum tuple zip True False None"
).split()

SAFE_BUILTINS = {name: getattr(builtins, name) for name in SAFE_BUILTIN_NAMES}


class CheckedEnvironment(TaskDataEnvironment):
    """Task data scripts run in; a value the instance state cannot hold fails its script.

    So a script that leaves a `range` or `zip` behind is an incident at that script, like any
    script error, instead of a save that fails after every step ran.
    """

    def __init__(self, env_globals: dict, storable: Callable[[str, object], None]) -> None:
        super().__init__(env_globals)
        self.storable = storable

    def execute(self, script, context, external_context=None):
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


_UNSET = object()


def make_script_engine(operations: OperationRegistry) -> PythonScriptEngine:
    """A script engine whose globals are the safe builtins and the registered operations."""
    storable = InstanceSerializer().storable
    env_globals = {"__builtins__": dict(SAFE_BUILTINS), **operations.as_globals()}
    return PythonScriptEngine(environment=CheckedEnvironment(env_globals, storable))
