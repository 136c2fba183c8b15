"""`/applications` (服務項目狀態查詢), `/applications/new` (服務項目申請) and the outcome page."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from domain.accounts import Facility
from domain.applications import Application, applications_of
from domain.roster import Inmate
from workflows.cancellation import cancel_instances
from workflows.db import lock_row
from workflows.family_tasks import family_steps
from workflows.models import HumanTask, InstanceStatus, ProcessInstance, TaskStatus

from ..access import family_only, own_instance
from ..actors import current_actor
from ..extensions import get_db, get_engine, limiter
from ..taskpages.flow import LANDINGS
from ..taskpages.limits import TASK_LIMITS
from ..taskpages.starting import start_from_first_form
from . import bp
from .texts import INELIGIBLE_REASONS, STEP_LABELS

PROCESS = "service_application"
# The steps before an application is sent (BPMN ids), shown as "in progress".
UNFINISHED_STEPS = tuple(STEP_LABELS)
# Each start leaves an instance with an open step until it is sent or discarded (an unsent
# application never expires): enough for a family's relatives, too few to fill the tables.
STARTS_LIMIT = "10 per hour"
# Naming a person answers whether the roster holds that call number: enough tries for typing
# mistakes, too few to list a facility's roster (webapp.taskpages.limits).
TASK_LIMITS["ApplicationTargetForm"] = "30 per hour"


@bp.route("/applications")
@family_only
def status():
    """Every application of the family with its status, review time and, if rejected, why."""
    session = get_db().session
    rows = []
    for application in applications_of(session, current_user.id):
        rows.append(
            {
                "application": application,
                "facility": session.get(Facility, application.facility_id),
                "inmate": session.get(Inmate, application.inmate_id),
                "due": _decision_due(session, application),
                "correction_task": _open_family_task(session, application),
            }
        )
    return render_template(
        "applications/status.html",
        rows=rows,
        unfinished=_unfinished(session),
        step_labels=STEP_LABELS,
    )


def _account_key() -> str:
    """Starts are counted per account: families on one network do not share a limit."""
    return f"account:{current_user.id}"


def _started(response) -> bool:
    """Only a valid first step starts an instance (and redirects); a refused form does not."""
    return response.status_code == 302


@bp.route("/applications/new", methods=["GET", "POST"])
@family_only
@limiter.limit(
    STARTS_LIMIT,
    methods=["POST"],
    key_func=_account_key,
    deduct_when=_started,
    scope="application-start",
)
def new():
    """The first step of a new application (the instance starts when it is valid)."""
    return start_from_first_form(
        PROCESS, url_for("applications.new"), {"account_id": current_user.id}
    )


@bp.route("/applications/outcome/<int:instance_id>")
@family_only
def outcome(instance_id: int):
    """Where the family lands after the last step: why nothing was filed, or the status page."""
    instance = own_instance(instance_id)
    reason = _ineligibility_reason(instance)
    if reason is None:
        flash(
            _("Your application has been sent. The facility decides within one month."), "success"
        )
        return redirect(url_for("applications.status"))
    return render_template("applications/ineligible.html", reason=INELIGIBLE_REASONS[reason])


def _ineligibility_reason(instance: ProcessInstance) -> str | None:
    if instance.status != InstanceStatus.COMPLETED:
        return None
    data = get_engine().final_data(instance)
    if data.get("application_id"):
        return None
    filing = data.get("filing") or {}
    return filing.get("reason") or (data.get("eligibility") or {}).get("reason")


def _unfinished(session) -> list[HumanTask]:
    """The family's open first steps of applications not yet sent, to continue where they left."""
    unsent = (HumanTask.process_id == PROCESS, HumanTask.bpmn_id.in_(UNFINISHED_STEPS))
    return session.scalars(family_steps(current_user.id, *unsent)).all()


@bp.post("/applications/drafts/<int:instance_id>/discard")
@family_only
def discard(instance_id: int):
    """Drop an application the family started and never sent: nothing was filed, so nothing
    is withdrawn; its process is cancelled and it leaves the list."""
    session = get_db().session
    instance = own_instance(instance_id)
    lock_row(session, ProcessInstance, instance.id)  # two clicks at once: the second waits
    draft = session.scalar(
        family_steps(
            current_user.id,
            HumanTask.instance_id == instance.id,
            HumanTask.process_id == PROCESS,
            HumanTask.bpmn_id.in_(UNFINISHED_STEPS),
        )
    )
    if draft is None:  # sent meanwhile, or discarded already (a second click)
        flash(_("This task has already been completed."), "info")
        return redirect(url_for("applications.status"))
    cancel_instances(session, [instance.id], current_actor().label)
    flash(_("The unsent application is discarded."), "success")
    return redirect(url_for("applications.status"))


def _decision_due(session, application: Application):
    """When the open review of this application falls due (from the BPMN timer)."""
    return session.scalar(
        select(HumanTask.due_at)
        .where(
            HumanTask.instance_id == application.instance_id,
            HumanTask.status == TaskStatus.OPEN,
            HumanTask.lane.in_(["Reviewer", "Supervisor"]),
        )
        .limit(1)
    )


def _open_family_task(session, application: Application) -> str | None:
    """The family's open step of this application (correct and resubmit), if there is one."""
    return session.scalar(
        select(HumanTask.task_guid)
        .where(
            HumanTask.instance_id == application.instance_id,
            HumanTask.status == TaskStatus.OPEN,
            HumanTask.lane == "Family",
            HumanTask.owner_account_id == current_user.id,
        )
        .limit(1)
    )


LANDINGS[PROCESS] = lambda instance: url_for("applications.outcome", instance_id=instance.id)
