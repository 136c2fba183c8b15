"""Forms of the institution contact book: the admin's post, its correction, the approval.

Files are checked by content while the form validates (a refusal stands beside its field and
the text is kept); they are stored only when the form is valid, as the admin's uploads. The
post's access policy (domain.institution_access) then shares them with the facility.
"""

from __future__ import annotations

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import BooleanField, RadioField, SelectChoice, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, ValidationError

from domain.files import storage_dir_for, store_bytes, store_upload
from domain.institution_posts import BODY_MAX, TITLE_MAX

from . import register_form
from .base import Form
from .fields import ProofFileField, chosen, strip
from .institution_fields import ATTACHMENT_MAX_BYTES, PHOTO_MAX_BYTES, InstitutionPhotoField


def _session():
    return current_app.extensions["db"].session


def _storage():
    return storage_dir_for(current_app.extensions["settings"].instance_path)


@register_form("InstitutionPostForm")
class InstitutionPostForm(Form):
    """Title, body, one photo (JPG/PNG) and one attachment (PDF, JPG or PNG), all optional files."""

    title = StringField(
        _l("Title"),
        filters=[strip],
        validators=[DataRequired(_l("Enter a title.")), Length(max=TITLE_MAX)],
    )
    body = TextAreaField(
        _l("Content"),
        filters=[strip],
        validators=[DataRequired(_l("Write the content.")), Length(max=BODY_MAX)],
    )
    photo = InstitutionPhotoField(_l("Photo (JPG or PNG, up to 10 MB)"))
    attachment = ProofFileField(
        _l("Attachment (PDF, JPG or PNG, up to 10 MB)"), max_bytes=ATTACHMENT_MAX_BYTES
    )

    def task_data(self) -> dict:
        return {
            "inst_post": {
                "title": self.title.data,
                "body": self.body.data,
                "photo_file_id": self._stored_photo(),
                "attachment_file_id": self._stored_attachment(),
            }
        }

    def _stored_photo(self) -> int | None:
        if self.photo.content is None:
            return None
        name = self.photo.data.filename
        return store_bytes(
            _session(),
            _storage(),
            self.photo.content,
            original_name=name,
            owner_account_id=current_user.id,
            max_bytes=PHOTO_MAX_BYTES,
        ).id

    def _stored_attachment(self) -> int | None:
        if not chosen(self.attachment.data):
            return None
        return store_upload(
            _session(),
            _storage(),
            self.attachment.data,
            owner_account_id=current_user.id,
            max_bytes=ATTACHMENT_MAX_BYTES,
        ).id


@register_form("InstitutionPostCorrectionForm")
class InstitutionPostCorrectionForm(InstitutionPostForm):
    """The rejected post with its text kept: a new file replaces the old, or it may be removed."""

    remove_photo = BooleanField(_l("Remove the photo"))
    remove_attachment = BooleanField(_l("Remove the attachment"))

    def prepare(self, task_data: dict) -> None:
        """Show the post as it was sent, and the supervisor's reason."""
        self.kept = task_data.get("inst_post") or {}
        self.reason = (task_data.get("approval") or {}).get("reason", "")
        if not self.is_submitted():
            self.process(data={"title": self.kept.get("title"), "body": self.kept.get("body")})

    def task_data(self) -> dict:
        data = super().task_data()
        entry = data["inst_post"]
        for name in ("photo_file_id", "attachment_file_id"):
            removed = getattr(self, f"remove_{name.split('_')[0]}").data
            if entry[name] is None and not removed:
                entry[name] = self.kept.get(name)
        return data


@register_form("InstitutionPostApprovalForm")
class InstitutionPostApprovalForm(Form):
    """The supervisor publishes the post, or sends it back with a reason."""

    decision = RadioField(
        _l("Decision"),
        choices=[
            SelectChoice("approve", _l("Approve and publish")),
            SelectChoice("reject", _l("Send back for correction")),
        ],
        validators=[InputRequired(_l("Choose approve or send back."))],
    )
    reason = TextAreaField(
        _l("Reason for sending it back"), filters=[strip], validators=[Length(max=1000)]
    )

    def validate_reason(self, field) -> None:
        if self.decision.data == "reject" and not field.data:
            raise ValidationError(_l("Say what should be corrected."))

    def task_data(self) -> dict:
        reason = self.reason.data if self.decision.data == "reject" else ""
        return {"approval": {"decision": self.decision.data, "reason": reason or ""}}
