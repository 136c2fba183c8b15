"""The operations the service-application BPMN calls: find, check, file, decide, resubmit.

The per-facility rules (who may apply, which proofs) come from the DMN tables; these operations
add what needs the database: the roster, restrictions in force, and one book per person.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from workflows.operations import context, operation

from . import links
from .accounts import Account, Facility
from .applications import (
    CORRECTION,
    Application,
    ApplicationDocument,
    ApplicationRound,
    ApplicationStatus,
    ContactBook,
    open_application_for,
)
from .audit import record_step
from .notice_render import Both, InEach, reason_in_each
from .notify import notify_account
from .roster import Inmate, active_restriction, find_inmate, local_today

STATUS_LINK = "/applications"


@operation
def find_application_target(target: dict) -> dict:
    """The person at that facility with that call number, shown only as '0609 李〇〇'."""
    ctx = context()
    inmate = find_inmate(ctx.session, target["facility"], target["call_number"])
    if inmate is None:
        return {"found": False}
    ctx.set_subject(f"inmate:{inmate.id}", inmate.display_label, inmate.call_number)
    ctx.set_owner(facility_id=inmate.facility_id)
    return {"found": True, "inmate_id": inmate.id, "label": inmate.display_label}


def _ineligibility(
    session, account_id: int, inmate: Inmate, allowed: bool, needs_children: bool, today
) -> str | None:
    """Why this applicant may not apply for this person now, as a reason code, or None."""
    if not allowed:
        return "relationship_not_allowed"
    if needs_children and not inmate.children_under_18:
        return "no_children_under_18"
    if active_restriction(session, inmate.id, today) is not None:
        return "restricted"
    holder = open_application_for(session, inmate.id)
    if holder is not None:
        return "already_applied" if holder.account_id == account_id else "book_taken"
    return None


@operation
def check_application_eligibility(
    account_id: int, match: dict, relationship_allowed: bool, needs_children_under_18: bool
) -> dict:
    """{'eligible': bool, 'reason': code}; nothing is filed for an ineligible request."""
    ctx = context()
    inmate = ctx.session.get(Inmate, match["inmate_id"])
    reason = _ineligibility(
        ctx.session,
        account_id,
        inmate,
        relationship_allowed,
        needs_children_under_18,
        local_today(),
    )
    return {"eligible": reason is None, "reason": reason}


def _attach_documents(session, application: Application, documents: dict) -> None:
    for kind, file_id in sorted(documents.items()):
        if file_id:
            session.add(
                ApplicationDocument(
                    application_id=application.id,
                    round=application.round,
                    kind=kind,
                    file_id=file_id,
                )
            )


@operation
def file_application(
    account_id: int, match: dict, target: dict, details: dict, special_project: bool
) -> dict:
    """File the application; the unique open-inmate key refuses a concurrent second one."""
    ctx = context()
    inmate = ctx.session.get(Inmate, match["inmate_id"])
    if active_restriction(ctx.session, inmate.id, local_today()) is not None:
        return {"application_id": None, "reason": "restricted"}
    application = Application(
        account_id=account_id,
        inmate_id=inmate.id,
        facility_id=inmate.facility_id,
        relationship=target["relationship"],
        services=details["services"],
        special_project=bool(special_project),
        organisation=details.get("organisation", ""),
        status=ApplicationStatus.PENDING,
        round=1,
        submitted_at=ctx.now,
        instance_id=ctx.instance.id,
        open_inmate_id=inmate.id,
    )
    try:
        with ctx.session.begin_nested():
            ctx.session.add(application)
    except IntegrityError:
        # Filed meanwhile: by this account (a second tab) or by another family member.
        holder = open_application_for(ctx.session, inmate.id)
        mine = holder is not None and holder.account_id == account_id
        return {"application_id": None, "reason": "already_applied" if mine else "book_taken"}
    _attach_documents(ctx.session, application, details.get("documents", {}))
    ctx.correlate(application_id=application.id)
    _notify_family(application, "application_received")
    return {"application_id": application.id, "reason": None}


def _notify_family(application: Application, kind: str, **extra: str | Both | InEach) -> None:
    """Tell the applicant, in the words of the facility's template for `kind`."""
    session = context().session
    account = session.get(Account, application.account_id)
    inmate = session.get(Inmate, application.inmate_id)
    facility = session.get(Facility, application.facility_id)
    values = {
        "name": account.name,
        "label": inmate.display_label,
        "facility": Both(facility.name_zh, facility.name_en),
        "link": links.url(STATUS_LINK),
        **extra,
    }
    notify_account(session, account, kind, values, facility_id=application.facility_id)


