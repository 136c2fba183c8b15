"""Account forms: the notice consent and registration (user tasks), sign-in and password reset.

Errors attach to the field they concern, so templates show them beside it. Plain passwords and
national IDs never leave these forms: task_data() hands on only hashes and encrypted tokens.
"""

from __future__ import annotations

from datetime import date

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, DateField, EmailField, PasswordField, StringField
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    ValidationError,
)

from domain import crypto, passwords
from domain import national_id as id_numbers
from domain.notice import CURRENT_VERSION
from workflows.clock import clock

from . import register_form
from .account_fields import (
    EARLIEST_BIRTHDAY,
    ID_MESSAGES,
    TAIPEI,
    NewPasswordMixin,
    email_field,
    mobile_field,
    new_password_field,
    password_confirm_field,
    phone_field,
    strip,
)
from .base import Form

TOO_LONG = _l("Use at most %(max)d characters.")


@register_form("ConsentForm")
class ConsentForm(Form):
    """Acceptance of the personal-data notice, the first step of registration."""

    consent = BooleanField(
        _l(
            "I have read and understood this personal-data notice, and I consent to the "
            "collection, processing and use of my personal data for the purposes above, "
            "including the special-category data of my relationship to a person in custody."
        ),
        validators=[
            DataRequired(_l("Tick the box to accept the notice; without it we cannot go on."))
        ],
    )

    def task_data(self) -> dict:
        """The notice version accepted, and when and in which language (for the consent record)."""
        return {
            "consent": {
                "version": CURRENT_VERSION,
                "accepted": True,
                "accepted_at": clock.now().isoformat(),
                "locale": str(get_locale() or "zh_Hant"),
            }
        }


@register_form("RegistrationForm")
class RegistrationForm(NewPasswordMixin, Form):
    """The applicant's identity and contact details, and the password they will sign in with."""

    name = StringField(
        _l("Name"),
        filters=[strip],
        validators=[DataRequired(_l("Enter your name.")), Length(max=100, message=TOO_LONG)],
        render_kw={"autocomplete": "name"},
    )
    national_id = StringField(
        _l("National ID or resident certificate number"),
        filters=[id_numbers.normalise],
        validators=[InputRequired(ID_MESSAGES[id_numbers.EMPTY])],
        render_kw={
            "autocomplete": "off",
            "autocapitalize": "characters",
            "maxlength": 10,
            "required": True,
        },
    )
    email = email_field()
    birthday = DateField(
        _l("Date of birth"),
        validators=[InputRequired(_l("Enter your date of birth."))],
        invalid_value_message=_l("Enter the date as YYYY-MM-DD."),
        render_kw={"autocomplete": "bday"},
    )
    mobile = mobile_field()
    phone = phone_field()
    password = new_password_field()
    password_confirm = password_confirm_field()

    def password_context(self) -> tuple[str | None, str | None]:
        return self.national_id.data, self.email.data

    def password_user_inputs(self) -> list[str]:
        return [self.name.data or "", *passwords.birthday_forms(self.birthday.data)]

    def validate_national_id(self, field) -> None:
        """A national ID or a resident certificate number, with a correct check digit."""
        error = id_numbers.validate(field.data)
        if error:
            raise ValidationError(ID_MESSAGES[error])

    def validate_birthday(self, field) -> None:
        """Not in the future (as the date is in Taiwan) and not before 1900."""
        if field.data is None:  # not a date: the field already carries that error
            return
        today = clock.now().astimezone(TAIPEI).date()
        if field.data > today:
            raise ValidationError(_l("The date of birth cannot be in the future."))
        if field.data < EARLIEST_BIRTHDAY:
            raise ValidationError(_l("Check the year of your date of birth."))

    def task_data(self) -> dict:
        """The registration, with the ID encrypted and hashed and the password hashed."""
        plain_id = self.national_id.data
        return {
            "registration": {
                "name": self.name.data,
                "email": self.email.data.lower(),
                "birthday": self.birthday.data.isoformat(),
                "mobile": self.mobile.data,
                "phone": self.phone.data or "",
                "national_id_masked": id_numbers.mask(plain_id),
                "national_id_encrypted": crypto.encrypt_id(plain_id),
                "national_id_hash": crypto.id_lookup_hash(plain_id),
                "password_hash": passwords.hash_password(self.password.data),
            }
        }


class LoginForm(Form):
    """Sign-in with e-mail and password (not a task form)."""

    email = EmailField(
        _l("E-mail"),
        filters=[strip],
        validators=[DataRequired(_l("Enter your e-mail address."))],
        render_kw={"autocomplete": "username"},
    )
    password = PasswordField(
        _l("Password"),
        validators=[DataRequired(_l("Enter your password."))],
        render_kw={"autocomplete": "current-password"},
    )


class EmailOnlyForm(Form):
    """Just an e-mail address: for a new verification link or a forgotten password."""

    email = email_field()


class PasswordResetForm(NewPasswordMixin, Form):
    """A new password. Pass the account's email=, national_id=, name= and birthday= when
    known, so it cannot contain them nor be guessed from them."""

    password = new_password_field()
    password_confirm = password_confirm_field()

    def __init__(
        self,
        *args,
        email: str | None = None,
        national_id: str | None = None,
        name: str | None = None,
        birthday: date | None = None,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self._context = (national_id, email)
        self._user_inputs = [name or "", *passwords.birthday_forms(birthday)]

    def password_context(self) -> tuple[str | None, str | None]:
        return self._context

    def password_user_inputs(self) -> list[str]:
        return self._user_inputs
