"""Who may see an application's proofs: the applicant, and reviewers of its facility."""

from __future__ import annotations

from sqlalchemy import select

from .applications import Application, ApplicationDocument
from .files import register_file_access

REVIEWING_ROLES = frozenset({"reviewer", "supervisor"})


def application_document_access(session, file_id: int, viewer) -> bool | None:
    """True for the applicant and the facility's reviewers; None when no application has it."""
    applications = session.scalars(
        select(Application)
        .join(ApplicationDocument, ApplicationDocument.application_id == Application.id)
        .where(ApplicationDocument.file_id == file_id)
    ).all()
    if not applications:
        return None
    return any(
        (viewer.account_id is not None and viewer.account_id == a.account_id)
        or (viewer.roles & REVIEWING_ROLES and viewer.facility_id == a.facility_id)
        for a in applications
    )


register_file_access(application_document_access)
