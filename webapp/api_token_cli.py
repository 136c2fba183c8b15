"""`flask --app webapp api-token create|list|revoke`: the delivery feed's facility tokens.

A token is printed once, when it is made; only its hash is kept, so a lost token is revoked
and a new one created.
"""

from __future__ import annotations

import sys

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import select

from domain.accounts import Facility
from domain.api_tokens import FacilityToken, issue_token, list_tokens, revoke_token, token_row
from domain.audit import COMMAND_LINE, record
from workflows.db import column_width

# SQLite would store a longer label; PostgreSQL refuses it (a traceback), so it is refused first.
LABEL_WIDTH = column_width(FacilityToken.label)
api_token_cli = AppGroup("api-token", help="Issue and revoke the delivery feed's API tokens.")


def _db():
    return current_app.extensions["db"]


@api_token_cli.command("create")
@click.option("--facility", "facility_code", required=True, help="facility code")
@click.option("--label", default="", help="what the token is for (e.g. the tablet's name)")
def create(facility_code: str, label: str) -> None:
    """Make a token for a facility and print it (the only time it is shown)."""
    if len(label) > LABEL_WIDTH:
        sys.exit(f"api-token: label longer than {LABEL_WIDTH} characters")
    with _db().transaction() as session:
        facility = session.scalar(select(Facility).where(Facility.code == facility_code))
        if facility is None:
            sys.exit(f"api-token: no facility with code {facility_code!r}")
        token = issue_token(session, facility.id, label)
        token_id = token_row(session, token).id
        after = {"label": label}
        record(
            session,
            COMMAND_LINE,
            "api_token.create",
            "facility_token",
            token_id,
            facility_id=facility.id,
            after=after,
        )
    click.echo(f"token {token_id} for {facility_code} (shown once; store it now):", err=True)
    click.echo(token)


@api_token_cli.command("list")
def list_command() -> None:
    """Every token: id, facility, label, created, revoked (never the token itself)."""
    session = _db().session
    codes = dict(session.execute(select(Facility.id, Facility.code)).all())
    rows = list_tokens(session)
    for row in rows:
        revoked = row.revoked_at.isoformat() if row.revoked_at else "-"
        click.echo(
            f"{row.id}\t{codes.get(row.facility_id)}\t{row.label}\t"
            f"{row.created_at.isoformat()}\t{revoked}"
        )
    if not rows:
        click.echo("no tokens")


@api_token_cli.command("revoke")
@click.argument("token_id", type=int)
def revoke(token_id: int) -> None:
    """Stop a token from working, at once."""
    with _db().transaction() as session:
        row = revoke_token(session, token_id)
        if row is None:
            sys.exit(f"api-token: no token with id {token_id}")
        record(
            session,
            COMMAND_LINE,
            "api_token.revoke",
            "facility_token",
            token_id,
            facility_id=row.facility_id,
        )
    click.echo(f"token {token_id} revoked")
