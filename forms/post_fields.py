"""The post form's photo field and the review's reason templates (forms/post.py).

The photo is checked by content while the form validates, so a refusal is shown beside the field
with the title and body kept: a JPG, PNG or PDF that decodes whole, no animation, no more than
50 megapixels, 20 MB at most. A HEIC photo (an iPhone's default) is converted to JPEG here.
"""

from __future__ import annotations

import io

import pillow_heif
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from PIL import Image
from wtforms import SelectChoice

from domain.file_checks import Checked, Refusal, checked_upload
from domain.photos import ANIMATED, MAX_PIXELS, PhotoRefused, process_photo
from domain.posts import PHOTO_JOB_FAILED

from .fields import KeepsFile, judge_upload, refusal_message

POST_MAX_BYTES = 20 * 1024 * 1024  # all attachments of a post together (design §2)
PDF_SIGNATURE = b"%PDF-"
PHOTO_ACCEPT = "image/jpeg,image/png,image/heic,application/pdf,.jpg,.jpeg,.png,.heic,.pdf"

POST_REASON_PAIRS = [
    ("", _l("— choose a reason —")),
    (
        "official_business",
        _l(
            "Official business (visit booking, certificates, leave, parole papers) goes through "
            "the facility's own services, not the contact book."
        ),
    ),
    ("photo_unrelated", _l("The photo is not related to family care and support.")),
    ("over_limit", _l("The post goes beyond what the facility allows.")),
    ("inappropriate", _l("The content is not appropriate.")),
]
POST_REASON_TEXT = dict(POST_REASON_PAIRS)
POST_REASONS = [SelectChoice(code, label) for code, label in POST_REASON_PAIRS]


def photo_refusal_message(code: str):
    """The message beside the photo field for a refusal code."""
    if code == ANIMATED:
        return _l("Moving images cannot be printed. Please choose a still JPG or PNG photo.")
    if code == PHOTO_JOB_FAILED:
        return _l(
            "We could not prepare this photo for printing. Your text is kept: please choose "
            "the photo again, or another one."
        )
    if code == Refusal.NOT_ALLOWED_TYPE:
        return _l("Only a JPG or PNG photo, or one PDF, can be sent; this file is none of them.")
    return refusal_message(code, POST_MAX_BYTES)


class PostFile:
    """Validator: one photo (JPG, PNG, HEIC) or one PDF, judged by content.

    On success the field holds `content` (the bytes to store; HEIC already converted to JPEG).
    """

    def __call__(self, _form, field) -> None:
        content = judge_upload(field, POST_MAX_BYTES, _acceptable, photo_refusal_message)
        if content is not None:
            field.content = content


def _acceptable(data: bytes) -> bytes | Checked:
    """The bytes to store for this upload, or FileRefused with the reason."""
    if data and pillow_heif.is_supported(data):
        # Converted now: what we store and show is only ever JPEG, PNG or PDF.
        return process_photo(data, long_edge=4096).photo
    if not data.startswith(PDF_SIGNATURE):
        _still_and_small(data)  # from the header, before anything decodes
    return checked_upload(data, POST_MAX_BYTES)  # decoded once: storing it will not again


def _still_and_small(data: bytes) -> None:
    """Refuse an animated PNG or a picture over 50 megapixels (a decompression bomb)."""
    try:
        image = Image.open(io.BytesIO(data), formats=["JPEG", "PNG"])
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise PhotoRefused(Refusal.TOO_MANY_PIXELS, str(error)) from error
    except Exception:
        return  # not an image we know: check_upload says why
    with image:
        width, height = image.size
        if width * height > MAX_PIXELS:
            raise PhotoRefused(Refusal.TOO_MANY_PIXELS, f"{width}x{height} is too many pixels")
        if image.format == "PNG" and getattr(image, "is_animated", False):
            raise PhotoRefused(ANIMATED, "animated images are not accepted")


class PostFileField(KeepsFile, FileField):
    """The post's single attachment: a photo or a PDF (rendered like any file input)."""

    def __init__(self, label=None, validators=None, **kwargs):
        kwargs["render_kw"] = {"accept": PHOTO_ACCEPT, **(kwargs.get("render_kw") or {})}
        super().__init__(label, [*(validators or []), PostFile()], **kwargs)
        self.type = "FileField"
        self.content: bytes | Checked | None = None
