"""`flask --app webapp rotate-keys`: move national IDs and stored files to the current keys.

Before running it, make the new key current and list the old one among the old keys
(ID_ENCRYPTION_KEY + ID_ENCRYPTION_OLD_KEYS, FILE_ENCRYPTION_KEY + FILE_ENCRYPTION_OLD_KEYS);
afterwards the old keys may be dropped. Interrupted, it goes on from its last batch.
"""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext

from domain.files import storage_dir_for
from domain.key_rotation import KINDS, rotate


@click.command("rotate-keys")
@with_appcontext
@click.option("--batch-size", type=int, default=200, show_default=True)
@click.option("--max-batches", type=int, default=None, help="stop after N batches (per kind)")
@click.option("--only", type=click.Choice(KINDS), default=None, help="one kind of data only")
def rotate_keys(batch_size: int, max_batches: int | None, only: str | None) -> None:
    """Re-encrypt every national ID and every stored file under the current key."""
    db, settings = current_app.extensions["db"], current_app.extensions["settings"]
    storage_dir = storage_dir_for(settings.instance_path)
    try:
        for kind in (only,) if only else KINDS:
            row = rotate(
                db.transaction,
                kind,
                storage_dir=storage_dir,
                batch_size=batch_size,
                max_batches=max_batches,
            )
            state = "done" if row.finished_at else f"paused after row {row.last_row_id}"
            click.echo(f"{kind}: key {row.target_key_id}, {row.rewritten} re-encrypted, {state}")
    finally:
        db.remove()
