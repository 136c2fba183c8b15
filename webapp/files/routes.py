"""`GET /files/<id>`: an uploaded file, to those a registered access policy lets see it.

Anyone else, including a visitor, gets the same 404 as for an id that does not exist, so ids
cannot be probed. Files are sent with their type decided by content, never sniffed, and PDFs
in a sandbox so a crafted document cannot run script on the site's origin. Content is
decrypted here (it is encrypted on disk); each opening of a family's document by staff is
recorded for the family to see (domain.document_views).
"""

from __future__ import annotations

import io
import logging
import unicodedata
from pathlib import PurePath
from urllib.parse import quote

from flask import Response, abort, request, send_file
from flask_login import current_user

from domain.document_views import record_view
from domain.file_checks import PDF
from domain.files import StoredFile, may_view, read_or_none, storage_dir_for
from webapp.actors import current_actor
from webapp.extensions import get_db, get_settings

from . import bp

log = logging.getLogger(__name__)

CACHE_CONTROL = "private, max-age=300"
# No script, forms or same-origin access inside the document; framed only by our own pages
# (the reviewer's task page previews PDFs inline).
PDF_POLICY = "sandbox; frame-ancestors 'self'"


def content_disposition(name: str, attachment: bool) -> str:
    """The header value with an ASCII fallback name and the real name in RFC 5987 form."""
    path = PurePath(name)
    ascii_stem = unicodedata.normalize("NFKD", path.stem).encode("ascii", "ignore").decode()
    ascii_stem = "".join(ch for ch in ascii_stem if ch.isprintable() and ch not in '"\\;')
    ascii_name = (ascii_stem.strip(" .") or "file") + path.suffix  # e.g. a name all in Chinese
    kind = "attachment" if attachment else "inline"
    return f"{kind}; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name, safe='')}"


@bp.get("/files/<int:file_id>")
def show(file_id: int) -> Response:
    """Send the file inline (or as a download with ?download=1) if the viewer may see it."""
    session, actor = get_db().session, current_actor()
    if not may_view(session, file_id, actor):
        abort(404)
    stored = session.get(StoredFile, file_id)
    if stored is None:
        abort(404)
    data = read_or_none(stored, storage_dir_for(get_settings().instance_path))
    if data is None:
        log.error("stored file %s has no content on disk", file_id)
        abort(404)
    if current_user.is_authenticated:
        record_view(session, stored, actor, current_user.role)
    response = send_file(
        io.BytesIO(data), mimetype=stored.content_type, etag=stored.sha256, conditional=True
    )
    response.headers["Content-Disposition"] = content_disposition(
        stored.download_name, attachment=request.args.get("download") == "1"
    )
    response.headers["Cache-Control"] = CACHE_CONTROL
    response.headers["X-Content-Type-Options"] = "nosniff"
    if stored.content_type == PDF:
        response.headers["Content-Security-Policy"] = PDF_POLICY
    return response
