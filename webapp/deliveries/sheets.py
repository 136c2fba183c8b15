"""The delivery sheet PDFs as responses, in the reader's language (shared with the API)."""

from __future__ import annotations

import logging

from flask import Response, abort
from flask_babel import gettext as _

from domain.deliveries import sheet_for
from domain.delivery_sheets import SheetFontMissing, SheetLabels, render_sheets
from domain.files import storage_dir_for
from forms.application_fields import RELATIONSHIP_PAIRS

from ..extensions import get_db, get_settings
from ..files.routes import PDF_POLICY, content_disposition

log = logging.getLogger(__name__)


def sheet_labels() -> SheetLabels:
    """The sheet's fixed words, translated for this request."""
    return SheetLabels(
        heading=_("Family contact book: delivery sheet"),
        facility=_("Facility"),
        call_number=_("Call number"),
        name=_("Name"),
        date=_("Date"),
        sender=_("Written by"),
        title=_("Title"),
        attachment=_("Attached PDF (printed separately):"),
        empty=_("No approved posts are waiting for delivery."),
        relationships={code: str(label) for code, label in RELATIONSHIP_PAIRS},
    )


def sheets_response(pairs, filename: str) -> Response:
    """A PDF of one sheet per (post, inmate) pair, shown in the browser (or downloaded)."""
    session = get_db().session
    storage = storage_dir_for(get_settings().instance_path)
    sheets = [sheet_for(session, post, inmate, storage) for post, inmate in pairs]
    try:
        data = render_sheets(sheets, sheet_labels())
    except SheetFontMissing as exc:
        log.error("delivery sheets need fonts-noto-cjk (run make install): %s", exc)
        abort(503)
    response = Response(data, mimetype="application/pdf")
    response.headers["Content-Disposition"] = content_disposition(filename, attachment=False)
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["Content-Security-Policy"] = PDF_POLICY
    return response
