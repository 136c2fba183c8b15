"""GET /inbox lists a facility's open tasks; small POST forms claim, unclaim and reassign."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug import Response

from workflows import Actor, TaskAlreadyCompleted, TaskHeldByOther, TaskNotFound, clock
from workflows.inbox import TABS, list_tasks, tab_counts_and_choices

from ..actors import current_actor
from ..audit_trail import audit
from ..extensions import get_db, get_engine
from ..i18n import safe_next
from . import bp
from .access import is_inbox_user
from .filters import SORT_LABELS, TAB_LABELS, InboxFilters, process_label
from .staff import colleagues, fits, holder_locked, may_take, names

ACTIONS = ("claim", "unclaim", "assign")


def staff_actor() -> Actor:
    """The current staff member; anyone else gets a 404, so the inbox is not even hinted at."""
    if not is_inbox_user(current_user):
        abort(404)
    return current_actor()


@bp.get("/inbox")
def inbox() -> str:
    """One page of a tab, with the counts of every tab under the same filters.

    The page only reads, so its session reads without a transaction (see Database.reading);
    it is opened before the login check, which is the request's first query.
    """
    session = get_db().reading()
    actor = staff_actor()
    filters = InboxFilters.from_args(request.args)
    query = filters.query(actor)
    counts, choices = tab_counts_and_choices(session, query)
    page = list_tasks(session, query, total=counts[query.tab])
    staff = colleagues(session, query.facility_id, query.lanes) if page.rows else []
    known = {c.id: c.label for c in staff}
    missing = {r.assignee_id for r in page.rows if r.assignee_id and r.assignee_id not in known}
    process_ids = {c[0] for c in choices} | {r.process_id for r in page.rows}
    return render_template(
        "inbox/inbox.html",
        filters=filters,
        page=page,
        counts=counts,
        tabs=[(tab, TAB_LABELS[tab]) for tab in TABS],
        sorts=SORT_LABELS,
        choices=choices,
        process_names={pid: str(process_label(pid)) for pid in process_ids},
        task_urls=task_urls([r.task_guid for r in page.rows]),
        # Whom each row may be handed to: fitting colleagues other than its assignee.
        others={
            r.task_guid: [c for c in staff if c.id != r.assignee_id and fits(c, r)]
            for r in page.rows
        },
        assignee_names=known | names(session, missing),
        me=actor.account_id,
        now=clock.now(),
    )


def task_urls(guids: list[str]) -> dict[str, dict[str, str]]:
    """The task page and action URLs of each row, built from one url_for per endpoint."""
    marker = "TASK-GUID"  # task guids are UUIDs: hex digits and dashes only
    patterns = {
        "open": url_for("taskpages.task_page", task_id=marker),
        **{action: url_for(f"inbox.{action}", task_guid=marker) for action in ACTIONS},
    }
    return {guid: {k: v.replace(marker, guid) for k, v in patterns.items()} for guid in guids}


def back_to_inbox() -> Response:
    """Return to the inbox page the form was sent from, filters and all."""
    return redirect(safe_next(request.form.get("next")) or url_for("inbox.inbox"), code=303)


def change_assignee(
    task_guid: str, assignee_id: int | None, done: str, *, claim: bool = False
) -> Response:
    """Record the new assignee through the engine; another facility's or lane's task is a 404.

    A claim takes only a task nobody holds (or the actor's already): the inbox may have been
    loaded before a colleague took it. Handing a task over (unclaim, reassign, which may name
    oneself to take a colleague's task over) is explicit and needs no such check.
    """
    actor, session, engine = staff_actor(), get_db().session, get_engine()
    previous = holder_locked(session, task_guid)
    try:
        if claim:
            row = engine.claim(session, task_guid, actor)
        else:
            row = engine.assign(session, task_guid, actor, assignee_id)
    except TaskNotFound:
        abort(404)
    except TaskAlreadyCompleted:
        flash(_("This task has already been completed."), "info")
    except TaskHeldByOther as held:
        holder = names(session, {held.assignee_id} - {None}).get(held.assignee_id)
        flash(
            _(
                "%(name)s is already working on this task, so it stays with them. To take it "
                'over, choose yourself under "Reassign to".',
                name=holder or _("A colleague"),
            ),
            "error",
        )
    else:
        if row.assignee_id != previous:  # the form sent twice changes nothing the second time
            audit(
                "task.assign",
                "human_task",
                task_guid,
                row.facility_id,
                after={"assignee_id": assignee_id},
            )
        flash(done, "success")
    return back_to_inbox()


@bp.post("/inbox/tasks/<task_guid>/claim")
def claim(task_guid: str) -> Response:
    """Take an unassigned task: it moves to "assigned to me"."""
    actor = staff_actor()
    return change_assignee(
        task_guid, actor.account_id, _("The task is now assigned to you."), claim=True
    )


@bp.post("/inbox/tasks/<task_guid>/unclaim")
def unclaim(task_guid: str) -> Response:
    """Give the task back to the facility's unassigned pile."""
    return change_assignee(task_guid, None, _("The task is no longer assigned to anyone."))


@bp.post("/inbox/tasks/<task_guid>/assign")
def assign(task_guid: str) -> Response:
    """Hand the task to a colleague: active staff of its facility in a role fitting its lane."""
    actor, session = staff_actor(), get_db().session
    try:
        row = get_engine().task_for(session, task_guid, actor)
    except TaskNotFound:
        abort(404)
    assignee_id = request.form.get("assignee", type=int)
    if assignee_id is None or not may_take(session, assignee_id, row):
        flash(
            _("This task cannot be handed to that person. Choose a colleague from the list."),
            "error",
        )
        return back_to_inbox()
    name = names(session, {assignee_id})[assignee_id]
    return change_assignee(
        task_guid, assignee_id, _("The task is now assigned to %(name)s.", name=name)
    )
