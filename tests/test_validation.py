"""Deploy-time lint: every problem names the file, the element and the reason."""

from __future__ import annotations

import re

import pytest

from tests.engine_support import ENGINE_BPMN, make_engine
from workflows import SpecInvalid
from workflows.specs import read_folder
from workflows.validation import validate_files

OPERATIONS = frozenset({"count_chars", "correlate_on", "note_seen"})
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
