"""Completing a task from a request, and where the person goes next."""

from __future__ import annotations

from flask import flash, redirect, url_for
from flask_babel import gettext as _

from domain.accounts import Account
from workflows import Actor, TaskAlreadyCompleted, TaskExpired
from workflows.models import HumanTask, InstanceStatus, ProcessInstance

from ..extensions import get_db, get_engine
from .limits import count_send

# Where a person lands when a process needs nothing more from them: an endpoint, or a
# function(instance) -> URL (registered by feature blueprints).
LANDINGS: dict = {"registration": "auth.registered"}
# Process id -> function(instance) -> URL of a page that tells the owning family what happened
# when a task of theirs was closed by the process itself (a deadline passed), for processes
# whose outcome page says so (registered by feature blueprints).
CLOSED_LANDINGS: dict = {}


def build_form(row, task_data: dict, formdata=None, **options):
    """The registered form of a task, fitted to the task's data.

    `formdata` replaces the request's posted form (the JSON API builds it from its body);
    `options` go to the form class (the API passes meta={"csrf": False}).
    """
    from forms import get_form_class

    if formdata is not None:
        options["formdata"] = formdata
    form = get_form_class(row.form_key)(**options)
    if hasattr(form, "prepare"):
        form.prepare(task_data)
    return form


def complete_task(session, row: HumanTask, form, actor: Actor) -> ProcessInstance:
    """Complete the task with its validated form, in the request's one transaction.

    TaskExpired (its deadline passed: the timer's step is in the transaction, to keep) and
    TaskAlreadyCompleted (a lost race: the transaction is rolled back here) reach the caller,
    which answers each in its own way (the task page redirects, the JSON API says 409).
    """
    count_send(row.form_key, actor)
    try:
        return get_engine().complete(session, row.task_guid, actor, form.task_data())
    except TaskExpired:
        raise
    except TaskAlreadyCompleted:
        session.rollback()
        raise


def after_completion(instance: ProcessInstance, actor: Actor):
    """The next task of the same instance for the same person (a wizard), else a landing page.

    Landing pages show the owner the result; staff deciding on a family's instance may not open
    them, so they go back to their inbox.
    """
    following = get_engine().next_task(get_db().session, instance.id, actor)
    if following is not None:
        return redirect(url_for("taskpages.task_page", task_id=following.task_guid))
    if instance.status == InstanceStatus.INCIDENT:
        flash(
            _(
                "Your entries are saved, but the next step failed. Staff have been alerted "
                "and will continue it; there is no need to send it again."
            ),
            "warning",
        )
        return redirect(url_for("main.home"))
    if _staff_on_family_instance(instance, actor):
        flash(_("Your decision has been recorded."), "success")
        return redirect(url_for("inbox.inbox"))
    landing = LANDINGS.get(instance.process_id)
    if callable(landing):
        return redirect(landing(instance))
    if landing:
        return redirect(url_for(landing))
    flash(_("Sent."), "success")
    return redirect(url_for("main.home"))


def _staff_on_family_instance(instance: ProcessInstance, actor: Actor) -> bool:
    """Whether a staff member (not the owner) completed a step of an instance a family owns."""
    if "family" in actor.roles or instance.owner_account_id in (None, actor.account_id):
        return False
    owner = get_db().session.get(Account, instance.owner_account_id)
    return owner is not None and owner.role == "family"
