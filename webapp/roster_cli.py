"""`flask --app webapp import-inmates FILE.csv`: load or refresh the roster from a CSV file."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from domain.audit import COMMAND_LINE, record
from domain.roster_import import RosterFileInvalid, import_roster


@click.command("import-inmates")
@click.argument(
    "csv_file", type=click.Path(exists=True, dir_okay=False, readable=True, path_type=Path)
)
@with_appcontext
def import_inmates(csv_file: Path) -> None:
    """Upsert persons in custody and their restrictions from CSV_FILE (all lines or none).

    Header: facility,call_number,name,juvenile,children_under_18,restriction,restriction_from,
    restriction_to. Booleans yes/no, dates YYYY-MM-DD, one line per restriction.
    """
    data = csv_file.read_bytes()
    try:
        with current_app.extensions["db"].transaction() as session:
            summary = import_roster(session, data)
            after = {
                "file": csv_file.name,
                "summary": str(summary),
                "restrictions_removed": [str(change) for change in summary.changes],
            }
            record(session, COMMAND_LINE, "roster.import", "roster", "", after=after)
    except RosterFileInvalid as exc:
        for error in exc.errors:
            click.echo(f"{csv_file.name}: line {error.line}: {error.reason}", err=True)
        sys.exit(f"{len(exc.errors)} problem(s) found: nothing was imported")
    click.echo(f"{csv_file.name}: {summary}")
    if summary.changes:
        click.echo("Restrictions removed because the file does not list them:")
    for change in summary.changes:
        click.echo(f"{csv_file.name}: {change}")
