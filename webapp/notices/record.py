"""`/notifications`: every notice sent to the family, and `/notifications/preferences`."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from domain.notice_preferences import preferences_of, set_preferences
from domain.notifications import mask_destination, notices_of
from forms.notices import GROUP_LABELS, PreferencesForm

from ..access import family_only
from ..extensions import get_db
from ..paging import page_arg
from . import bp
from .labels import KIND_LABELS

PER_PAGE = 20


@bp.get("/notifications")
@family_only
def record():
    """The family's own notices, newest first, 20 a page; addresses masked."""
    page = page_arg(request.args)
    rows, total = notices_of(get_db().session, current_user.id, page, PER_PAGE)
    pages = max((total + PER_PAGE - 1) // PER_PAGE, 1)
    return render_template(
        "notices/record.html",
        rows=rows,
        total=total,
        page=page,
        pages=pages,
        mask=mask_destination,
        kind_labels=KIND_LABELS,
    )


@bp.route("/notifications/preferences", methods=["GET", "POST"])
@family_only
def preferences():
    """Choose e-mail, SMS or both for each group of notices."""
    session = get_db().session
    form = PreferencesForm(data=preferences_of(session, current_user.id))
    if form.validate_on_submit():
        set_preferences(session, current_user.id, form.choices())
        flash(_("Your choices are saved."), "success")
        return redirect(url_for("notices.preferences"))
    return render_template(
        "notices/preferences.html",
        form=form,
        groups=list(GROUP_LABELS),
        has_mobile=bool(current_user.mobile),
    )
