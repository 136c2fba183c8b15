"""Upload fields whose files are checked by content while the form validates.

A refused file gets its message beside its own field and the form is shown again with every
other answer kept; the type is decided by `domain.file_checks`, never by the file's name.
`total_size_error` enforces the limit on all files of one form together (20 MB per application).

A form may keep a file accepted on a failed POST (`KeepsFile.kept`, a stored file): the page
then names it beside the field and carries its id in a hidden input `<name>_kept`, which comes
back as `kept_id` — only a claim, which the form checks (`kept_file`) before it sets `kept`
again. So a refused title does not cost the family the photo they chose. A claim that names
no such file (one deleted as never filed, see domain.upload_retention; another's; one filed
already) is refused beside its field, so a form never goes on without the file the family
thinks it carries.
"""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from sqlalchemy import select
from werkzeug.datastructures import FileStorage
from wtforms.utils import unset_value
from wtforms.validators import StopValidation

from domain.file_checks import DEFAULT_MAX_BYTES, FileRefused, Refusal, check_upload, read_limited

DEFAULT_MAX_TOTAL_BYTES = 20 * 1024 * 1024  # all files of one application together
MEGABYTE = 1024 * 1024
# A hint for the browser's file chooser only; the content check is what counts.
ACCEPT = "image/jpeg,image/png,application/pdf,.jpg,.jpeg,.png,.pdf"


def strip(value):
    """Drop the spaces people paste around a value (a field filter)."""
    return value.strip() if isinstance(value, str) else value


def megabytes(size: int) -> str:
    """A byte limit as people read it: 10485760 -> '10'."""
    return f"{size / MEGABYTE:g}"


def refusal_message(code: str, max_bytes: int = DEFAULT_MAX_BYTES):
    """The translated message for a FileRefused code, naming the limit where there is one."""
    messages = {
        Refusal.EMPTY: _l("The file is empty. Please choose the file again."),
        Refusal.TOO_LARGE: _l(
            "The file is larger than %(mb)s MB. Please upload a smaller file.",
            mb=megabytes(max_bytes),
        ),
        Refusal.NOT_ALLOWED_TYPE: _l(
            "Only JPG, PNG or PDF files can be uploaded, and this file's content is none of them."
        ),
        Refusal.CORRUPT: _l(
            "The file is damaged or incomplete and cannot be opened. Please upload it again."
        ),
        Refusal.TOO_MANY_PIXELS: _l(
            "The image has too many pixels to open safely. Please upload a smaller image."
        ),
        Refusal.ENCRYPTED: _l(
            "Password-protected PDF files cannot be opened. Please upload the PDF without a "
            "password."
        ),
    }
    return messages.get(code, messages[Refusal.CORRUPT])


def chosen(upload: Any) -> bool:
    """Whether the person chose a file (an empty file input sends a part without a name)."""
    return isinstance(upload, FileStorage) and bool(upload.filename)


def upload_size(upload: FileStorage) -> int:
    """The size of an uploaded file in bytes (browsers rarely send it, so measure the stream)."""
    stream = upload.stream
    position = stream.tell()
    size = stream.seek(0, 2)
    stream.seek(position)
    return size


def judge_upload(field, max_bytes: int, judge, message):
    """What `judge` makes of the chosen file's bytes (read up to `max_bytes`), or None when no
    file was chosen. A FileRefused becomes the field's error, worded by `message(code)`; the
    stream is rewound either way, so the view can read it again."""
    upload = field.data
    if not chosen(upload):
        return None
    upload.stream.seek(0)
    try:
        return judge(read_limited(upload.stream, max_bytes))
    except FileRefused as refused:
        raise StopValidation(message(refused.code)) from None
    finally:
        upload.stream.seek(0)


