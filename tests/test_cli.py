"""The admin commands, run through Flask's CLI runner against the test database."""

from __future__ import annotations

import shutil

from sqlalchemy import func, select

from domain.accounts import Account, Facility
from domain.audit import COMMAND_LINE, WITHHELD, AuditEvent
from domain.demo import STAFF_PASSWORD
from tests.conftest import read
from tests.engine_support import set_columns
from tests.web_support import login
from workflows import Actor
from workflows.models import InstanceStatus, ProcessInstance


def run(app, *args, input=None):
    return app.test_cli_runner().invoke(args=list(args), input=input)


def test_bpmn_validate_passes_on_the_shipped_processes(app):
    result = run(app, "bpmn", "validate")
    assert result.exit_code == 0 and "registration" in result.output


def test_bpmn_deploy_is_recorded_in_the_audit_log(app):
    result = run(app, "bpmn", "deploy")
    assert result.exit_code == 0, result.output
    [event] = read(app, select(AuditEvent).where(AuditEvent.action == "bpmn.deploy"))
    assert event.object_type == "process_version" and "registration" in event.after["processes"]
    assert event.object_id == event.after["hash"][:12] and len(event.after["hash"]) == 64


def test_bpmn_validate_names_file_element_and_reason(app, tmp_path):
    folder = tmp_path / "bpmn"
    shutil.copytree(app.extensions["settings"].bpmn_dir, folder)
    path = folder / "registration.bpmn"
    path.write_text(path.read_text().replace('"PT10M"', "PT10M"))
    app.extensions["settings"].bpmn_dir = folder
    result = run(app, "bpmn", "validate")
    assert result.exit_code == 1
    assert "registration.bpmn: wait_verification: timer 'PT10M' must be quoted" in result.output
    assert run(app, "bpmn", "deploy").exit_code == 1


def test_seed_demo_is_idempotent_and_prints_logins(app):
    first = run(app, "seed-demo")
    assert first.exit_code == 0 and "family@example.tw" in first.output
    count = len(read(app, select(Account)))
    assert run(app, "seed-demo").exit_code == 0
    assert len(read(app, select(Account))) == count
    assert len(read(app, select(Facility))) == 3


def test_create_user_reads_the_password_from_stdin(app, client):
    run(app, "seed-demo")
    result = run(
        app,
        "create-user",
        "--email",
        "new.reviewer@example.tw",
        "--role",
        "reviewer",
        "--facility",
        "dunpin-school",
        input="a fine password 8\n",
    )
    assert result.exit_code == 0, result.output
    assert "a fine password 8" not in result.output
    assert login(client, "new.reviewer@example.tw", "a fine password 8").status_code == 302
    [event] = read(app, select(AuditEvent).where(AuditEvent.action == "account.create_staff"))
    account_id = read(app, select(Account.id).where(Account.email == "new.reviewer@example.tw"))
    assert event.object_id == str(account_id[0]) and event.after["role"] == "reviewer"
    # The log names the account by id: its e-mail and name are withheld.
    assert event.after["email"] == WITHHELD and event.after["name"] == WITHHELD
    assert "new.reviewer" not in str(event.after)


def test_create_user_refuses_bad_requests(app):
    run(app, "seed-demo")
    no_facility = run(
        app,
        "create-user",
        "--email",
        "x@example.tw",
        "--role",
        "reviewer",
        input="a fine password 8\n",
    )
    assert no_facility.exit_code != 0 and "needs --facility" in no_facility.output
    weak = run(
        app, "create-user", "--email", "y@example.tw", "--role", "process_owner", input="short\n"
    )
    assert weak.exit_code != 0 and "password refused" in weak.output
    assert read(
        app,
        select(func.count())
        .select_from(Account)
        .where(Account.email.in_(["x@example.tw", "y@example.tw"])),
    ) == [0]


