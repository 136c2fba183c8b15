"""What every review form shares: a rejection needs a reason, and the reason is kept as a
template code plus the reviewer's own words, so each reader sees the template in their language.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms.validators import ValidationError

from .application_fields import reason_in_languages

# The field's help, not its empty choice: a closed list shows one line, which a phone cut off.
REASON_HELP = _l("Choose a usual reason, write your own in the box below, or both.")


class ReviewReason:
    """Mixed into a form with `decision`, `reason_template` and `reason` fields; REASON_TEXTS
    maps its template codes to their (lazy) texts."""

    REASON_TEXTS: dict = {}

    def validate_reason(self, field) -> None:
        if self.decision.data == "reject" and not (field.data or self.reason_template.data):
            raise ValidationError(_l("A rejection needs a reason."))

    def review_data(self) -> dict:
        """The template as its code (written out in every language for the mail), the
        reviewer's own words as typed; an approval keeps only the words."""
        template = self.reason_template.data if self.decision.data == "reject" else ""
        return {
            "decision": self.decision.data,
            "reason_code": template or "",
            "reason": self.reason.data or "",
            "reason_texts": reason_in_languages(template, self.REASON_TEXTS),
        }
