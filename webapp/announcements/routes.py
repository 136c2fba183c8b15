"""`/announcements/<id>` for everyone, `/admin/announcements` for their editors.

The process owner keeps the national notices, a facility admin their facility's; a notice of
anyone else's answers 404. Only current notices are public: a scheduled or expired one is not.
"""

from __future__ import annotations

from datetime import timedelta

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from domain.accounts import Account, Facility
from domain.announcements import (
    Announcement,
    current_announcement,
    current_announcements,
    editable,
    editable_by,
    editor_scope,
)
from domain.audit import snapshot
from forms.announcement import AnnouncementForm, taipei_local
from workflows import clock
from workflows.db import lock_row

from ..access import staff_only
from ..audit_trail import audit
from ..extensions import get_db
from . import bp

EDITORS = ("facility_admin", "process_owner")
DEFAULT_WINDOW = timedelta(days=30)

ANNOUNCEMENT_FIELDS = ("title", "body", "publish_at", "expires_at")


@bp.route("/announcements")
def index():
    """Every current notice, newest first."""
    session = get_db().session
    rows = current_announcements(session)
    return render_template(
        "announcements/index.html", announcements=rows, facilities=_facilities(session, rows)
    )


@bp.route("/announcements/<int:announcement_id>")
def detail(announcement_id: int):
    """One current notice (a scheduled or expired one is a 404)."""
    session = get_db().session
    row = current_announcement(session, announcement_id)
    if row is None:
        abort(404)
    facility = session.get(Facility, row.facility_id) if row.facility_id else None
    return render_template("announcements/detail.html", row=row, facility=facility)


@bp.route("/admin/announcements")
@staff_only(*EDITORS)
def manage():
    """The editor's notices in every state: scheduled, current and expired."""
    session = get_db().session
    rows = editable_by(session, current_user.role, current_user.facility_id)
    return render_template("announcements/manage.html", announcements=rows, now=clock.now())


@bp.route("/admin/announcements/new", methods=["GET", "POST"])
@staff_only(*EDITORS)
def new():
    """A new notice, shown from now for a month unless the editor says otherwise."""
    form = AnnouncementForm()
    if not form.is_submitted():
        now = clock.now()
        form.publish_at.data = taipei_local(now)
        form.expires_at.data = taipei_local(now + DEFAULT_WINDOW)
    if not form.validate_on_submit():
        return render_template("announcements/edit.html", form=form, row=None)
    _allowed, scope = editor_scope(current_user.role, current_user.facility_id)
    row = Announcement(facility_id=scope, author_id=current_user.id)
    form.fill(row)
    if not _already_saved(row):
        _save(form, row)
    flash(_("The announcement has been saved."), "success")
    return redirect(url_for("announcements.manage"))


@bp.route("/admin/announcements/<int:announcement_id>/edit", methods=["GET", "POST"])
@staff_only(*EDITORS)
def edit(announcement_id: int):
    """Change a notice: its text or its window (an expiry of now withdraws it)."""
    session = get_db().session
    row = editable(session, announcement_id, current_user.role, current_user.facility_id)
    if row is None:
        abort(404)
    form = AnnouncementForm()
    if not form.is_submitted():
        form.title.data, form.body.data = row.title, row.body
        form.publish_at.data = taipei_local(row.publish_at)
        form.expires_at.data = taipei_local(row.expires_at)
    if not form.validate_on_submit():
        return render_template("announcements/edit.html", form=form, row=row)
    _save(form, row)
    flash(_("The announcement has been saved."), "success")
    return redirect(url_for("announcements.manage"))


def _save(form: AnnouncementForm, row: Announcement) -> None:
    before = snapshot(row, ANNOUNCEMENT_FIELDS) if row.id is not None else None
    form.fill(row)
    row.updated_at = clock.now()
    session = get_db().session
    session.add(row)
    session.flush()
    action = "announcement.edit" if before is not None else "announcement.add"
    after = snapshot(row, ANNOUNCEMENT_FIELDS)
    audit(action, "announcement", row.id, row.facility_id, before=before, after=after)


def _already_saved(row: Announcement) -> bool:
    """Whether the editor saved this very notice already (the form sent twice).

    The editor's row is locked first, so a double click sent twice at once queues here and its
    second request finds the first one's notice.
    """
    session = get_db().session
    lock_row(session, Account, row.author_id)
    same = select(Announcement.id).where(
        Announcement.author_id == row.author_id,
        Announcement.facility_id == row.facility_id,
        *(getattr(Announcement, name) == getattr(row, name) for name in ANNOUNCEMENT_FIELDS),
    )
    return session.scalar(same.limit(1)) is not None


def _facilities(session, rows) -> dict[int, Facility]:
    ids = {r.facility_id for r in rows if r.facility_id}
    return {i: session.get(Facility, i) for i in ids}
