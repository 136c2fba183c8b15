"""Admin commands: `flask --app webapp <command>`.

db-upgrade, seed-demo, create-user, disable-user, enable-user, bpmn validate|deploy,
workflows tick|incidents|retry, api-token create|list|revoke, rotate-keys.
"""

from __future__ import annotations

import sys
import time

import click
from flask import Flask, current_app
from flask.cli import AppGroup, with_appcontext
from sqlalchemy import select

from domain.audit import COMMAND_LINE, record
from domain.incidents import retry_incident
from workflows import InstanceNotFound, SpecInvalid
from workflows.models import InstanceStatus, ProcessInstance
from workflows.specs import read_folder

from .api_token_cli import api_token_cli
from .ids import MAX_ID
from .keys_cli import rotate_keys
from .roster_cli import import_inmates

bpmn_cli = AppGroup("bpmn", help="Validate and deploy the process definitions in bpmn/.")
workflows_cli = AppGroup("workflows", help="Run timers and look after process instances.")


def init_app(app: Flask) -> None:
    """Register the commands on the app."""
    commands = (db_upgrade, seed_demo, create_user, disable_user, enable_user)
    for command in (*commands, import_inmates, rotate_keys):
        app.cli.add_command(command)
    app.cli.add_command(bpmn_cli)
    app.cli.add_command(workflows_cli)
    app.cli.add_command(api_token_cli)


def _ext(name: str):
    return current_app.extensions[name]


@click.command("db-upgrade")
@with_appcontext
def db_upgrade() -> None:
    """Bring the database to the newest migration, then deploy bpmn/."""
    from .migrate import upgrade_database
    from .workflow_setup import deploy_bpmn

    upgrade_database(_ext("settings").database_url)
    click.echo("database is up to date")
    if not deploy_bpmn(current_app):
        sys.exit("bpmn/ failed validation: run `flask --app webapp bpmn validate`")


@click.command("seed-demo")
@with_appcontext
def seed_demo() -> None:
    """Create the three facilities, staff and a family account with an active contact book,
    an institution post per facility and a national announcement (idempotent); print the
    logins."""
    from domain.demo import seed_demo as seed
    from domain.demo import seed_demo_book
    from domain.demo_notices import seed_demo_notices

    with _ext("db").transaction() as session:
        rows = seed(session)
        seed_demo_book(session)
        seed_demo_notices(session)
    width = max(len(email) for email, _pw, _role in rows)
    click.echo("Demo logins (e-mail, password, role):")
    for email, password, role in rows:
        click.echo(f"  {email:<{width}}  {password}  {role}")


@click.command("create-user")
@with_appcontext
@click.option("--email", required=True)
@click.option(
    "--role",
    required=True,
    type=click.Choice(["reviewer", "supervisor", "facility_admin", "process_owner", "auditor"]),
)
@click.option("--facility", "facility_code", help="facility code (for facility roles)")
@click.option("--name", default="", help="display name (default: the e-mail's local part)")
def create_user(email: str, role: str, facility_code: str | None, name: str) -> None:
    """Create an active staff account; the password is read from standard input."""
    from domain.staff import StaffError, create_staff_account

    password = sys.stdin.readline().rstrip("\n")
    try:
        with _ext("db").transaction() as session:
            account = create_staff_account(
                session,
                actor=COMMAND_LINE,
                email=email,
                role=role,
                password=password,
                facility_code=facility_code,
                name=name,
            )
    except StaffError as exc:
        sys.exit(f"create-user: {exc}")
    click.echo(f"created {account.role} account {account.email} (id {account.id})")


@click.command("disable-user")
@with_appcontext
@click.option("--email", required=True)
def disable_user(email: str) -> None:
    """Disable a staff account: it cannot sign in, and its sessions, links and API tokens end.

    The one way for national roles (process owner, auditor), who have no facility admin."""
    _set_enabled(email, False)


@click.command("enable-user")
@with_appcontext
@click.option("--email", required=True)
def enable_user(email: str) -> None:
    """Let a disabled staff account sign in again (with a new session)."""
    _set_enabled(email, True)