def test_disable_user_and_enable_user_for_a_national_role(app, client):
    run(app, "seed-demo")
    assert login(client, "auditor@example.tw", STAFF_PASSWORD).status_code == 302
    assert client.get("/audit").status_code == 200
    result = run(app, "disable-user", "--email", "Auditor@example.tw")
    assert result.exit_code == 0 and "auditor@example.tw is disabled" in result.output
    assert client.get("/audit").status_code == 302  # its open session ended
    assert login(app.test_client(), "auditor@example.tw", STAFF_PASSWORD).status_code == 200
    assert "already" in run(app, "disable-user", "--email", "auditor@example.tw").output
    assert run(app, "enable-user", "--email", "auditor@example.tw").exit_code == 0
    assert login(app.test_client(), "auditor@example.tw", STAFF_PASSWORD).status_code == 302
    events = read(app, select(AuditEvent).order_by(AuditEvent.id))
    assert [(e.action, e.actor) for e in events if e.action.startswith("account.")] == [
        ("account.disable", COMMAND_LINE.label),
        ("account.enable", COMMAND_LINE.label),
    ]


def test_disable_user_refuses_families_strangers_and_the_last_admin(app):
    run(app, "seed-demo")
    for email in ("family@example.tw", "nobody@example.tw"):
        result = run(app, "disable-user", "--email", email)
        assert result.exit_code != 0 and "no staff account" in result.output
    last = run(app, "disable-user", "--email", "admin.taichung@example.tw")
    assert last.exit_code != 0 and "no active admin left" in last.output
    admin = select(Account.status).where(Account.email == "admin.taichung@example.tw")
    assert read(app, admin) == ["active"]


def test_workflows_tick_and_incidents(app):
    result = run(app, "workflows", "tick")
    assert result.exit_code == 0 and "advanced 0 instance(s)" in result.output
    assert "no incidents" in run(app, "workflows", "incidents").output


def test_a_tick_run_from_cron_fails_when_a_job_failed(app, monkeypatch):
    """Its other jobs still ran; the exit status lets the scheduler's alert see the failure."""
    import webapp.ticking

    def broken(_session):
        raise RuntimeError("outbox unreachable")

    monkeypatch.setattr(webapp.ticking, "sweep_outbox", broken)
    result = run(app, "workflows", "tick")
    assert result.exit_code != 0
    assert "advanced 0 instance(s)" in result.output and "outbox" in result.output


def test_start_up_with_a_broken_bpmn_folder_keeps_serving_the_last_good_version(
    app, tmp_path, caplog
):
    from domain.settings import Settings
    from webapp import create_app

    folder = tmp_path / "bpmn"
    shutil.copytree(app.extensions["settings"].bpmn_dir, folder)
    path = folder / "registration.bpmn"
    path.write_text(path.read_text().replace("send_verification_link(", "send_link_now("))
    settings = Settings.from_env(
        env={
            "INSTANCE_PATH": str(tmp_path),
            "DATABASE_URL": app.extensions["settings"].database_url,
            "BPMN_DIR": str(folder),
            "TICK_SECONDS": "0",
        }
    )
    broken = create_app(settings, TESTING=True, START_BACKGROUND=False)
    assert "registration.bpmn: send_link: send_link_now() is not a registered operation" in (
        caplog.text
    )
    assert broken.test_client().get("/register").status_code == 200
    broken.extensions["db"].dispose()


def test_workflows_retry_runs_an_incident_again_and_names_what_it_cannot(app):
    with app.extensions["db"].transaction() as session:
        engine = app.extensions["engine"]
        instance = engine.start(session, "registration", Actor(session_key="cli-test"))
        set_columns(
            session, instance, status=InstanceStatus.INCIDENT, incident_error="mail server down"
        )
    result = run(app, "workflows", "retry", str(instance.id))
    assert result.exit_code == 0, result.output
    assert f"instance {instance.id}: running" in result.output
    [event] = read(app, select(AuditEvent).where(AuditEvent.action == "instance.retry"))
    assert (event.actor, event.object_id) == ("command-line", str(instance.id))
    assert read(app, select(ProcessInstance.status).where(ProcessInstance.id == instance.id)) == [
        InstanceStatus.RUNNING
    ]
    for unknown in (str(instance.id), "424242", "99999999999"):  # no longer, never, too large
        result = run(app, "workflows", "retry", unknown)
        # A message and a failing exit status, not an exception's traceback.
        assert result.exit_code != 0 and isinstance(result.exception, SystemExit)
        assert unknown in result.output
