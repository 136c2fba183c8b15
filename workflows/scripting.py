"""The script environment BPMN expressions and scripts run in: safe builtins plus operations.

No imports, no file access, no dunder attributes: process owners edit the BPMN and DMN, and a
script or a rule cell must not reach further than the operations the app registered. Validation
checks this before deploy; at run time the missing `__import__`/`open` builtins and the same
syntax check (script_checks.forbidden) on every expression and script enforce it again.
"""

from __future__ import annotations

import builtins

from SpiffWorkflow.bpmn.script_engine import PythonScriptEngine, TaskDataEnvironment

from .operations import OperationRegistry
from .script_checks import SAFE_BUILTIN_NAMES, forbidden

SAFE_BUILTINS = {name: getattr(builtins, name) for name in SAFE_BUILTIN_NAMES}


class SafeEnvironment(TaskDataEnvironment):
    """Task data as the namespace; refuses any source that script_checks forbids.

    SpiffWorkflow's DMN engine evaluates its cells (input expressions, unary tests, outputs)
    through `evaluate` too, so a rule table gets the same check as a script.
    """

    def evaluate(self, expression, context, external_context=None):
        _refuse_forbidden(expression, "eval")
        return super().evaluate(expression, context, external_context)

    def execute(self, script, context, external_context=None):
        _refuse_forbidden(script, "exec")
        return super().execute(script, context, external_context)


def _refuse_forbidden(source: str, mode: str) -> None:
    reasons = forbidden(source, mode)
    if reasons:
        raise ValueError("; ".join(dict.fromkeys(reasons)))


def make_script_engine(operations: OperationRegistry) -> PythonScriptEngine:
    """A script engine whose globals are the safe builtins and the registered operations."""
    env_globals = {"__builtins__": dict(SAFE_BUILTINS), **operations.as_globals()}
    return PythonScriptEngine(environment=SafeEnvironment(env_globals))
