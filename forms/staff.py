"""Forms of the facility admin's staff pages: a new staff account, and a staff member's role.

Page forms, not user-task forms. The buttons that disable or enable an account need no form
class: CSRFProtect checks their token.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, Length

from domain.staff import NAME_WIDTH

from .account_fields import email_field
from .base import Form
from .fields import strip
from .roster import TOO_LONG, one_line

# The roles a facility admin gives (never process owner, auditor or family), as the header
# and the inbox name them (webapp/roles.py).
FACILITY_ROLE_LABELS = {
    "reviewer": _l("Reviewer"),
    "supervisor": _l("Supervisor"),
    "facility_admin": _l("Facility administrator"),
}


def role_field() -> SelectField:
    """One of the three facility roles."""
    return SelectField(
        _l("Role"),
        choices=[SelectChoice(role, label) for role, label in FACILITY_ROLE_LABELS.items()],
        validate_choice=True,
    )


class StaffAccountForm(Form):
    """A new staff member of the admin's facility; they set their own password by e-mail."""

    name = StringField(
        _l("Name"),
        filters=[strip],
        validators=[
            DataRequired(_l("Enter the name.")),
            Length(max=NAME_WIDTH, message=TOO_LONG),
            one_line,
        ],
        render_kw={"autocomplete": "off"},
    )
    email = email_field(
        _l("Enter the e-mail address."),
        autocomplete="off",
        description=_l("They sign in with it; the link to set their password is sent there."),
    )
    role = role_field()


class StaffRoleForm(Form):
    """Another facility role for a staff member."""

    role = role_field()
