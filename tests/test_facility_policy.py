"""bpmn/facility_policy.dmn gives each facility the posting rules of its own instructions."""

from __future__ import annotations

import re
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from SpiffWorkflow.exceptions import SpiffWorkflowException

from workflows.operations import OperationRegistry
from workflows.scripting import make_script_engine
from workflows.specs import parse_version

ROOT = Path(__file__).resolve().parent.parent


def policy(facility: str, juvenile: bool, dmn_text: str | None = None) -> dict:
    """Run the DMN through a business rule task, as the post process will."""
    files = {
        "facility_policy.dmn": dmn_text or (ROOT / "bpmn/facility_policy.dmn").read_text(),
        "policy_probe.bpmn": (ROOT / "tests/policy_bpmn/policy_probe.bpmn").read_text(),
    }
    process = parse_version(files, validate_xsd=True).get("policy_probe")
    workflow = BpmnWorkflow(
        process.spec,
        process.subprocess_specs,
        script_engine=make_script_engine(OperationRegistry()),
    )
    workflow.task_tree.data.update(facility=facility, juvenile=juvenile)
    workflow.do_engine_steps()
    assert workflow.is_completed()
    return workflow.data


@pytest.mark.parametrize(
    "facility, juvenile, interval, chars",
    [
        ("taichung-detention", False, 30, 100),
        ("dunpin-school", True, 2, 150),
        ("yunlin-second-prison", False, 10, 150),
        ("yunlin-second-prison", True, 2, 150),
        ("another-facility", False, 10, 150),
    ],
)
def test_interval_and_text_limit_per_facility(facility, juvenile, interval, chars):
    rules = policy(facility, juvenile)
    assert (rules["interval_days"], rules["max_chars"]) == (interval, chars)


def test_common_rules():
    rules = policy("dunpin-school", True)
    assert rules["max_photos"] == 1 and rules["photo_max_bytes"] == 10 * 1024 * 1024
    assert rules["rejection_threshold"] == 3 and rules["suspension_period"] == "P1M"
    assert rules["inmate_replies"] is False and rules["rejected_uses_interval"] is False


def test_editing_the_table_changes_the_rule_without_code():
    text = (ROOT / "bpmn/facility_policy.dmn").read_text()
    edited = text.replace(
        '<outputEntry id="facility_policy_r3_o0"><text>30</text>',
        '<outputEntry id="facility_policy_r3_o0"><text>14</text>',
    )
    assert edited != text
    assert policy("taichung-detention", False, edited)["interval_days"] == 14


@pytest.mark.parametrize(
    "cell, text",
    [
        ("facility_policy_r3_o0", "len(().__class__.__base__.__subclasses__())"),
        ("facility_policy_r3_o0", "len('{0.__class__}'.format(1))"),
        ("facility_policy_r3_i0", "().__class__ != 1"),
    ],
)
def test_a_rule_cell_cannot_reach_python_internals_at_run_time(cell, text):
    """Validation refuses these cells; the engine refuses them too, should one get past it."""
    original = (ROOT / "bpmn/facility_policy.dmn").read_text()
    edited = re.sub(rf'(id="{cell}"><text>)[^<]*', lambda m: m[1] + escape(text), original)
    assert edited != original
    with pytest.raises(SpiffWorkflowException) as failure:
        policy("taichung-detention", False, edited)
    cause = failure.value
    while cause.__context__ is not None:  # SpiffWorkflow wraps the error raised in the engine
        cause = cause.__context__
    assert isinstance(cause, ValueError) and "may not use" in str(cause)


def test_a_script_cannot_reach_python_internals_at_run_time():
    environment = make_script_engine(OperationRegistry()).environment
    with pytest.raises(ValueError, match="may not use __subclasses__"):
        environment.execute("n = len(object.__subclasses__())", {})
    assert environment.evaluate("len(x) < 5", {"x": "abc"}) is True
