"""Proof documents are deleted a set number of days after their application's decision.

Proofs (ID document, household registration, a photo of the applicant) are needed to decide;
afterwards they are only a risk. How long they are kept is a rule of retention_policy.dmn
(read through the rule-only process `proof_retention`, by facility); the periodic tick calls
`expire_proofs`. An application still in review (pending) keeps its proofs, whatever its age.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from workflows.clock import clock

from .accounts import Facility
from .applications import Application, ApplicationDocument, ApplicationStatus
from .file_erasure import erase_files

BATCH = 200


def expire_proofs(session: Session, storage_dir: Path, retention_days: Callable[[str], int]) -> int:
    """Erase the proofs of applications decided longer ago than their facility keeps them.

    `retention_days(facility_code)` gives the policy. Returns how many files were erased.
    """
    rows = session.execute(
        select(Application, Facility.code)
        .join(Facility, Facility.id == Application.facility_id)
        .where(
            Application.status != ApplicationStatus.PENDING,
            Application.decided_at.is_not(None),
            Application.proofs_erased_at.is_(None),
        )
        .order_by(Application.decided_at)
        .limit(BATCH)
    ).all()
    now, days_by_code, erased = clock.now(), {}, 0
    for application, code in rows:
        if code not in days_by_code:
            days_by_code[code] = retention_days(code)
        if application.decided_at + timedelta(days=days_by_code[code]) > now:
            continue
        file_ids = session.scalars(
            select(ApplicationDocument.file_id).where(
                ApplicationDocument.application_id == application.id
            )
        ).all()
        erased += erase_files(session, storage_dir, file_ids)
        application.proofs_erased_at = now
    session.flush()
    return erased
