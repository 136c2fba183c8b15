"""Values the code writes fit their columns: SQLite stores any length in a String(n), but
PostgreSQL refuses a longer value and the whole transaction fails. Each test here failed on
PostgreSQL (and, through its length assertion or its expected refusal, on SQLite) before the
check or the clipping it covers."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from domain.accounts import Account
from domain.api_tokens import FacilityToken
from tests.conftest import read
from tests.engine_support import ENGINE_BPMN, FAMILY, make_engine, open_tasks
from workflows import SpecInvalid
from workflows.models import HumanTask
from workflows.specs import read_folder


def review_files(old: str, new: str) -> dict[str, str]:
    files = read_folder(ENGINE_BPMN)
    assert old in files["review.bpmn"], old
    files["review.bpmn"] = files["review.bpmn"].replace(old, new)
    return files


def test_a_user_task_name_longer_than_the_inbox_title_is_refused_at_deploy(db):
    session = db.session
    engine = make_engine(session)
    width = HumanTask.__table__.c.title.type.length
    files = review_files('name="Write message"', f'name="{"寫" * (width + 1)}"')
    with pytest.raises(SpecInvalid) as failure:
        engine.versions.deploy(session, files)
    assert f"review.bpmn: compose: user task name is longer than {width}" in str(failure.value)
    # A name of exactly the column's width still deploys and reaches the inbox whole.
    engine.versions.deploy(session, review_files('name="Write message"', f'name="{"寫" * width}"'))
    instance = engine.start(session, "test_review", FAMILY, {"max_chars": 100}, facility_id=1)
    [task] = open_tasks(session, instance)
    assert task.title == "寫" * width


def test_element_and_process_ids_longer_than_their_columns_are_refused_at_deploy(db):
    session = db.session
    engine = make_engine(session)
    width = HumanTask.__table__.c.bpmn_id.type.length
    long_task = "compose_" + "x" * width
    files = review_files('"compose"', f'"{long_task}"')
    files["review.bpmn"] = files["review.bpmn"].replace(">compose<", f">{long_task}<")
    with pytest.raises(SpecInvalid) as failure:
        engine.versions.deploy(session, files)
    assert f"element id is longer than {width}" in str(failure.value)
    long_process = "test_review_" + "p" * width
    with pytest.raises(SpecInvalid) as failure:
        engine.versions.deploy(session, review_files('"test_review"', f'"{long_process}"'))
    assert f"process id is longer than {width}" in str(failure.value)


def run(app, *args, input=None):
    return app.test_cli_runner().invoke(args=list(args), input=input)


def test_create_user_clips_a_default_name_taken_from_a_long_email(app):
    run(app, "seed-demo")
    width = Account.__table__.c.name.type.length
    email = "r" * 150 + "@example.tw"
    options = ("--email", email, "--role", "process_owner")
    result = run(app, "create-user", *options, input="a fine password 8\n")
    assert result.exit_code == 0, result.output
    [name] = read(app, select(Account.name).where(Account.email == email))
    assert name == "r" * width


@pytest.mark.parametrize(
    "option, value, message",
    [
        ("--name", "名" * 101, "name longer than 100 characters"),
        ("--email", "e" * 250 + "@example.tw", "e-mail address longer than 254 characters"),
    ],
)
def test_create_user_refuses_a_name_or_email_longer_than_its_column(app, option, value, message):
    run(app, "seed-demo")
    args = {"--email": "long@example.tw", "--name": "Long"} | {option: value}
    options = [x for pair in args.items() for x in pair]
    result = run(
        app, "create-user", "--role", "process_owner", *options, input="a fine password 8\n"
    )
    assert result.exit_code != 0 and message in result.output
    assert "Traceback" not in result.output
    assert read(app, select(Account.id).where(Account.email == args["--email"])) == []


def test_api_token_create_refuses_a_label_longer_than_its_column(app):
    run(app, "seed-demo")
    width = FacilityToken.__table__.c.label.type.length
    args = ("api-token", "create", "--facility", "dunpin-school", "--label")
    result = run(app, *args, "標" * (width + 1))
    assert result.exit_code != 0 and f"label longer than {width} characters" in result.output
    assert read(app, select(FacilityToken.id)) == []
    assert run(app, *args, "標" * width).exit_code == 0
