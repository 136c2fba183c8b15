"""`/special-projects` (專案申請): a supervisor lifts a family's posting limits for a period.

The grant is kept with who gave it, when and why, and it is revoked, never deleted, so the
decision stays on record.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from domain.accounts import Account
from domain.applications import ContactBook
from domain.audit import snapshot
from domain.roster import TAIPEI, Inmate
from domain.special_projects import SpecialProject, projects_of_facility
from forms.staff_posts import SpecialProjectForm
from workflows import clock
from workflows.db import lock_row

from ..access import staff_only
from ..audit_trail import audit
from ..extensions import get_db
from . import bp

PROJECT_FIELDS = (
    "account_id",
    "no_interval",
    "max_chars",
    "starts_at",
    "ends_at",
    "reason",
)


def _families(session) -> list[tuple[str, str]]:
    """(account id, name) of the families with an active contact book at this facility."""
    rows = session.execute(
        select(Account.id, Account.name)
        .join(ContactBook, ContactBook.account_id == Account.id)
        .join(Inmate, Inmate.id == ContactBook.inmate_id)
        .where(Inmate.facility_id == current_user.facility_id, ContactBook.status == "active")
        .distinct()
        .order_by(Account.name)
    ).all()
    return [(str(account_id), name) for account_id, name in rows]


def _day_start(day) -> datetime:
    """Midnight in Taiwan at the start of `day`, as an aware datetime."""
    return datetime.combine(day, time(0), tzinfo=TAIPEI)


@bp.route("/special-projects", methods=["GET", "POST"])
@staff_only("supervisor")
def special_projects():
    """The facility's grants, and a form for a new one."""
    session = get_db().session
    form = SpecialProjectForm()
    families = _families(session)
    form.family.choices = families
    if form.validate_on_submit():
        account_id = int(form.family.data)
        # The family's row is locked first, so a double click sent twice at once queues here
        # and its second request finds the first one's grant instead of adding another.
        lock_row(session, Account, account_id)
        project = SpecialProject(
            account_id=account_id,
            facility_id=current_user.facility_id,
            no_interval=form.no_interval.data,
            max_chars=form.max_chars.data,
            starts_at=_day_start(form.starts_on.data),
            ends_at=_day_start(form.ends_on.data + timedelta(days=1)),
            reason=form.reason.data,
            granted_by=current_user.id,
            granted_at=clock.now(),
        )
        if not _already_granted(session, project):
            session.add(project)
            session.flush()
            after = snapshot(project, PROJECT_FIELDS)
            audit(
                "special_project.grant",
                "special_project",
                project.id,
                project.facility_id,
                after=after,
            )
        flash(_("The special project is granted."), "success")
        return redirect(url_for("posts.special_projects"))
    projects = projects_of_facility(session, current_user.facility_id)
    names = dict(families) | {
        str(p.account_id): session.get(Account, p.account_id).name for p in projects
    }
    return render_template(
        "posts/special_projects.html",
        form=form,
        projects=projects,
        names=names,
        one_day=timedelta(days=1),
    )


def _already_granted(session, project: SpecialProject) -> bool:
    """Whether the same grant is already on record and not revoked (the form sent twice)."""
    same = select(SpecialProject.id).where(
        *(getattr(SpecialProject, name) == getattr(project, name) for name in PROJECT_FIELDS),
        SpecialProject.facility_id == project.facility_id,
        SpecialProject.revoked_at.is_(None),
    )
    return session.scalar(same.limit(1)) is not None


@bp.route("/special-projects/<int:project_id>/revoke", methods=["POST"])
@staff_only("supervisor")
def revoke_project(project_id: int):
    """End a grant now; it stays on record (CSRFProtect checks the form's token)."""
    session = get_db().session
    project = session.get(SpecialProject, project_id)
    if project is None or project.facility_id != current_user.facility_id:
        abort(404)
    if project.revoked_at is None:
        project.revoked_at = clock.now()
        after = {"revoked_at": project.revoked_at}
        audit(
            "special_project.revoke",
            "special_project",
            project.id,
            project.facility_id,
            after=after,
        )
    flash(_("The special project is revoked."), "success")
    return redirect(url_for("posts.special_projects"))
