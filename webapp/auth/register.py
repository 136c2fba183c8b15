"""`/register`: the registration process, started only when the visitor accepts the notice."""

from __future__ import annotations

from flask import redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_login import current_user
from sqlalchemy import select

from domain.notice import CURRENT_VERSION, load_notice
from workflows.models import HumanTask, TaskStatus

from ..actors import current_actor
from ..extensions import get_db, limiter
from ..taskpages.starting import start_from_first_form
from . import bp

PROCESS = "registration"
# Each accepted notice starts an instance that waits up to a day for the details: enough for a
# household sharing an address, too few to fill the tables from one.
STARTS_LIMIT = "10 per hour"


@bp.app_context_processor
def notice_context() -> dict:
    """Templates show the current notice in the reader's language."""

    def personal_data_notice() -> dict:
        return {"text": load_notice(CURRENT_VERSION, str(get_locale())), "version": CURRENT_VERSION}

    return {"personal_data_notice": personal_data_notice}


@bp.route("/register", methods=["GET", "POST"])
@limiter.limit(STARTS_LIMIT, methods=["POST"], scope="register-start")
def register():
    """Show the notice; accepting it starts the process and moves on to the details form.

    A visitor who already started goes back to their open step. A POST that carries the
    details as well (a one-page client) completes both steps at once.
    """
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    session, actor = get_db().session, current_actor()
    if request.method == "GET":
        open_task = _open_registration_task(session, actor.session_key)
        if open_task is not None:
            return redirect(url_for("taskpages.task_page", task_id=open_task.task_guid))
    return start_from_first_form(PROCESS, url_for("auth.register"))


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
