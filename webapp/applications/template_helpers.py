"""Small functions the application templates call: labels for codes, a file's type, now."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from forms.application_fields import PROOF_LABELS, RELATIONSHIP_LABELS, compose_reason
from forms.post_fields import POST_REASON_TEXT
from workflows import clock

from ..extensions import get_db
from . import bp

RESTRICTION_LABELS = {
    "court_ban": _l("Visits and letters barred by a court or prosecutor"),
    "discipline": _l("Disciplinary punishment"),
    "isolation_investigation": _l("Isolation for investigation"),
    "isolation_protection": _l("Isolation for protection"),
    "protection_room": _l("Held in a protection room"),
    "medical_isolation": _l("Medical isolation"),
}


def file_type(file_id: int) -> str:
    from domain.files import StoredFile

    stored = get_db().session.get(StoredFile, file_id)
    return stored.content_type if stored else ""


@bp.app_context_processor
def application_helpers() -> dict:
    return {
        "relationship_label": lambda code: RELATIONSHIP_LABELS.get(code, code),
        "proof_label": lambda kind: PROOF_LABELS.get(kind, kind),
        "restriction_label": lambda kind: RESTRICTION_LABELS.get(kind, kind),
        # A decision's reason: its template in the reader's language, then the words as typed.
        "review_reason": lambda code, text: compose_reason(code, text),
        "post_reason": lambda code, text: compose_reason(code, text, POST_REASON_TEXT),
        "file_type": file_type,
        "now": clock.now,
    }
