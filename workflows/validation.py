"""Checks a BPMN/DMN file set before it may serve: the lint process owners get at deploy.

Each problem is (file, element id, reason), so the message points at what to fix.
"""

from __future__ import annotations

import re

from lxml import etree
from SpiffWorkflow.bpmn.parser.ValidationException import ValidationException
from SpiffWorkflow.bpmn.specs.event_definitions.multiple import MultipleEventDefinition
from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition
from SpiffWorkflow.bpmn.specs.mixins.none_task import NoneTask
from SpiffWorkflow.bpmn.specs.mixins.script_task import ScriptTask
from SpiffWorkflow.bpmn.specs.mixins.user_task import UserTask
from SpiffWorkflow.specs.MultiChoice import MultiChoice

from .actors import LANE_ROLES
from .db import column_width
from .dmn_checks import check_dmn_files
from .models import HumanTask
from .script_checks import check_expression, check_script
from .specs import ParsedVersion, parse_version

Problem = tuple[str, str, str]
ISO_DURATION = re.compile(r"^R?\d*/?P[0-9YMWDTHS.]+$")
# The widths of the columns the engine copies a spec's ids and task names into (process_id,
# bpmn_id, title): SQLite would store a longer value, but PostgreSQL refuses it when the task
# becomes ready, failing the step that reached it. Refused here, at deploy, instead.
ID_WIDTH = min(column_width(HumanTask.process_id), column_width(HumanTask.bpmn_id))
TITLE_WIDTH = column_width(HumanTask.title)


def validate_files(
    files: dict[str, str], operations: frozenset[str], form_keys: frozenset[str]
) -> tuple[ParsedVersion | None, list[Problem]]:
    """Parse (with XSD) and lint a file set; returns the parsed version when there is none."""
    if not files:
        return None, [("bpmn/", "-", "no BPMN or DMN files found")]
    try:
        version = parse_version(files, validate_xsd=True)
    except ValidationException as exc:
        element = exc.id or _element_at(files.get(exc.file_name, ""), exc.line_number)
        reason = re.sub(r"\{[^}]*MODEL\}", "bpmn:", str(exc).splitlines()[0]).strip()
        return None, [(exc.file_name or _file_with_id(files, exc.id), element, reason)]
    problems: list[Problem] = check_dmn_files(files, operations)
    for key, process in version.processes.items():
        source = version.sources[key]
        if len(process.process_id) > ID_WIDTH:
            problems.append(
                (source, process.process_id, f"process id is longer than {ID_WIDTH} characters")
            )
        for task_spec in _all_task_specs(process):
            problems += [
                (source, task_spec.bpmn_id or task_spec.name, reason)
                for reason in _check_task(task_spec, operations, form_keys)
            ]
    return (None if problems else version), sorted(set(problems))


def _element_at(text: str, line) -> str:
    """The id of the element that starts on `line` of a file (XSD errors give only the line)."""
    try:
        root = etree.fromstring(text.encode("utf-8"))
    except etree.XMLSyntaxError:
        return f"line {line}"
    for node in root.iter():
        if node.sourceline == line and node.get("id"):
            return node.get("id")
    return f"line {line}"


def _file_with_id(files: dict[str, str], element_id: str) -> str:
    """The file holding the element (some parser errors name only the id), default files first."""
    for path in sorted(files, key=lambda p: ("/" in p, p)):
        try:
            root = etree.fromstring(files[path].encode("utf-8"))
        except etree.XMLSyntaxError:
            continue
        if element_id and root.xpath("//*[@id=$id]", id=element_id):
            return path
    return "?"


def _all_task_specs(process):
    yield from process.spec.task_specs.values()
    for sub in process.subprocess_specs.values():
        yield from sub.task_specs.values()


def _check_task(task_spec, operations: frozenset[str], form_keys: frozenset[str]) -> list[str]:
    reasons = []
    if len(task_spec.bpmn_id or "") > ID_WIDTH:
        reasons.append(f"element id is longer than {ID_WIDTH} characters")
    if isinstance(task_spec, UserTask):
        reasons += _check_user_task(task_spec, form_keys)
    elif isinstance(task_spec, NoneTask):
        reasons.append("an untyped task would wait in the inbox: make it a user or script task")
    if isinstance(task_spec, ScriptTask):
        reasons += check_script(task_spec.script, operations)
    for attr in ("prescript", "postscript"):
        if getattr(task_spec, attr, None):
            reasons += check_script(getattr(task_spec, attr), operations)
    if isinstance(task_spec, MultiChoice):
        for condition, _target in task_spec.cond_task_specs:
            if condition is not None:
                reasons += check_expression(condition.args[0], operations)
    reasons += _check_events(getattr(task_spec, "event_definition", None), operations)
    return reasons


def _check_user_task(task_spec, form_keys: frozenset[str]) -> list[str]:
    reasons = []
    if len(task_spec.bpmn_name or "") > TITLE_WIDTH:
        reasons.append(f"user task name is longer than {TITLE_WIDTH} characters (the inbox title)")
    if task_spec.lane not in LANE_ROLES:
        reasons.append(f"user task lane {task_spec.lane!r} is not one of {sorted(LANE_ROLES)}")
    form_key = task_spec.extensions.get("properties", {}).get("form_class")
    if not form_key:
        reasons.append("user task names no form (spiffworkflow:property form_class)")
    elif form_key not in form_keys:
        reasons.append(f"form {form_key!r} is not defined in forms/")
    return reasons


def _check_events(event_definition, operations: frozenset[str]) -> list[str]:
    if isinstance(event_definition, MultipleEventDefinition):
        return [
            r for ed in event_definition.event_definitions for r in _check_events(ed, operations)
        ]
    if isinstance(event_definition, TimerEventDefinition):
        expr = event_definition.expression.strip()
        if ISO_DURATION.match(expr):
            return [f'timer {expr!r} must be quoted: write "{expr}"']
        return check_expression(expr, operations)
    return []
