"""Forms of the family's own data pages: contact details, deleting the account.

Changing the e-mail address and deleting the account both ask for the current password: an
unattended phone with an open session must not be enough to take over or erase an account.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, PasswordField
from wtforms.validators import DataRequired, ValidationError

from domain.passwords import verify_password

from .account_fields import email_field, mobile_field, phone_field
from .base import Form


def _current_password() -> PasswordField:
    return PasswordField(_l("Current password"), render_kw={"autocomplete": "current-password"})


class ContactDetailsForm(Form):
    """Mobile and phone (at once) and the e-mail address (once the new address confirms it)."""

    email = email_field()
    mobile = mobile_field()
    phone = phone_field()
    password = _current_password()

    def __init__(self, *args, account=None, **kwargs):
        super().__init__(*args, **kwargs)
        self._account = account

    def email_changes(self) -> bool:
        return (self.email.data or "").strip().lower() != self._account.email

    def validate_password(self, field) -> None:
        """Needed only when the e-mail address changes."""
        if self.email_changes() and not verify_password(
            self._account.password_hash, field.data or ""
        ):
            raise ValidationError(_l("To change the e-mail address, enter your current password."))


class DeleteAccountForm(Form):
    """The last step before erasure: the password, and a tick that the family understands."""

    password = _current_password()
    understood = BooleanField(
        _l("I understand that my contact books end and my data is erased; this cannot be undone."),
        validators=[DataRequired(_l("Tick the box to confirm."))],
    )

    def __init__(self, *args, account=None, **kwargs):
        super().__init__(*args, **kwargs)
        self._account = account

    def validate_password(self, field) -> None:
        if not verify_password(self._account.password_hash, field.data or ""):
            raise ValidationError(_l("The password is not right."))


class ConfirmForm(Form):
    """Just the button (and CSRF token) of a page reached by a link in an e-mail."""
