"""`/register`: the registration process, started only when the visitor accepts the notice."""

from __future__ import annotations

from flask import redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_login import current_user
from sqlalchemy import select

from domain.notice import CURRENT_VERSION, load_notice
from workflows.models import HumanTask, TaskStatus

from ..actors import current_actor
from ..extensions import get_db, get_engine
from ..taskpages.flow import after_completion, build_form
from ..taskpages.routes import render_task
from . import bp

PROCESS = "registration"


@bp.app_context_processor
def notice_context() -> dict:
    """Templates show the current notice in the reader's language."""

    def personal_data_notice() -> dict:
        return {"text": load_notice(CURRENT_VERSION, str(get_locale())), "version": CURRENT_VERSION}

    return {"personal_data_notice": personal_data_notice}


@bp.route("/register", methods=["GET", "POST"])
def register():
    """Show the notice; accepting it starts the process and moves on to the details form.

    A visitor who already started goes back to their open step. A POST that carries the
    details as well (a one-page client) completes both steps at once.
    """
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    session, engine, actor = get_db().session, get_engine(), current_actor()
    if request.method == "GET":
        open_task = _open_registration_task(session, actor.session_key)
        if open_task is not None:
            return redirect(url_for("taskpages.task_page", task_id=open_task.task_guid))
    form_key = engine.start_form_key(session, PROCESS)
    probe = HumanTask(form_key=form_key, task_guid="", title="")
    form = build_form(probe, {})
    if not form.validate_on_submit():
        return render_template(
            f"taskpages/{form_key}.html", task=probe, form=form, action=url_for("auth.register")
        )
    instance = engine.start(session, PROCESS, actor)
    first = engine.next_task(session, instance.id, actor)
    engine.complete(session, first.task_guid, actor, form.task_data())
    following = engine.next_task(session, instance.id, actor)
    if following is not None and _carries_fields_of(following):
        details = build_form(following, engine.task_data(session, following))
        if not details.validate():
            return render_task(following, details, {})
        instance = engine.complete(session, following.task_guid, actor, details.task_data())
    return after_completion(instance, actor)


@bp.route("/register/sent")
def registered():
    """Shown whatever happened to the details, so nobody learns whether an address exists."""
    return render_template("auth/registered.html")


def _open_registration_task(session, visitor_key: str) -> HumanTask | None:
    return session.scalars(
        select(HumanTask)
        .where(
            HumanTask.owner_session == visitor_key,
            HumanTask.process_id == PROCESS,
            HumanTask.status == TaskStatus.OPEN,
        )
        .order_by(HumanTask.id.desc())
        .limit(1)
    ).first()


def _carries_fields_of(row: HumanTask) -> bool:
    """True when the request also holds the next step's fields (beyond the CSRF token)."""
    from forms import get_form_class

    names = {name for name in get_form_class(row.form_key)()._fields if name != "csrf_token"}
    return bool(names) and names <= set(request.form)