class ProofFile:
    """Validator: the chosen file must be a JPG, PNG or PDF by content, of at most `max_bytes`.

    On success the field gets `content_type`; the stream is rewound so the view can store it.
    No file chosen is left to the field's own `required` check.
    """

    def __init__(self, max_bytes: int = DEFAULT_MAX_BYTES):
        self.max_bytes = max_bytes

    def __call__(self, _form, field) -> None:
        """Check the file's content; a refusal becomes the field's error."""
        judged = judge_upload(
            field,
            self.max_bytes,
            lambda data: check_upload(data, self.max_bytes),
            lambda code: refusal_message(code, self.max_bytes),
        )
        if judged is not None:
            field.content_type = judged


class KeepsFile:
    """Mixed into a file field: a file accepted on an earlier attempt of the same form."""

    kept = None  # a StoredFile accepted earlier, used when no new file is chosen
    kept_id: str = ""  # the id the page sent back: unchecked

    def process(self, formdata, data=unset_value, extra_filters=None) -> None:
        """Read the file and, beside it, the id of a file kept from an earlier attempt."""
        super().process(formdata, data, extra_filters)
        if formdata is not None:
            self.kept_id = formdata.get(f"{self.name}_kept", "")

    def pre_validate(self, form) -> None:
        """A page whose kept file did not pass `kept_file` asks for the file again."""
        if self.kept_id and self.kept is None and not chosen(self.data):
            raise StopValidation(
                _l("The file you chose before is no longer kept. Choose it again.")
            )
        super().pre_validate(form)


def kept_file(session, account_id: int, claimed: str):
    """The stored file a page sent back as kept (`KeepsFile.kept_id`), or None.

    The id comes from the browser: it counts only for a file this account uploaded that nothing
    has filed yet (`domain.file_references`). Another's file, one already filed or one deleted
    meanwhile is not kept: `KeepsFile.pre_validate` asks for the file again.
    """
    from domain.file_references import unreferenced
    from domain.files import StoredFile

    if not (claimed.isascii() and claimed.isdigit() and len(claimed) < 10):
        return None
    return session.scalar(
        select(StoredFile).where(
            StoredFile.id == int(claimed),
            StoredFile.owner_account_id == account_id,
            unreferenced(),
        )
    )


class ProofFileField(KeepsFile, FileField):
    """A file input for a proof or photo: JPG, PNG or PDF by content, of at most `max_bytes`.

    `required` may be changed after the form is built (the facility decides which proofs it
    needs). Its `type` stays "FileField", so the form macros render it (and the multipart form)
    like any file input.
    """

    def __init__(
        self,
        label=None,
        validators=None,
        *,
        required: bool = False,
        max_bytes: int = DEFAULT_MAX_BYTES,
        **kwargs,
    ):
        kwargs["render_kw"] = {"accept": ACCEPT, **(kwargs.get("render_kw") or {})}
        super().__init__(label, [*(validators or []), ProofFile(max_bytes)], **kwargs)
        self.type = "FileField"
        self.required = required
        self.flags.required = required
        self.content_type: str | None = None

    def pre_validate(self, form) -> None:
        """A required proof must be chosen (or kept); an optional one may be left empty."""
        super().pre_validate(form)
        if self.required and not chosen(self.data) and self.kept is None:
            raise StopValidation(_l("Choose a file to upload."))


def total_size_error(fields, max_bytes: int = DEFAULT_MAX_TOTAL_BYTES):
    """The message when the accepted files of these validated fields together pass `max_bytes`.

    None when they fit. Fields already refused are not counted: their own message says why.
    A kept file counts where no new file replaces it.
    """
    files = [f.data for f in fields if not f.errors and chosen(f.data)]
    kept = [f.kept.size for f in fields if getattr(f, "kept", None) and not chosen(f.data)]
    if sum(upload_size(upload) for upload in files) + sum(kept) <= max_bytes:
        return None
    return _l(
        "Together the files are larger than %(mb)s MB. Please upload smaller files.",
        mb=megabytes(max_bytes),
    )
