"""`/institution-book/manage` and `/institution-book/new`: a facility admin's posts and a new one.

Writing starts the `institution_post` process from its first form (nothing exists until the
form is valid); the supervisor's approval and any correction are tasks in the inbox.
"""

from __future__ import annotations

from flask import flash, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from domain.institution_posts import posts_of_facility
from workflows.models import HumanTask, InstanceStatus, TaskStatus

from ..access import staff_only
from ..extensions import get_db, get_engine
from ..taskpages.flow import LANDINGS
from ..taskpages.starting import start_from_first_form
from . import bp

PROCESS = "institution_post"


@bp.route("/institution-book/manage")
@staff_only("facility_admin")
def manage():
    """The facility's posts in every state, with the correction task of each one sent back."""
    session = get_db().session
    posts = posts_of_facility(session, current_user.facility_id)
    instances = [p.instance_id for p in posts if p.instance_id]
    open_tasks = (
        dict(
            session.execute(
                select(HumanTask.instance_id, HumanTask.task_guid).where(
                    HumanTask.instance_id.in_(instances),
                    HumanTask.status == TaskStatus.OPEN,
                    HumanTask.lane == "FacilityAdmin",
                )
            ).all()
        )
        if instances
        else {}
    )
    return render_template("institution/manage.html", posts=posts, open_tasks=open_tasks)


@bp.route("/institution-book/new", methods=["GET", "POST"])
@staff_only("facility_admin")
def new():
    """Write a post; a valid one goes to the facility's supervisor for approval."""
    facility_id = current_user.facility_id
    data = {"facility_id": facility_id, "author_id": current_user.id, "inst_post_id": None}
    action = url_for("institution.new")
    return start_from_first_form(PROCESS, action, data, facility_id=facility_id)


def _landing(instance) -> str:
    """The admin goes back to their list; the supervisor to the post published, or the inbox."""
    if current_user.role == "facility_admin":
        flash(_("The post has been sent to the supervisor for approval."), "success")
        return url_for("institution.manage")
    if instance.status == InstanceStatus.COMPLETED:
        flash(_("The post is published to the facility's families."), "success")
        post_id = get_engine().final_data(instance).get("inst_post_id")
        return url_for("institution.detail", post_id=post_id)
    flash(_("The post has been sent back to the facility admin to be corrected."), "success")
    return url_for("inbox.inbox")


LANDINGS[PROCESS] = _landing
