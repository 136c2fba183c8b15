"""Forms of the notice pages: a family's channels per group, a facility's template texts."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import RadioField, SelectChoice, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, ValidationError

from domain.notice_kinds import (
    ACCOUNT,
    APPLICATION,
    FAMILY_GROUPS,
    INSTITUTION_POST,
    POST,
    REPLY,
    SUSPENSION,
)
from domain.notice_preferences import BOTH, EMAIL, OFF, SMS, choices_for
from domain.notice_render import placeholders_in

from .base import Form
from .fields import strip

# Per language: the composed mail subject joins the product name and every language's subject.
SUBJECT_MAX = 100
TOO_LONG = _l("Use at most %(max)d characters.")

GROUP_LABELS = {
    ACCOUNT: _l("Registration and account"),
    APPLICATION: _l("Service applications"),
    POST: _l("Family contact book posts"),
    SUSPENSION: _l("Suspensions"),
    REPLY: _l("Replies of the person in custody"),
    INSTITUTION_POST: _l("New institution contact book posts"),
}
GROUP_HELP = {
    ACCOUNT: _l("Verification and password links always go by e-mail; SMS can be added."),
    INSTITUTION_POST: _l("Off unless you choose a channel."),
}
CHOICE_LABELS = {
    EMAIL: _l("E-mail"),
    SMS: _l("SMS"),
    BOTH: _l("E-mail and SMS"),
    OFF: _l("Do not notify me"),
}


class PreferencesForm(Form):
    """One radio group per group of notices (fields named after the groups)."""

    def choices(self) -> dict[str, str]:
        return {group: self[group].data for group in FAMILY_GROUPS}


for _group in FAMILY_GROUPS:
    setattr(
        PreferencesForm,
        _group,
        RadioField(
            GROUP_LABELS[_group],
            choices=[SelectChoice(c, CHOICE_LABELS[c]) for c in choices_for(_group)],
            description=GROUP_HELP.get(_group, ""),
            validators=[DataRequired(_l("Choose how to be told."))],
        ),
    )


class TemplateForm(Form):
    """A facility's wording of one notice, in both languages; placeholders checked per field."""

    subject_zh = StringField(
        _l("Subject (Traditional Chinese)"),
        filters=[strip],
        validators=[
            DataRequired(_l("Enter the subject.")),
            Length(max=SUBJECT_MAX, message=TOO_LONG),
        ],
    )
    body_zh = TextAreaField(
        _l("Text (Traditional Chinese)"),
        filters=[strip],
        validators=[DataRequired(_l("Enter the text.")), Length(max=5000)],
    )
    subject_en = StringField(
        _l("Subject (English)"),
        filters=[strip],
        validators=[
            DataRequired(_l("Enter the subject.")),
            Length(max=SUBJECT_MAX, message=TOO_LONG),
        ],
    )
    body_en = TextAreaField(
        _l("Text (English)"),
        filters=[strip],
        validators=[DataRequired(_l("Enter the text.")), Length(max=5000)],
    )

    def __init__(self, *args, allowed: tuple[str, ...] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.allowed = allowed

    def _check_placeholders(self, field) -> None:
        unknown = [n for n in placeholders_in(field.data or "") if n not in self.allowed]
        if unknown:
            names = ", ".join("{" + name + "}" for name in unknown)
            raise ValidationError(
                _l("Unknown placeholder: %(names)s. Use only the placeholders listed.", names=names)
            )

    validate_subject_zh = validate_body_zh = _check_placeholders
    validate_subject_en = validate_body_en = _check_placeholders
