"""`/account` (all the family's data on one page) and `/account/notice` (the notice accepted)."""

from __future__ import annotations

from flask import Flask, abort, render_template
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select

from domain.accounts import ConsentRecord, Facility
from domain.notice import load_notice
from domain.personal_data import collect
from domain.roster import Inmate

from ..access import family_only
from ..extensions import get_db
from ..inbox.access import is_inbox_user
from ..main.navigation import add_nav_item
from ..roles import ROLE_LABELS
from . import bp

DOCUMENT_LABELS = {
    "id_document": _l("Identity document"),
    "relationship_proof": _l("Relationship proof"),
    "applicant_photo": _l("Front photo of the applicant"),
    "post_photo": _l("Photo of a post"),
    "post_thumbnail": _l("Photo of a post"),
    "post_upload": _l("Photo of a post"),
    "post_attachment": _l("Attachment of a post"),
}


def _latest_consent(session, account_id: int) -> ConsentRecord | None:
    return session.scalar(
        select(ConsentRecord)
        .where(ConsentRecord.account_id == account_id)
        .order_by(ConsentRecord.accepted_at.desc(), ConsentRecord.id.desc())
        .limit(1)
    )


@bp.route("/account")
@family_only
def overview():
    """Everything held about the family: details, consent, books, applications, posts, mail."""
    session = get_db().session
    data = collect(session, current_user._get_current_object())
    facility_ids = {row["facility_id"] for row in data["applications"] + data["posts"]}
    facility_ids |= {row["facility_id"] for row in data["document_views"]}
    inmate_ids = {row["inmate_id"] for row in data["applications"] + data["contact_books"]}
    facilities = {
        f.id: f for f in session.scalars(select(Facility).where(Facility.id.in_(facility_ids)))
    }
    inmates = {i.id: i for i in session.scalars(select(Inmate).where(Inmate.id.in_(inmate_ids)))}
    return render_template(
        "account/overview.html",
        data=data,
        consent=_latest_consent(session, current_user.id),
        facilities=facilities,
        inmates=inmates,
        role_labels=ROLE_LABELS,
        document_labels=DOCUMENT_LABELS,
    )


@bp.route("/account/notice")
@family_only
def notice():
    """The personal-data notice exactly as the version the family accepted."""
    consent = _latest_consent(get_db().session, current_user.id)
    if consent is None:
        abort(404)
    text = load_notice(consent.notice_version, str(get_locale()))
    return render_template("account/notice.html", consent=consent, text=text)


def _family(user) -> bool:
    return user.is_authenticated and user.role == "family"


def add_account_links(app: Flask) -> None:
    add_nav_item(app, "account.overview", _l("My data"), visible=_family)
    # Families reach their tokens from /account; staff, who have no such page, from the header.
    add_nav_item(app, "account.api_tokens", _l("API tokens"), visible=is_inbox_user, secondary=True)
