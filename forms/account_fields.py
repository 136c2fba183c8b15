"""Fields, filters and messages shared by the account forms (forms/account.py).

Field factories rather than shared class attributes: each form gets fields created where it
declares them, so `for field in form` follows the order the form reads in.
"""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l
from wtforms import EmailField, PasswordField, TelField
from wtforms.validators import (
    DataRequired,
    Email,
    EqualTo,
    Length,
    Optional,
    Regexp,
    ValidationError,
)

from domain import national_id, passwords

from .fields import strip

TAIPEI = ZoneInfo("Asia/Taipei")
EARLIEST_BIRTHDAY = date(1900, 1, 1)

ID_MESSAGES = {
    national_id.EMPTY: _l("Enter your national ID or resident certificate number."),
    national_id.FORMAT: _l(
        "Enter a national ID (a letter, 1 or 2, then 8 digits) or a resident certificate "
        "number (two letters then 8 digits, or a letter, 8 or 9, then 8 digits)."
    ),
    national_id.CHECKSUM: _l("This number is not valid: please check each character."),
}
PASSWORD_MESSAGES = {
    passwords.TOO_SHORT: _l("The password needs at least 10 characters."),
    passwords.TOO_LONG: _l("The password may have at most 128 characters."),
    passwords.CONTAINS_ID: _l("The password must not contain your ID number."),
    passwords.CONTAINS_EMAIL: _l(
        "The password must not contain your e-mail address or the part before the @."
    ),
    passwords.EASY_TO_GUESS: _l(
        "This password is too easy to guess (common words, names, dates or sequences like "
        "1234). Please use a longer phrase that is hard to guess."
    ),
}
PASSWORD_HELP = _l(
    "At least 10 characters, and not easy to guess: a phrase of several words works well; "
    "avoid your name, birthday, ID, e-mail, common words and sequences like 1234."
)


def digits_only(value):
    """Accept '0912-345 678' as people write it; keep the digits."""
    return "".join(ch for ch in value if ch.isdigit()) if isinstance(value, str) else value


YOUR_EMAIL_MISSING = _l("Enter your e-mail address.")


def email_field(missing=YOUR_EMAIL_MISSING, autocomplete: str = "email", **options) -> EmailField:
    """A required, syntax-checked e-mail address (no DNS look-up). A form about someone else's
    address (a new colleague's) says so when it is missing, and asks the browser not to fill
    in the reader's own."""
    return EmailField(
        _l("E-mail"),
        filters=[strip],
        validators=[
            DataRequired(missing),
            Length(max=254, message=_l("Use at most %(max)d characters.")),
            Email(_l("Enter an e-mail address like name@example.com.")),
        ],
        render_kw={"autocomplete": autocomplete},
        **options,
    )


def mobile_field() -> TelField:
    """A Taiwanese mobile number, digits only (SMS notices go to it)."""
    return TelField(
        _l("Mobile phone"),
        filters=[digits_only],
        validators=[
            DataRequired(_l("Enter your mobile number.")),
            Regexp(r"^09[0-9]{8}$", message=_l("Enter a mobile number like 0912345678.")),
        ],
        render_kw={"autocomplete": "tel", "inputmode": "numeric"},
    )


def phone_field() -> TelField:
    """An optional landline, as people write it."""
    return TelField(
        _l("Phone (optional)"),
        filters=[strip],
        validators=[
            Optional(),
            Regexp(
                r"^[0-9+()# -]{6,30}$",
                message=_l("Enter a phone number with digits, and - ( ) # + only."),
            ),
        ],
        render_kw={"autocomplete": "tel"},
    )


def new_password_field() -> PasswordField:
    """A new password; NewPasswordMixin.validate_password applies the strength rules."""
    return PasswordField(
        _l("Password"),
        validators=[DataRequired(_l("Enter a password."))],
        description=PASSWORD_HELP,
        render_kw={"autocomplete": "new-password", "minlength": passwords.MIN_LENGTH},
    )


def password_confirm_field() -> PasswordField:
    """The new password typed again; must equal the field named `password`."""
    return PasswordField(
        _l("Password again"),
        validators=[
            DataRequired(_l("Enter the password again.")),
            EqualTo("password", _l("The two passwords differ.")),
        ],
        render_kw={"autocomplete": "new-password"},
    )


class NewPasswordMixin:
    """The strength check for a form with a `password` field (domain.passwords rules)."""

    def password_context(self) -> tuple[str | None, str | None]:
        """The (national ID, e-mail) the password must not contain; override when known."""
        return None, None

    def password_user_inputs(self) -> list[str]:
        """The person's other details (name, birthday) that make a password easy to guess."""
        return []

    def validate_password(self, field) -> None:
        """Refuse short or easily guessed passwords and ones with the person's ID or e-mail."""
        id_number, email = self.password_context()
        problem = passwords.strength_problem(
            field.data or "",
            national_id=id_number,
            email=email,
            user_inputs=self.password_user_inputs(),
        )
        if problem:
            raise ValidationError(PASSWORD_MESSAGES[problem])
