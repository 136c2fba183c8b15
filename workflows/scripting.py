"""The script environment BPMN expressions and scripts run in: safe builtins plus operations.

No imports, no file access, no dunder attributes: process owners edit the BPMN, and a script
must not reach further than the operations the app registered (validation checks this before
deploy; the missing `__import__`/`open` builtins enforce it at run time).
"""

from __future__ import annotations

import builtins

from SpiffWorkflow.bpmn.script_engine import PythonScriptEngine, TaskDataEnvironment

from .operations import OperationRegistry

SAFE_BUILTIN_NAMES = (
    "abs all any bool dict enumerate filter float int isinstance len list map max min "
    "range reversed round set sorted str sum tuple zip True False None"
).split()

SAFE_BUILTINS = {name: getattr(builtins, name) for name in SAFE_BUILTIN_NAMES}


def make_script_engine(operations: OperationRegistry) -> PythonScriptEngine:
    """A script engine whose globals are the safe builtins and the registered operations."""
    env_globals = {"__builtins__": dict(SAFE_BUILTINS), **operations.as_globals()}
    return PythonScriptEngine(environment=TaskDataEnvironment(env_globals))
