"""Uploads never filed are deleted a set number of days after they were uploaded.

A form keeps a file it accepted when another field was refused (`forms.fields.KeepsFile`), so
the family need not choose it again; if the form is then never sent (an application left
unsent, a post draft that expired) or the file is replaced, nothing refers to it, and a proof
(household registration, an ID card) would stay for as long as the account. How long such a
file is kept comes from upload_retention.dmn (read through the rule-only process
`upload_retention`); the periodic tick calls `expire_unfiled_uploads`.

A file is unfiled when no foreign key of the schema points at it (`domain.file_references`)
and no instance that may still go on names it in its data (`workflows.held_ids`): a failed step
can leave the proofs of an application in task data only, until the incident is retried. Task
data names a file under a key ending in `file_id` (`upload_file_id`, `scan_file_id`, …) or
`file_ids`, or in a `documents` mapping (proof kind -> file id); a test runs the flows that
file files (application, post, reply, institution post) and checks that their data names each
one so.

The only other place an id waits is the hidden field of a page that kept the file
(`<name>_kept`). The period covers it, being far longer than such a page is used (a post draft
ends after 7 days); a page sent back after its file is gone asks for the file again
(`forms.fields.KeepsFile`), rather than going on without it.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from workflows.actors import SYSTEM
from workflows.clock import clock
from workflows.held_ids import ids_held_by_live_instances

from .audit import record
from .file_erasure import erase_files
from .file_references import unreferenced
from .files import StoredFile

log = logging.getLogger(__name__)
BATCH = 200
FILE_ID_SUFFIXES = ("file_id", "file_ids")
DOCUMENTS = "documents"


def names_files(key: str) -> bool:
    """Whether a task-data key holds stored-file ids (see the module's docstring)."""
    return key.endswith(FILE_ID_SUFFIXES) or key == DOCUMENTS


def expire_unfiled_uploads(session: Session, storage_dir: Path, days: int) -> int:
    """Erase up to BATCH files uploaded more than `days` ago that were never filed (flush,
    never commit), and record it in the audit log; returns how many files were erased."""
    candidates = _unfiled_and_unheld(session, clock.now() - timedelta(days=days))
    file_ids = _lock_unfiled(session, candidates)
    erased = erase_files(session, storage_dir, file_ids)
    if erased:
        record(
            session,
            SYSTEM,
            "file.expire_unfiled",
            "file",
            after={"files": erased, "file_ids": file_ids, "kept_days": days},
        )
        log.info("%d unfiled uploads older than %d days erased", erased, days)
    session.flush()
    return erased


def _unfiled_and_unheld(session: Session, cutoff: datetime) -> list[int]:
    """Up to BATCH ids of files stored before `cutoff` that nothing refers to, oldest first.

    Files held by a live instance are passed over, page by page, so that they never keep the
    files after them from their turn.
    """
    held: set[int] | None = None
    found: list[int] = []
    after = 0
    while len(found) < BATCH:
        page = session.scalars(
            select(StoredFile.id)
            .where(StoredFile.created_at < cutoff, StoredFile.id > after, unreferenced())
            .order_by(StoredFile.id)
            .limit(BATCH)
        ).all()
        if not page:
            break
        if held is None:  # read once, and only when there is a candidate
            held = ids_held_by_live_instances(session, names_files)
        found += [file_id for file_id in page if file_id not in held]
        after = page[-1]
    return found[:BATCH]


def _lock_unfiled(session: Session, file_ids: list[int]) -> list[int]:
    """Those of these files that are still unfiled, locked until the commit.

    While a file row is locked (FOR UPDATE) no row referring to it can be written: PostgreSQL
    checks a new reference with a lock the FOR UPDATE excludes. So, checked again after the
    lock, in a statement of its own (under READ COMMITTED it sees every reference committed
    before), the answer holds until the commit; erase_files then removes no reference. Files
    another tick has locked are skipped: that tick erases them. SQLite needs none of it: its
    writers queue at BEGIN (workflows.db).
    """
    if not file_ids:
        return []
    locked = session.scalars(
        select(StoredFile.id).where(StoredFile.id.in_(file_ids)).with_for_update(skip_locked=True)
    ).all()
    if not locked:
        return []
    return list(
        session.scalars(
            select(StoredFile.id)
            .where(StoredFile.id.in_(locked), unreferenced())
            .order_by(StoredFile.id)
        )
    )
