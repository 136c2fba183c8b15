"""The caller's tasks over JSON: list them, read one with its form, complete one.

The caller is the account a personal token speaks for (auth.account_token_required). What it
may see and work is what its pages show it: the staff inbox of its lanes at its facility, or a
family's own steps; any other task answers 404 like the task page, so ids cannot be probed.
Completing validates with the task page's own form class and completes through the same
`complete_task`, in the request's one transaction.
"""

from __future__ import annotations

from flask import jsonify, request, url_for
from flask_babel import gettext as _
from werkzeug.datastructures import CombinedMultiDict

from workflows import TaskAlreadyCompleted, TaskExpired, TaskNotFound
from workflows.family_tasks import family_tasks
from workflows.inbox import PER_PAGE, InboxQuery, Page, list_tasks
from workflows.models import TaskStatus
from workflows.redaction import redact

from ..actors import account_actor
from ..extensions import get_db, get_engine, limiter
from ..i18n import bpmn_label
from ..inbox.access import is_inbox_user
from ..paging import page_arg
from ..taskpages.flow import build_form, complete_task
from . import api_error, bp
from .auth import account_token_required
from .task_forms import file_field_names, form_schema, formdata_from_json

# A person's client reads a few pages and completes a task now and then; more is a loop.
API_LIMIT = "120 per minute"
NO_CSRF = {"csrf": False}  # a token in a header, never a cookie: nothing for CSRF to protect


def _iso(moment) -> str | None:
    return moment.isoformat() if moment is not None else None


def _summary(row) -> dict:
    """A task as the lists show it, with the URL of its detail."""
    return {
        "id": row.task_guid,
        "title": bpmn_label(row.title),
        "form_key": row.form_key,
        "process": row.process_id,
        "created": _iso(row.created_at),
        "due": _iso(row.due_at),
        "assignee": row.assignee_id,
        "url": url_for("api.task", task_id=row.task_guid, _external=True),
    }


def _page_of(account, page: int) -> Page:
    """The caller's open tasks: a family's own steps, a staff member's inbox, else none."""
    session = get_db().session
    if account.role == "family":
        return family_tasks(session, account.id, page)
    if is_inbox_user(account):
        return list_tasks(session, InboxQuery.for_actor(account_actor(account), page=page))
    return Page([], 0, page, PER_PAGE)


@bp.get("/tasks")
@limiter.limit(API_LIMIT)
@account_token_required
def tasks(account):
    """One page (`?page=`) of the caller's open tasks, in their inbox's order."""
    page = _page_of(account, page_arg(request.args))
    return jsonify(
        {
            "tasks": [_summary(row) for row in page.rows],
            "page": page.page,
            "pages": page.pages,
            "per_page": page.per_page,
            "total": page.total,
        }
    )


def _not_found():
    return api_error(404, "not_found", _("No task with this id is yours to work."))


def _closed():
    return api_error(409, "closed", _("This task has already been completed."))


def _open_task(account, task_id: str):
    """(row, its data) of an open task the caller may work, or the error response to give."""
    session, engine = get_db().session, get_engine()
    try:
        row = engine.task_for(session, task_id, account_actor(account))
    except TaskNotFound:
        return None, _not_found()
    if row.status != TaskStatus.OPEN:
        session.commit()  # a deadline that closed it just now (task_for fired its timer) holds
        return None, _closed()
    return (row, engine.task_data(session, row)), None


@bp.get("/tasks/<task_id>")
@limiter.limit(API_LIMIT)
@account_token_required
def task(account, task_id: str):
    """One open task: its fields (from its form) and the data its page shows."""
    found, error = _open_task(account, task_id)
    if error:
        return error
    row, task_data = found
    form = build_form(row, task_data, meta=NO_CSRF)
    return jsonify(
        {
            **_summary(row),
            "fields": form_schema(form),
            "multipart": bool(file_field_names(form)),
            "data": redact(task_data),
        }
    )


def _posted_form(row, task_data: dict):
    """The task's form filled from the body, or a 400 for a body that is not what it takes:
    a JSON object, or multipart/form-data for a form with upload fields."""
    if request.mimetype == "multipart/form-data":
        form = build_form(
            row, task_data, CombinedMultiDict([request.files, request.form]), meta=NO_CSRF
        )
        if file_field_names(form):
            return form, None
        return None, api_error(400, "bad_request", _("This task takes a JSON object."))
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        return None, api_error(400, "bad_request", _("The body must be a JSON object."))
    return build_form(row, task_data, formdata_from_json(body), meta=NO_CSRF), None


def _errors(form) -> dict[str, list[str]]:
    """The form's messages by field name, in the request's language (form-wide ones: "_form")."""
    return {
        name or "_form": [str(message) for message in messages]
        for name, messages in form.errors.items()
    }


@bp.post("/tasks/<task_id>")
@limiter.limit(API_LIMIT)
@account_token_required
def complete(account, task_id: str):
    """Complete the task with the body's entries, validated by the task page's form."""
    found, error = _open_task(account, task_id)
    if error:
        return error
    row, task_data = found
    form, error = _posted_form(row, task_data)
    if error:
        return error
    if not form.validate():
        return jsonify({"errors": _errors(form)}), 422
    session, actor = get_db().session, account_actor(account)
    try:
        instance = complete_task(session, row, form, actor)
    except TaskExpired:  # its deadline passed: keep the timer's step, as the task page does
        session.commit()
        return _closed()
    except TaskAlreadyCompleted:  # a lost race (rolled back)
        return _closed()
    following = get_engine().next_task(session, instance.id, actor)
    return jsonify(
        {
            "completed": row.task_guid,
            "next": following.task_guid if following is not None else None,
            "status": instance.status,
        }
    )
