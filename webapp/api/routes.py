"""The delivery feed of one facility: list, photo, attachment, sheet, and acknowledge one post.

`ack` completes the post's `deliver` task through the engine, as staff pressing "delivered"
would, so the BPMN marks the post 已送達 and mails the family. It is idempotent: a repeated
ack answers 200 with `"status": "already_delivered"` and records nothing again, so a tablet may
retry freely after a lost response.
"""

from __future__ import annotations

import io

from flask import jsonify, send_file, url_for
from flask_babel import gettext as _

from domain.deliveries import Handover, approved_post, awaiting_delivery, hand_over
from domain.files import StoredFile, read_or_none, storage_dir_for
from domain.posts import Post
from domain.roster import Inmate
from workflows import TaskAlreadyCompleted

from ..deliveries.sheets import sheets_response
from ..extensions import get_db, get_engine, get_settings
from ..files.routes import CACHE_CONTROL, PDF_POLICY, content_disposition
from . import api_error, bp
from .auth import ApiCaller, facility_token_required

FEED = "/facilities/<code>/deliveries"
ITEM = FEED + "/<int:post_id>"


def _iso(moment) -> str | None:
    return moment.isoformat() if moment is not None else None


def _entry(code: str, post: Post, inmate: Inmate) -> dict:
    """One post of the feed, with the URLs (same token) of its photo, attachment and sheet."""

    def link(endpoint: str) -> str:
        return url_for(endpoint, code=code, post_id=post.id, _external=True)

    return {
        "id": post.id,
        "call_number": inmate.call_number,
        "name": inmate.name,
        "title": post.title,
        "body": post.body,
        "submitted_at": _iso(post.submitted_at),
        "approved_at": _iso(post.decided_at),
        "photo_url": link("api.delivery_photo") if post.photo_file_id else None,
        "has_attachment": post.attachment_file_id is not None,
        "attachment_url": link("api.delivery_attachment") if post.attachment_file_id else None,
        "sheet_url": link("api.delivery_sheet"),
        "ack_url": link("api.delivery_ack"),
    }


def _not_found():
    return api_error(404, "not_found", _("No approved post with this id at this facility."))


@bp.get(FEED)
@facility_token_required
def deliveries(caller: ApiCaller):
    """The facility's approved posts not yet delivered, oldest approval first."""
    code = caller.facility.code
    pending = awaiting_delivery(get_db().session, caller.facility.id)
    return jsonify(
        {"facility": code, "deliveries": [_entry(code, post, inmate) for post, inmate in pending]}
    )


def _post_file(facility_id: int, post_id: int, column: str, download: bool = False):
    """The file in `column` of an approved post of this facility, sent; 404 without one.

    `download`: a PDF, sent as a download named for the post and sandboxed if opened.
    """
    session = get_db().session
    post = approved_post(session, facility_id, post_id)
    file_id = getattr(post, column) if post is not None else None
    stored = session.get(StoredFile, file_id) if file_id else None
    data = read_or_none(stored, storage_dir_for(get_settings().instance_path))
    if data is None:
        return _not_found()
    response = send_file(
        io.BytesIO(data), mimetype=stored.content_type, etag=stored.sha256, conditional=True
    )
    response.headers["Cache-Control"] = CACHE_CONTROL
    response.headers["X-Content-Type-Options"] = "nosniff"
    if download:
        name = f"post-{post_id}.pdf"
        response.headers["Content-Disposition"] = content_disposition(name, attachment=True)
        response.headers["Content-Security-Policy"] = PDF_POLICY
    return response


@bp.get(ITEM + "/photo")
@facility_token_required
def delivery_photo(caller: ApiCaller, post_id: int):
    """The post's prepared photo (JPEG or PNG, EXIF stripped)."""
    return _post_file(caller.facility.id, post_id, "photo_file_id")


@bp.get(ITEM + "/attachment")
@facility_token_required
def delivery_attachment(caller: ApiCaller, post_id: int):
    """The PDF the family attached, as a download (sandboxed, should a browser open it)."""
    return _post_file(caller.facility.id, post_id, "attachment_file_id", download=True)


@bp.get(ITEM + "/sheet.pdf")
@facility_token_required
def delivery_sheet(caller: ApiCaller, post_id: int):
    """The post's printable delivery sheet."""
    session = get_db().session
    post = approved_post(session, caller.facility.id, post_id)
    if post is None:
        return _not_found()
    return sheets_response([(post, session.get(Inmate, post.inmate_id))], f"post-{post.id}.pdf")


@bp.post(ITEM + "/ack")
@facility_token_required
def delivery_ack(caller: ApiCaller, post_id: int):
    """Record that the post reached the person; repeating it records nothing again."""
    session = get_db().session
    post = approved_post(session, caller.facility.id, post_id)
    if post is None:
        return _not_found()
    try:
        outcome = hand_over(get_engine(), session, post, caller.actor(), {"via": "feed"})
    except TaskAlreadyCompleted:
        session.rollback()  # a concurrent ack won the race
        post = session.get(Post, post_id)
        outcome = Handover.ALREADY if post.delivered_at else Handover.NOT_READY
    if outcome == Handover.NOT_READY:
        return api_error(409, "not_ready", _("The post's process is stopped; staff are alerted."))
    body = {
        "id": post.id,
        "status": outcome,
        "delivered_at": _iso(post.delivered_at),
        "delivered_via": post.delivered_via or None,
    }
    return jsonify(body), 202 if outcome == Handover.INCIDENT else 200
