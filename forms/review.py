"""What every review form shares: a rejection needs a reason, and the reason is kept as a
template code plus the reviewer's own words, so each reader sees the template in their language.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import RadioField, SelectChoice, SelectField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from .application_fields import reason_in_languages
from .fields import strip

# The field's help, not its empty choice: a closed list shows one line, which a phone cut off.
REASON_HELP = _l("Choose a usual reason, write your own in the box below, or both.")


def decision_field() -> RadioField:
    """Approve or reject: the question of every review form."""
    return RadioField(
        _l("Decision"),
        choices=[SelectChoice("approve", _l("Approve")), SelectChoice("reject", _l("Reject"))],
        validators=[InputRequired(_l("Choose approve or reject."))],
    )


def reason_template_field(choices) -> SelectField:
    """The usual reasons of this kind of review, as template codes (see ReviewReason)."""
    return SelectField(
        _l("Reason"), choices=choices, default="", validators=[Optional()], description=REASON_HELP
    )


def reason_field() -> TextAreaField:
    """The reviewer's own words."""
    return TextAreaField(_l("Reason in your words"), filters=[strip], validators=[Length(max=1000)])


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
