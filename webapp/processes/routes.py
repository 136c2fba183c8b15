"""Deployed versions, instances (filtered, paged) and incidents, with a retry per incident."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from werkzeug import Response

from domain.accounts import Facility
from domain.incidents import retry_incident
from workflows import InstanceNotFound, TaskAlreadyCompleted
from workflows.models import InstanceStatus, ProcessInstance, ProcessVersion
from workflows.monitoring import (
    STATUSES,
    InstanceQuery,
    history,
    list_instances,
    open_tasks,
    process_ids,
    version_summaries,
)

from ..actors import current_actor
from ..extensions import get_db, get_engine
from ..i18n import facility_name, safe_next
from ..ids import id_arg
from ..inbox.filters import process_label
from ..paging import page_arg
from ..roles import lane_label
from . import bp

STATUS_LABELS = {
    InstanceStatus.RUNNING: _l("Running"),
    InstanceStatus.COMPLETED: _l("Completed"),
    InstanceStatus.INCIDENT: _l("Incident"),
    InstanceStatus.CANCELLED: _l("Cancelled"),
}


def _facilities() -> dict[int, str]:
    """Every facility's name by id, in the reader's language."""
    return {f.id: facility_name(f) for f in get_db().session.scalars(select(Facility))}


@bp.get("")
def versions() -> str:
    """The deployed versions, the current one first, with how many instances run on each."""
    return render_template("processes/versions.html", versions=version_summaries(get_db().session))


@bp.get("/versions/<version_hash>")
def version(version_hash: str) -> str:
    """One version's processes and files, each file's text in full (process definitions)."""
    session = get_db().session
    row = session.get(ProcessVersion, version_hash)
    if row is None:
        abort(404)
    parsed = get_engine().versions.get(session, row.hash)
    return render_template(
        "processes/version.html",
        row=row,
        processes=parsed.process_ids(),
        summary=next(v for v in version_summaries(session) if v.hash == row.hash),
    )


def _query() -> InstanceQuery:
    """The filters of the query string; a value that names nothing is no filter."""
    args = request.args
    status = args.get("status", "")
    facility = args.get("facility", "")
    return InstanceQuery(
        process_id=args.get("process", "").strip() or None,
        status=status if status in STATUSES else None,
        facility_id=id_arg(facility),
        page=page_arg(args),
    )


def _instance_page(template: str, q: InstanceQuery, **context) -> str:
    """One page of instances with the names its rows and filter menus need."""
    session = get_db().session
    page = list_instances(session, q)
    ids = set(process_ids(session)) | ({q.process_id} if q.process_id else set())
    return render_template(
        template,
        page=page,
        q=q,
        args={k: v for k, v in request.args.items() if k != "page"},
        processes=sorted((pid, str(process_label(pid))) for pid in ids),
        statuses=[(status, STATUS_LABELS[status]) for status in STATUSES],
        facilities=_facilities(),
        process_label=process_label,
        **context,
    )


@bp.get("/instances")
def instances() -> str:
    """Instances of every facility, newest first, filtered by process, status and facility."""
    return _instance_page("processes/instances.html", _query())


@bp.get("/incidents")
def incidents() -> str:
    """The instances stopped by a failing step, each with a button to run that step again."""
    q = InstanceQuery(status=InstanceStatus.INCIDENT, page=page_arg(request.args))
    return _instance_page("processes/incidents.html", q)


@bp.get("/instances/<int:instance_id>")
def instance(instance_id: int) -> str:
    """One instance: its status, open tasks, completed steps (ids, titles, times) and incident."""
    session = get_db().session
    row = session.get(ProcessInstance, instance_id)
    if row is None:
        abort(404)
    return render_template(
        "processes/instance.html",
        instance=row,
        tasks=open_tasks(session, instance_id),
        steps=history(session, instance_id),
        facilities=_facilities(),
        process_label=process_label,
        lane_label=lane_label,
    )


@bp.post("/instances/<int:instance_id>/retry")
def retry(instance_id: int) -> Response:
    """Run the failed step again, as `flask --app webapp workflows retry` does, and say how it
    ended. Sent again (or by two owners at once), it says the incident is already gone."""
    session = get_db().session
    if session.get(ProcessInstance, instance_id) is None:
        abort(404)
    back = redirect(safe_next(request.form.get("next")) or url_for(".incidents"), code=303)
    try:
        done = retry_incident(session, get_engine(), current_actor(), instance_id)
    except (InstanceNotFound, TaskAlreadyCompleted):
        session.rollback()  # a lost race leaves the session's state behind: none of it stays
        status = session.scalar(
            select(ProcessInstance.status).where(ProcessInstance.id == instance_id)
        )
        flash(
            _(
                "Instance %(id)s is no longer an incident (now: %(status)s).",
                id=instance_id,
                status=STATUS_LABELS.get(status, status),
            ),
            "info",
        )
        return back
    if done.status == InstanceStatus.INCIDENT:
        flash(
            _(
                "Instance %(id)s failed again at %(element)s: %(error)s",
                id=instance_id,
                element=done.incident_element,
                error=done.incident_error,
            ),
            "error",
        )
    else:
        flash(
            _(
                "Instance %(id)s was retried and is now %(status)s.",
                id=instance_id,
                status=STATUS_LABELS.get(done.status, done.status),
            ),
            "success",
        )
    return back
