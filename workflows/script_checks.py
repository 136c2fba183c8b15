"""What a BPMN script, a condition or a DMN cell may contain, checked on its syntax tree.

`forbidden` is the part the engine also enforces at run time, for every expression and script it
evaluates (scripting.SafeEnvironment): no imports, no dunder names or attributes (the way from
any object to `object.__subclasses__()` and arbitrary Python), and no `str.format`, whose format
fields read attributes and keys ("{0.__globals__}") without any dunder in the syntax tree.
Deploy-time validation adds that calls go only to registered operations and safe builtins.
"""

from __future__ import annotations

import ast
from functools import lru_cache

SAFE_BUILTIN_NAMES = (
    "abs all any bool dict enumerate filter float int isinstance len list map max min "
    "range reversed round set sorted str sum tuple zip True False None"
).split()

FORMAT_ATTRIBUTES = frozenset({"format", "format_map"})


@lru_cache(maxsize=2048)
def forbidden(source: str, mode: str = "exec") -> tuple[str, ...]:
    """Why `source` may not run (empty when it may). SyntaxError when it does not compile."""
    reasons = []
    for node in ast.walk(ast.parse(source.strip() if mode == "eval" else source, mode=mode)):
        if isinstance(node, ast.Import | ast.ImportFrom):
            reasons.append("scripts may not import")
        elif isinstance(node, ast.Attribute) and (
            node.attr.startswith("__") or node.attr in FORMAT_ATTRIBUTES
        ):
            reasons.append(f"scripts may not use {node.attr}")
        elif isinstance(node, ast.Name) and node.id.startswith("__"):
            reasons.append(f"scripts may not use {node.id}")
    return tuple(reasons)


def check_expression(source: str, operations: frozenset[str]) -> list[str]:
    """An expression must compile and use only safe names (no imports, no dunders)."""
    try:
        reasons = list(forbidden(source, "eval"))
    except SyntaxError as exc:
        return [f"expression {source.strip()!r} does not compile: {exc.msg}"]
    return reasons + _unknown_calls(ast.parse(source.strip(), mode="eval"), operations)


def check_script(source: str, operations: frozenset[str]) -> list[str]:
    """A script must compile and call only registered operations and safe builtins."""
    try:
        reasons = list(forbidden(source))
    except SyntaxError as exc:
        return [f"script does not compile (line {exc.lineno}): {exc.msg}"]
    return reasons + _unknown_calls(ast.parse(source), operations)


def _unknown_calls(tree: ast.AST, operations: frozenset[str]) -> list[str]:
    allowed_calls = operations | set(SAFE_BUILTIN_NAMES)
    return [
        f"{node.func.id}() is not a registered operation"
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id not in allowed_calls
    ]
