"""Staff forms around posts: lifting a suspension, granting a project, entering a reply."""

from __future__ import annotations

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import BooleanField, DateField, IntegerField, SelectField, TextAreaField
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from . import register_form
from .application_fields import store_proofs
from .base import Form
from .dates import in_calendar
from .fields import ProofFileField, chosen, strip


class LiftSuspensionForm(Form):
    """Lift a suspension before its end: the reason is kept and told to the family."""

    reason = TextAreaField(
        _l("Why is it lifted early?"),
        filters=[strip],
        validators=[DataRequired(_l("Give the reason.")), Length(max=500)],
    )


class SpecialProjectForm(Form):
    """A supervisor's exception to the posting policy for one family, for a period."""

    family = SelectField(_l("Family"), validators=[InputRequired(_l("Choose the family."))])
    starts_on = DateField(
        _l("From"), validators=[InputRequired(_l("Enter the first day.")), in_calendar]
    )
    ends_on = DateField(
        _l("Until"), validators=[InputRequired(_l("Enter the last day.")), in_calendar]
    )
    no_interval = BooleanField(_l("No posting interval"), default=True)
    max_chars = IntegerField(
        _l("Text limit (empty: the facility's)"),
        validators=[Optional(), NumberRange(min=1, max=2000)],
    )
    reason = TextAreaField(
        _l("Reason"),
        filters=[strip],
        validators=[DataRequired(_l("Give the reason.")), Length(max=500)],
    )

    def validate_ends_on(self, field) -> None:
        if self.starts_on.data and field.data and field.data < self.starts_on.data:
            raise ValidationError(_l("The last day cannot be before the first."))


@register_form("InmateReplyForm")
class InmateReplyForm(Form):
    """The reply as the person wrote it, and optionally a scan of the page."""

    body = TextAreaField(
        _l("The reply"),
        filters=[strip],
        validators=[DataRequired(_l("Type the reply.")), Length(max=1000)],
    )
    scan = ProofFileField(_l("Scanned page (JPG, PNG or PDF; optional)"))

    def task_data(self) -> dict:
        return {"reply": {"body": self.body.data, "scan_file_id": self._stored_scan()}}

    def _stored_scan(self) -> int | None:
        """Store the scan as the staff member's upload; the reply's access policy shares it."""
        if not chosen(self.scan.data):
            return None
        stored = store_proofs(current_app, current_user.id, {"scan": self.scan})
        return stored.get("scan")
