"""The family's post form, the reviewer's decision and the staff's delivery (post_review BPMN).

The text limit comes from the facility's policy (DMN, through task data) and is counted as a
person sees characters (`domain.posts.character_count`); the page's live counter uses the
same rule, so the two always agree.
"""

from __future__ import annotations

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import BooleanField, RadioField, StringField, TextAreaField
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    Optional,
    StopValidation,
    ValidationError,
)

from domain.files import storage_dir_for, store_bytes
from domain.posts import TITLE_MAX, TITLE_STORED_MAX, Post, character_count
from domain.roster import active_restriction, local_today
from domain.suspensions import active_suspension

from . import register_form
from .base import Form
from .fields import kept_file, strip
from .post_fields import (
    POST_MAX_BYTES,
    POST_REASON_TEXT,
    POST_REASONS,
    PostFileField,
    photo_refusal_message,
)
from .review import ReviewReason, decision_field, reason_field, reason_template_field


class GraphemeLength:
    """At most `limit` characters as a person counts them (an emoji is one). Over it, the
    chain stops: a storage limit's message about emoji would only confuse."""

    def __init__(self, limit: int):
        self.limit = limit

    def __call__(self, _form, field) -> None:
        count = character_count(field.data or "")
        if count > self.limit:
            raise StopValidation(
                _l(
                    "At most %(limit)s characters; you have written %(count)s.",
                    limit=self.limit,
                    count=count,
                )
            )


class CodePointLength:
    """At most `limit` code points: what the database column holds, whatever a person counts."""

    def __init__(self, limit: int):
        self.limit = limit

    def __call__(self, _form, field) -> None:
        if len(field.data or "") > self.limit:
            raise ValidationError(
                _l(
                    "This title is too long to store: emoji and some symbols take the room of "
                    "several characters. Please shorten it."
                )
            )


class NoAttachment:
    """The facility's policy allows no photo: any file sent is refused beside the field."""

    def __call__(self, _form, field) -> None:
        if field.data and getattr(field.data, "filename", ""):
            raise StopValidation(
                _l("This facility accepts no photo or PDF with a post. Please send the text alone.")
            )


def _session():
    return current_app.extensions["db"].session


@register_form("PostComposeForm")
class PostComposeForm(Form):
    """Title, body (within the facility's limit) and one photo or PDF."""

    title = StringField(
        _l("Title"),
        description=_l("Up to %(n)s characters.", n=TITLE_MAX),
        filters=[strip],
        validators=[
            DataRequired(_l("Enter a title.")),
            GraphemeLength(TITLE_MAX),
            CodePointLength(TITLE_STORED_MAX),
        ],
    )
    body = TextAreaField(
        _l("Message"), filters=[strip], validators=[DataRequired(_l("Write your message."))]
    )
    photo = PostFileField(_l("Photo (JPG or PNG) or one PDF, up to 20 MB"))

    def prepare(self, task_data: dict) -> None:
        """Fit the limit to the facility; after a refused photo, show the text kept."""
        posting = task_data.get("posting", {})
        self.max_chars = int(posting.get("max_chars") or task_data.get("max_chars") or 100)
        self.body.validators = [*self.body.validators, GraphemeLength(self.max_chars)]
        # No maxlength: browsers count UTF-16 units, so an emoji would count twice there.
        self.body.render_kw = {"data-max-chars": self.max_chars, "maxlength": False}
        # One attachment slot (a photo or a PDF); a policy of 0 photos closes it.
        self.max_photos = int(task_data.get("max_photos", 1))
        if self.max_photos <= 0:
            self.photo.validators = [NoAttachment(), *self.photo.validators]
        self.recipient = task_data.get("opened", {}).get("recipient", "")
        self.posting = posting
        self.threshold = task_data.get("rejection_threshold")
        kept = task_data.get("post")
        if kept and not self.is_submitted():
            self.process(data={"title": kept.get("title"), "body": kept.get("body")})
            refused = (task_data.get("photo_result") or {}).get("refused")
            if refused:
                self.photo.errors = [photo_refusal_message(refused)]

    def validate(self, extra_validators=None) -> bool:
        """Validate; when anything is refused, keep an accepted photo for the next attempt."""
        if self.max_photos > 0:
            self.photo.kept = kept_file(_session(), current_user.id, self.photo.kept_id)
        if super().validate(extra_validators):
            return True
        if self.photo.content is not None and not self.photo.errors:
            self.photo.kept = self._store_chosen()
        return False

    def task_data(self) -> dict:
        upload = self._store_chosen() if self.photo.content is not None else self.photo.kept
        return {
            "post": {
                "title": self.title.data,
                "body": self.body.data,
                "upload_file_id": upload.id if upload is not None else None,
            }
        }

    def _store_chosen(self):
        """Store the chosen file (already checked by content) as the family's."""
        storage = storage_dir_for(current_app.extensions["settings"].instance_path)
        return store_bytes(
            _session(),
            storage,
            self.photo.content,
            original_name=self.photo.data.filename,
            owner_account_id=current_user.id,
            max_bytes=POST_MAX_BYTES,
        )


def approval_blocker(post: Post | None):
    """Why this post may not be approved now (a restriction or a suspension since it was
    filed), or None."""
    if post is None:
        return None
    session = _session()
    restriction = active_restriction(session, post.inmate_id, local_today())
    if restriction is not None:
        return _l("The person is under a restriction now; the post cannot be delivered.")
    suspension = active_suspension(session, post.account_id, post.facility_id)
    if suspension is not None:
        return _l("The family's posting right is suspended now.")
    return None


@register_form("PostReviewForm")
class PostReviewForm(ReviewReason, Form):
    """Approve, or reject with a reason (a template, free text, or both)."""

    REASON_TEXTS = POST_REASON_TEXT

    decision = decision_field()
    reason_template = reason_template_field(POST_REASONS)
    reason = reason_field()

    def prepare(self, task_data: dict) -> None:
        self.blocker = approval_blocker(_session().get(Post, task_data.get("post_id")))

    def validate_decision(self, field) -> None:
        if field.data == "approve" and self.blocker is not None:
            raise ValidationError(self.blocker)

    def task_data(self) -> dict:
        return {"review": self.review_data()}


@register_form("PostDeliveryForm")
class PostDeliveryForm(Form):
    """Staff confirm the post was handed over (printed sheet or tablet)."""

    delivered = BooleanField(
        _l("The post has been delivered to the person."),
        validators=[DataRequired(_l("Tick to confirm the delivery."))],
    )
    note = StringField(_l("Note"), filters=[strip], validators=[Optional(), Length(max=200)])

    def task_data(self) -> dict:
        return {"delivery": {"via": "staff", "note": self.note.data or ""}}


class DeliveredForm(Form):
    """One button per post on the delivery list: the sheet was handed over (no note)."""

    def task_data(self) -> dict:
        return {"delivery": {"via": "staff", "note": ""}}


class NewPostForm(Form):
    """Which contact book (person) a new post is for; choices are the family's active books."""

    book = RadioField(_l("To"), validators=[InputRequired(_l("Choose the person."))])
