"""Everything a reviewer needs beside the decision form: applicant, proofs, roster, history."""

from __future__ import annotations

from sqlalchemy import select

from domain.accounts import Account, Facility
from domain.applications import CORRECTION, Application, ApplicationDocument, ApplicationRound
from domain.roster import Inmate, Restriction

from ..taskpages.routes import TASK_CONTEXT


def review_context(session, row, task_data: dict) -> dict:
    """The application of the task, its applicant, person, documents by round and history
    (the other applications only of this task's facility)."""
    application = session.get(Application, task_data.get("application_id"))
    if application is None:
        return {}
    # Only this facility's applications: the reviewer has no business with another facility's.
    others = select(Application).where(
        Application.id != application.id, Application.facility_id == row.facility_id
    )
    history = list(
        session.scalars(
            select(ApplicationRound)
            .where(ApplicationRound.application_id == application.id)
            .order_by(ApplicationRound.round, ApplicationRound.id)
        )
    )
    return {
        "application": application,
        "applicant": session.get(Account, application.account_id),
        "inmate": session.get(Inmate, application.inmate_id),
        "facility": session.get(Facility, application.facility_id),
        "restrictions": list(
            session.scalars(
                select(Restriction)
                .where(Restriction.inmate_id == application.inmate_id)
                .order_by(Restriction.starts_on)
            )
        ),
        "documents": list(
            session.scalars(
                select(ApplicationDocument)
                .where(ApplicationDocument.application_id == application.id)
                .order_by(ApplicationDocument.round.desc(), ApplicationDocument.kind)
            )
        ),
        "rounds": [r for r in history if r.decision != CORRECTION],
        "corrections": [r for r in history if r.decision == CORRECTION],
        "applicant_history": list(
            session.scalars(others.where(Application.account_id == application.account_id))
        ),
        "inmate_history": list(
            session.scalars(others.where(Application.inmate_id == application.inmate_id))
        ),
    }


TASK_CONTEXT["ApplicationReviewForm"] = review_context
