"""Forms of the facility admin's roster pages: a person, a restriction, a transfer.

These are page forms, not user-task forms: nothing here is registered by form key. The field
names differ between the forms so that one page can hold all of them without prefixes. Buttons
that only end or delete a restriction need no form class: CSRFProtect checks their token.
"""

from __future__ import annotations

import unicodedata

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, DateField, SelectChoice, SelectField, StringField
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    Optional,
    Regexp,
    ValidationError,
)

from domain.roster import CALL_NUMBER_PATTERN

from .account_fields import strip
from .base import Form

TOO_LONG = _l("Use at most %(max)d characters.")
DATE_FORMAT = _l("Enter the date as YYYY-MM-DD.")


def one_line(form, field) -> None:
    """Refuse control characters (a line break, tab, NUL), as the roster import does: a name is
    one line, and PostgreSQL cannot store NUL at all."""
    if any(unicodedata.category(ch) == "Cc" for ch in field.data or ""):
        raise ValidationError(_l("Remove the line breaks, tabs and other control characters."))


# The translated names of domain.roster.RESTRICTION_KINDS (DESIGN.md §3).
RESTRICTION_LABELS = {
    "court_ban": _l("Visits and letters barred by a court or prosecutor"),
    "discipline": _l("Disciplinary punishment"),
    "isolation_investigation": _l("Isolation for investigation"),
    "isolation_protection": _l("Isolation for protection"),
    "protection_room": _l("Held in a protection room"),
    "medical_isolation": _l("Isolation because of illness"),
}


class InmateForm(Form):
    """A person in custody as the facility knows them."""

    call_number = StringField(
        _l("Call number"),
        filters=[strip],
        validators=[
            DataRequired(_l("Enter the call number.")),
            Regexp(
                f"^{CALL_NUMBER_PATTERN}$",
                message=_l("Use 1 to 20 letters, digits or hyphens."),
            ),
        ],
        render_kw={"autocomplete": "off", "maxlength": 20},
    )
    name = StringField(
        _l("Name"),
        filters=[strip],
        validators=[
            DataRequired(_l("Enter the name.")),
            Length(max=100, message=TOO_LONG),
            one_line,
        ],
        render_kw={"autocomplete": "off"},
    )
    juvenile = BooleanField(_l("Juvenile"))
    children_under_18 = BooleanField(_l("Has children under 18"))


class RestrictionForm(Form):
    """A period in which the person may not receive the service."""

    kind = SelectField(
        _l("Restriction"),
        choices=[SelectChoice(kind, label) for kind, label in RESTRICTION_LABELS.items()],
        validate_choice=True,
    )
    starts_on = DateField(
        _l("First day"),
        validators=[InputRequired(_l("Enter the first day."))],
        invalid_value_message=DATE_FORMAT,
    )
    ends_on = DateField(
        _l("Last day"),
        validators=[Optional()],
        invalid_value_message=DATE_FORMAT,
        description=_l("Leave empty while the end is not known."),
    )
    note = StringField(
        _l("Note"), filters=[strip], validators=[Length(max=200, message=TOO_LONG), one_line]
    )

    def validate_ends_on(self, field: DateField) -> None:
        """The last day may not come before the first."""
        if field.data and self.starts_on.data and field.data < self.starts_on.data:
            raise ValidationError(_l("The last day cannot be before the first day."))


class TransferForm(Form):
    """Move the person to another facility; `prepare` lists the facilities to choose from."""

    to_facility = SelectField(_l("New facility"), validate_choice=True)
    confirm_transfer = BooleanField(
        _l("The person has moved there; move their open tasks to that facility."),
        validators=[DataRequired(_l("Tick the box to confirm the transfer."))],
    )

    def prepare(self, choices: list[tuple[str, str]]) -> None:
        """The other facilities, as (code, name) pairs."""
        self.to_facility.choices = [SelectChoice(code, name) for code, name in choices]
