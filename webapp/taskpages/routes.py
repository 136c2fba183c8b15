"""GET shows a task's form; POST validates it and completes the task in one transaction."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from workflows import TaskAlreadyCompleted, TaskExpired, TaskNotFound
from workflows.models import InstanceStatus, ProcessInstance, TaskStatus

from ..actors import current_actor
from ..extensions import get_db, get_engine
from . import bp
from .flow import CLOSED_LANDINGS, after_completion, build_form, complete_task

# Form key -> function(session, task row, task data) -> extra template context, so a task page
# shows everything needed to decide without another page (registered by feature blueprints).
TASK_CONTEXT: dict = {}


def render_task(row, form, task_data: dict, action: str | None = None):
    """The task's own template when it has one, else the generic form page."""
    provider = TASK_CONTEXT.get(row.form_key)
    context = provider(get_db().session, row, task_data) if provider else {}
    return render_template(
        [f"taskpages/{row.form_key}.html", "taskpages/task.html"],
        task=row,
        form=form,
        data=task_data,
        action=action,
        **context,
    )


@bp.route("/tasks/<task_id>", methods=["GET", "POST"])
def task_page(task_id: str):
    """Show and complete one task; someone else's task, or none, is a 404."""
    session, engine, actor = get_db().session, get_engine(), current_actor()
    try:
        row = engine.task_for(session, task_id, actor)
    except TaskNotFound:
        abort(404)
    if row.status == TaskStatus.CANCELLED:
        return _closed_by_process(row.instance_id, actor)
    if row.status != TaskStatus.OPEN:
        return _already_handled(row.instance_id, actor)
    task_data = engine.task_data(session, row)
    form = build_form(row, task_data)
    if form.validate_on_submit():
        try:
            instance = complete_task(session, row, form, actor)
        except TaskExpired:  # its deadline passed: the timer's step is kept (committed)
            return _closed_by_process(row.instance_id, actor)
        except TaskAlreadyCompleted:
            return _already_handled(row.instance_id, actor)
        return after_completion(instance, actor)
    return render_task(row, form, task_data)


def _closed_by_process(instance_id: int, actor):
    """A task its process closed without anyone doing it (a deadline passed): a family whose
    instance ended that way lands on the page its process registered to say what happened
    and what to do next; otherwise the usual "already completed"."""
    landing = _family_landing(get_db().session.get(ProcessInstance, instance_id), actor)
    if landing is not None:
        flash(_("This task is no longer open."), "info")
        return redirect(landing)
    return _already_handled(instance_id, actor)


def _family_landing(instance, actor) -> str | None:
    """The closed-task page of a family's own finished instance, when its process has one."""
    if instance is None or instance.status != InstanceStatus.COMPLETED:
        return None
    if "family" not in actor.roles or instance.owner_account_id != actor.account_id:
        return None
    landing = CLOSED_LANDINGS.get(instance.process_id)
    return landing(instance) if landing is not None else None


def _already_handled(instance_id: int, actor):
    flash(_("This task has already been completed."), "info")
    following = get_engine().next_task(get_db().session, instance_id, actor)
    if following is not None:
        return redirect(url_for("taskpages.task_page", task_id=following.task_guid))
    return redirect(url_for("main.home"))
