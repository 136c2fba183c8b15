"""The forms of the personal API token page: name a new token, revoke one (CSRF only)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import StringField
from wtforms.validators import DataRequired, Length

from domain.account_tokens import LABEL_LENGTH

from .base import Form
from .fields import strip


class NewApiTokenForm(Form):
    """A label, so the owner can tell their tokens apart (the token itself is shown once)."""

    label = StringField(
        _l("Name of the token"),
        filters=[strip],
        validators=[
            DataRequired(_l("Name the token, for example the program that will use it.")),
            Length(max=LABEL_LENGTH),
        ],
    )


class RevokeApiTokenForm(Form):
    """Only the CSRF token: revoking asks for nothing else."""
