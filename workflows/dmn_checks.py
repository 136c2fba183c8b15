"""Deploy-time checks of DMN rule tables: every cell is Python the engine evaluates.

SpiffWorkflow's DMN parser only checks that an output entry parses. Here every input
expression, input entry (unary test) and output entry gets the same safety check as a BPMN
script, read from the XML so each problem names the DMN file and the cell's id.
"""

from __future__ import annotations

import re

from lxml import etree

from .script_checks import check_expression

# What SpiffWorkflow's DMNEngine does to a "?" outside quotes in an input entry.
QUESTION_MARK = re.compile(r"(\?)(?=(?:[^'\"]|['\"][^'\"]*['\"])*$)")
CELLS = frozenset({"inputExpression", "inputEntry", "outputEntry"})


def check_dmn_files(
    files: dict[str, str], operations: frozenset[str]
) -> list[tuple[str, str, str]]:
    """(file, cell id, reason) for every unsafe or broken cell of every DMN file."""
    problems = []
    for path, text in sorted(files.items()):
        if not path.endswith(".dmn"):
            continue
        root = etree.fromstring(text.encode("utf-8"))
        for cell in root.iter(etree.Element):
            kind = etree.QName(cell).localname
            source = _cell_text(cell)
            if kind not in CELLS or not source.strip():
                continue
            if kind == "inputEntry":
                reasons = _check_unary_test(source, operations)
            else:
                reasons = check_expression(source, operations)
            element = cell.get("id") or f"line {cell.sourceline}"
            problems += [(path, element, reason) for reason in reasons]
    return problems


def _cell_text(cell) -> str:
    for child in cell:
        if isinstance(child.tag, str) and etree.QName(child).localname == "text":
            return child.text or ""
    return ""


def _check_unary_test(source: str, operations: frozenset[str]) -> list[str]:
    """An input entry as the engine runs it: `-`, a value, `"a","b"`, `< 5` or `1 < ? < 9`."""
    source = source.strip()
    if source == "-":
        return []
    source = QUESTION_MARK.sub("dmninputexpr", source)
    reasons = check_expression(source, operations)
    if reasons and "does not compile" in reasons[0]:
        # `< 5` compiles only with the input in front, as the engine puts it
        with_input = check_expression(f"dmninputexpr {source}", operations)
        return reasons if with_input and "does not compile" in with_input[0] else with_input
    return reasons