def _record_round(application: Application, review: dict) -> None:
    ctx = context()
    application.decided_at = ctx.now
    application.reason_code = review.get("reason_code", "")
    application.reason = review.get("reason", "")
    application.suggested_steps = review.get("suggested_steps", "")
    ctx.session.add(
        ApplicationRound(
            application_id=application.id,
            round=application.round,
            decision=review["decision"],
            reason_code=application.reason_code,
            reason=application.reason,
            suggested_steps=application.suggested_steps,
            decided_by=ctx.actor.account_id,
            decided_at=ctx.now,
        )
    )
    record_step(
        f"application.{review['decision']}",
        "application",
        application.id,
        application.facility_id,
        after={
            "round": application.round,
            "reason_code": application.reason_code,
            "reason": application.reason,
        },
    )


def _decision_mail(application: Application, review: dict, approved: bool) -> None:
    if approved:
        _notify_family(application, "application_approved")
        return
    steps = application.suggested_steps
    _notify_family(
        application,
        "application_rejected",
        reason=reason_in_each(review),
        steps=Both(steps or "－", steps or "-"),
    )


@operation
def approve_application(application_id: int, review: dict) -> None:
    """Approved: the family's contact book for this person becomes active."""
    ctx = context()
    application = ctx.session.get(Application, application_id)
    _record_round(application, review)
    application.status = ApplicationStatus.APPROVED
    ctx.session.add(
        ContactBook(
            account_id=application.account_id,
            inmate_id=application.inmate_id,
            application_id=application.id,
            started_at=ctx.now,
            active_inmate_id=application.inmate_id,
        )
    )
    _decision_mail(application, review, approved=True)


@operation
def reject_application(application_id: int, review: dict) -> None:
    """Rejected with a reason and suggested steps; the family may correct and resubmit."""
    application = context().session.get(Application, application_id)
    _record_round(application, review)
    application.status = ApplicationStatus.REJECTED
    _decision_mail(application, review, approved=False)


@operation
def resubmit_application(application_id: int, correction: dict) -> None:
    """A corrected round: back to review, with the earlier rounds kept."""
    ctx = context()
    application = ctx.session.get(Application, application_id)
    application.round += 1
    application.status = ApplicationStatus.PENDING
    application.submitted_at = ctx.now
    application.decided_at = None
    _attach_documents(ctx.session, application, correction.get("documents", {}))
    # What the family says it corrected, kept with the round for the reviewer.
    ctx.session.add(
        ApplicationRound(
            application_id=application.id,
            round=application.round,
            decision=CORRECTION,
            reason=correction.get("note", ""),
            decided_by=ctx.actor.account_id,
            decided_at=ctx.now,
        )
    )


@operation
def close_application(application_id: int) -> None:
    """Never corrected: close it, so the person can be applied for again."""
    application = context().session.get(Application, application_id)
    application.status = ApplicationStatus.CLOSED
    application.open_inmate_id = None


@operation
def notify_review_overdue(application_id: int) -> str:
    """Mail the facility's supervisors (once per round: a deadline that does not interrupt the
    review). Returns when the review fell due, which older process versions gave their separate
    overdue task as its due."""
    ctx = context()
    application = ctx.session.get(Application, application_id)
    inmate = ctx.session.get(Inmate, application.inmate_id)
    facility = ctx.session.get(Facility, application.facility_id)
    supervisors = ctx.session.scalars(
        select(Account).where(
            Account.facility_id == application.facility_id,
            Account.role == "supervisor",
            Account.status == "active",
        )
    )
    values = {
        "label": inmate.display_label,
        "facility": Both(facility.name_zh, facility.name_en),
        "link": links.url("/inbox"),
    }
    for supervisor in supervisors:
        notify_account(
            ctx.session,
            supervisor,
            "review_overdue",
            values,
            facility_id=facility.id,
            dedupe_key=f"overdue:{application.id}:{application.round}:{supervisor.id}",
        )
    return ctx.now.isoformat()