def _set_enabled(email: str, enabled: bool) -> None:
    from domain.accounts import find_by_email
    from domain.staff import StaffError, set_staff_enabled

    name = "enable-user" if enabled else "disable-user"
    try:
        with _ext("db").transaction() as session:
            account = find_by_email(session, email)
            if account is None or account.role == "family":
                raise StaffError(f"no staff account with e-mail {email}")
            changed = set_staff_enabled(session, COMMAND_LINE, account, enabled)
            address, status = account.email, account.status
    except StaffError as exc:
        sys.exit(f"{name}: {exc}")
    click.echo(f"{address} is {status}" + ("" if changed else " already"))


def _report_and_exit(exc: SpecInvalid) -> None:
    """One line per problem: file, element id, reason; then a failing exit status."""
    for file, element, reason in exc.problems:
        click.echo(f"{file}: {element}: {reason}", err=True)
    sys.exit(1)


@bpmn_cli.command("validate")
def bpmn_validate() -> None:
    """Check bpmn/ without deploying; name the file, element and reason of every problem."""
    folder = _ext("settings").bpmn_dir
    try:
        version = _ext("engine").versions.validate(read_folder(folder))
    except SpecInvalid as exc:
        _report_and_exit(exc)
    click.echo(f"OK: {', '.join(version.process_ids())} (version {version.hash[:12]})")


@bpmn_cli.command("deploy")
def bpmn_deploy() -> None:
    """Validate bpmn/ and make it the version new instances start on."""
    try:
        with _ext("db").transaction() as session:
            version = _ext("engine").versions.deploy_folder(session, _ext("settings").bpmn_dir)
            # Named by its short hash, as everywhere else; the log keeps the whole one too.
            after = {"processes": version.process_ids(), "hash": version.hash}
            short = version.hash[:12]
            record(session, COMMAND_LINE, "bpmn.deploy", "process_version", short, after=after)
    except SpecInvalid as exc:
        _report_and_exit(exc)
    click.echo(f"deployed version {version.hash[:12]}: {', '.join(version.process_ids())}")


@workflows_cli.command("tick")
@click.option("--every", type=int, default=0, help="repeat every N seconds (0: once)")
def workflows_tick(every: int) -> None:
    """Fire due timers and re-send held-back mail (cron, or a loop with --every)."""
    from .ticking import tick_once

    while True:
        tick = tick_once(current_app)
        click.echo(
            f"advanced {len(tick.advanced)} instance(s), re-sent {tick.swept} notification(s)"
        )
        if every <= 0:
            # Run from cron: a failed job makes the run fail, so the scheduler's alert sees it.
            if tick.failed:
                raise click.ClickException(f"failed: {', '.join(tick.failed)} (see the log)")
            return
        time.sleep(every)


@workflows_cli.command("incidents")
def workflows_incidents() -> None:
    """List instances stopped by a failing step."""
    rows = (
        _ext("db")
        .session.scalars(
            select(ProcessInstance)
            .where(ProcessInstance.status == InstanceStatus.INCIDENT)
            .order_by(ProcessInstance.id)
        )
        .all()
    )
    for row in rows:
        click.echo(f"{row.id}\t{row.process_id}\t{row.incident_element}\t{row.incident_error}")
    if not rows:
        click.echo("no incidents")


@workflows_cli.command("retry")
@click.argument("instance_id", type=click.IntRange(1, MAX_ID))
def workflows_retry(instance_id: int) -> None:
    """Re-run the failed step of an instance once its cause is fixed."""
    try:
        with _ext("db").transaction() as session:
            instance = retry_incident(session, _ext("engine"), COMMAND_LINE, instance_id)
    except InstanceNotFound:
        raise click.ClickException(
            f"instance {instance_id} has no incident (see `workflows incidents`)"
        ) from None
    click.echo(
        f"instance {instance_id}: {instance.status}"
        + (f" ({instance.incident_error})" if instance.incident_error else "")
    )
