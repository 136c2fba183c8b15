"""Deploy-time lint: every problem names the file, the element and the reason."""

from __future__ import annotations

import re
from pathlib import Path
from xml.sax.saxutils import escape

import pytest

from tests.engine_support import ENGINE_BPMN, Switch, make_engine, make_registry
from workflows import SpecInvalid
from workflows.dmn_checks import check_dmn_files
from workflows.specs import read_folder
from workflows.validation import validate_files

OPERATIONS = make_registry(Switch()).names  # the engine tests' own operations
FORMS = frozenset({"ComposeForm", "ReviewForm"})


def problems_after(old: str, new: str) -> list[tuple[str, str, str]]:
    files = read_folder(ENGINE_BPMN)
    assert old in files["review.bpmn"], old
    files["review.bpmn"] = files["review.bpmn"].replace(old, new, 1)
    _version, problems = validate_files(files, OPERATIONS, FORMS)
    return problems


def test_the_test_processes_are_valid():
    version, problems = validate_files(read_folder(ENGINE_BPMN), OPERATIONS, FORMS)
    assert problems == []
    assert sorted(version.process_ids()) == [
        "test_flush",
        "test_in_place",
        "test_review",
        "test_unstorable",
    ]


@pytest.mark.parametrize(
    "old, new, element, reason",
    [
        ('"P30D"', "P30D", "review_overdue", "must be quoted"),
        ("chars = count_chars(message)", "import os", "count", "may not import"),
        (
            "chars = count_chars(message)",
            "chars = open('/etc/passwd')",
            "count",
            "open() is not a registered operation",
        ),
        ("chars = count_chars(message)", "x = message.__class__", "count", "__class__"),
        ("chars = count_chars(message)", "chars = (", "count", "does not compile"),
        ('verdict == "reject"', "verdict ==", "decision", "does not compile"),
        ('value="ReviewForm"/>', 'value="NoSuchForm"/>', "review", "'NoSuchForm' is not defined"),
        (
            '<spiffworkflow:property name="form_class" value="ComposeForm"/>',
            "",
            "compose",
            "names no form",
        ),
        ("<bpmn:flowNodeRef>compose</bpmn:flowNodeRef>", "", "compose", "lane None"),
        (
            '<bpmn:endEvent id="end_rejected">',
            '<bpmn:endEvent id="end_rejected" bogus="1">',
            "end_rejected",
            "bogus",
        ),
    ],
)
def test_each_problem_names_file_element_and_reason(old, new, element, reason):
    problems = problems_after(old, new)
    assert any(
        file == "review.bpmn" and el == element and reason in why for file, el, why in problems
    ), problems


def test_untyped_task_would_wait_in_the_inbox():
    files = read_folder(ENGINE_BPMN)
    files["review.bpmn"] = re.sub(
        r'<bpmn:scriptTask id="count".*?</bpmn:scriptTask>',
        '<bpmn:task id="count"><bpmn:incoming>f2</bpmn:incoming>'
        "<bpmn:outgoing>f3</bpmn:outgoing></bpmn:task>",
        files["review.bpmn"],
        flags=re.S,
    )
    _version, problems = validate_files(files, OPERATIONS, FORMS)
    assert any(el == "count" and "untyped task" in why for _f, el, why in problems), problems


def test_a_failed_deploy_keeps_the_last_good_version_serving(db):
    session = db.session
    engine = make_engine(session)
    good = engine.versions.current(session).hash
    files = read_folder(ENGINE_BPMN)
    files["review.bpmn"] = files["review.bpmn"].replace('"P30D"', "P30D")
    with pytest.raises(SpecInvalid) as failure:
        engine.versions.deploy(session, files)
    assert "review.bpmn: review_overdue:" in str(failure.value)
    assert engine.versions.current(session).hash == good


def test_a_file_that_is_not_xml_is_named_with_its_line():
    problems = problems_after("</bpmn:scriptTask>", "</bpmn:scriptTsk>")
    [(file, element, reason)] = problems
    assert file == "review.bpmn" and element.startswith("line ") and "mismatch" in reason


ROOT = Path(__file__).resolve().parent.parent
SUBCLASSES = "len(().__class__.__base__.__subclasses__())"


def policy_files() -> dict[str, str]:
    return {
        "facility_policy.dmn": (ROOT / "bpmn/facility_policy.dmn").read_text(),
        "policy_probe.bpmn": (ROOT / "tests/policy_bpmn/policy_probe.bpmn").read_text(),
    }


def dmn_problems_after(cell_id: str, new_text: str) -> list[tuple[str, str, str]]:
    files = policy_files()
    cell = re.compile(rf'(id="{cell_id}"[^>]*><text>)[^<]*(</text>)')
    assert cell.search(files["facility_policy.dmn"]), cell_id
    files["facility_policy.dmn"] = cell.sub(
        lambda m: m[1] + escape(new_text) + m[2], files["facility_policy.dmn"]
    )
    _version, problems = validate_files(files, frozenset(), frozenset())
    return problems


@pytest.mark.parametrize(
    "cell_id, text, reason",
    [
        ("facility_policy_r1_o0", SUBCLASSES, "may not use __class__"),
        ("facility_policy_r1_o7", '"{0.__class__}".format(1)', "may not use format"),
        ("facility_policy_r1_i0", '"a".__class__', "may not use __class__"),
        ("facility_policy_r1_i0", "? == __builtins__", "may not use __builtins__"),
        ("facility_policy_ie_facility", "facility.__dict__", "may not use __dict__"),
        ("facility_policy_r1_o1", "open('/etc/passwd')", "open() is not a registered operation"),
        ("facility_policy_r1_o1", "x = 1", "does not compile"),
        ("facility_policy_r1_i1", "< <", "does not compile"),
    ],
)
def test_each_dmn_cell_gets_the_script_check(cell_id, text, reason):
    problems = dmn_problems_after(cell_id, text)
    assert any(
        file == "facility_policy.dmn" and el == cell_id and reason in why
        for file, el, why in problems
    ), problems


@pytest.mark.parametrize(
    "text", ['"a","b"', "< 5", "-", "1 < ? < 9", '? in ("x", "y")', "not True", ""]
)
def test_dmn_unary_tests_still_validate(text):
    assert dmn_problems_after("facility_policy_r1_i1", text) == []


def test_every_shipped_dmn_table_validates():
    assert check_dmn_files(read_folder(ROOT / "bpmn"), frozenset()) == []


def test_an_unknown_decision_is_reported_in_its_bpmn_file():
    files = policy_files()
    files["policy_probe.bpmn"] = files["policy_probe.bpmn"].replace(
        ">facility_policy</spiffworkflow:calledDecisionId>",
        ">no_such_table</spiffworkflow:calledDecisionId>",
    )
    _version, [(file, element, reason)] = validate_files(files, frozenset(), frozenset())
    assert (file, element) == ("policy_probe.bpmn", "look_up_policy") and "no_such_table" in reason
