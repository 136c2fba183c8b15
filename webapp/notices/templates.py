"""`/notices/templates`: each notice's wording for the admin's facility, and its override.

Facility admins only; a template names only its kind's placeholders (checked by the form and
again by the domain on save). Texts are shown escaped, like everything else on the pages.
"""

from __future__ import annotations

from dataclasses import asdict

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from domain.audit import changes
from domain.notice_kinds import KINDS
from domain.notice_render import Texts
from domain.notice_templates import effective, remove_override, save_override
from forms.notices import TemplateForm
from workflows import clock

from ..access import staff_only
from ..audit_trail import audit
from ..extensions import get_db
from . import bp
from .labels import KIND_LABELS

FACILITY_ADMIN = "facility_admin"


@bp.get("/notices/templates")
@staff_only(FACILITY_ADMIN)
def templates():
    """Every notice kind with the texts the admin's facility uses, and their placeholders."""
    session = get_db().session
    kinds = [
        (kind, *effective(session, kind.key, current_user.facility_id)) for kind in KINDS.values()
    ]
    return render_template("notices/templates.html", kinds=kinds, labels=KIND_LABELS)


@bp.route("/notices/templates/<kind>", methods=["GET", "POST"])
@staff_only(FACILITY_ADMIN)
def edit_template(kind: str):
    """Change the facility's wording of one notice; an unknown placeholder is refused by name.
    The audit log keeps the texts before and after."""
    notice = KINDS.get(kind)
    if notice is None or current_user.facility_id is None:
        abort(404)
    session = get_db().session
    texts, source = effective(session, kind, current_user.facility_id)
    form = TemplateForm(data=asdict(texts), allowed=notice.placeholders)
    if form.validate_on_submit():
        new = Texts(
            form.subject_zh.data, form.body_zh.data, form.subject_en.data, form.body_en.data
        )
        save_override(session, kind, current_user.facility_id, new, current_user.id, clock.now())
        change = changes(asdict(texts) | {"source": source}, asdict(new) | {"source": "facility"})
        audit("notice_template.edit", "notice_template", kind, current_user.facility_id, **change)
        flash(_("The facility's wording is saved; new notices use it."), "success")
        return redirect(url_for("notices.templates"))
    return render_template(
        "notices/template_edit.html",
        form=form,
        kind=notice,
        label=KIND_LABELS[kind],
        source=source,
    )


@bp.post("/notices/templates/<kind>/reset")
@staff_only(FACILITY_ADMIN)
def reset_template(kind: str):
    """Go back to the national wording for this facility (CSRF is checked app-wide); the log
    keeps the facility's texts that were dropped."""
    if kind not in KINDS or current_user.facility_id is None:
        abort(404)
    session = get_db().session
    own, source = effective(session, kind, current_user.facility_id)
    if source == "facility" and remove_override(session, kind, current_user.facility_id):
        national, source = effective(session, kind, current_user.facility_id)
        change = changes(
            asdict(own) | {"source": "facility"}, asdict(national) | {"source": source}
        )
        audit("notice_template.reset", "notice_template", kind, current_user.facility_id, **change)
        flash(_("The facility uses the national wording again."), "success")
    return redirect(url_for("notices.templates"))
