"""The institution post's photo field: a still JPG or PNG judged by content, re-encoded at once.

The photo is prepared while the form validates (oriented, EXIF and GPS stripped, reduced), so a
photo that cannot be used is refused beside its field with the text kept, and what is stored is
only ever the clean copy. 10 MB at most, as sent.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField

from domain.file_checks import PDF, FileRefused, Refusal, check_upload
from domain.photos import ANIMATED, process_photo

from .fields import judge_upload, refusal_message

PHOTO_MAX_BYTES = 10 * 1024 * 1024
ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024
PHOTO_ACCEPT = "image/jpeg,image/png,.jpg,.jpeg,.png"


def photo_refusal(code: str):
    """The message beside the photo field for a refusal code."""
    if code == ANIMATED:
        return _l("Moving images cannot be used. Please choose a still JPG or PNG photo.")
    if code == Refusal.NOT_ALLOWED_TYPE:
        return _l("Only a JPG or PNG photo can be used here; this file's content is neither.")
    return refusal_message(code, PHOTO_MAX_BYTES)


def _clean_photo(data: bytes):
    """The re-encoded photo; FileRefused for a PDF or anything that is no usable photo."""
    if check_upload(data, PHOTO_MAX_BYTES) == PDF:
        raise FileRefused(Refusal.NOT_ALLOWED_TYPE, "a PDF is no photo")
    return process_photo(data)


class InstitutionPhoto:
    """Validator: a whole, still JPG or PNG of at most 10 MB; leaves the clean copy in `content`."""

    def __call__(self, _form, field) -> None:
        processed = judge_upload(field, PHOTO_MAX_BYTES, _clean_photo, photo_refusal)
        if processed is not None:
            field.content, field.content_type = processed.photo, processed.content_type


class InstitutionPhotoField(FileField):
    """The post's one photo (rendered like any file input)."""

    def __init__(self, label=None, validators=None, **kwargs):
        kwargs["render_kw"] = {"accept": PHOTO_ACCEPT, **(kwargs.get("render_kw") or {})}
        super().__init__(label, [*(validators or []), InstitutionPhoto()], **kwargs)
        self.type = "FileField"
        self.content: bytes | None = None
        self.content_type: str | None = None
