"""Deciding what an uploaded file is, by its content alone, and refusing what we will not keep.

The name and the browser's declared type are never trusted: the first bytes must be those of a
JPEG, PNG or PDF, and the whole file must then decode as one (Pillow for images, pypdf for PDFs).
A decode of all the data is what catches truncated images; Pillow's decompression-bomb guard
stays on.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import BinaryIO

import pypdf
from PIL import Image

DEFAULT_MAX_BYTES = 10 * 1024 * 1024  # per file (issue 3: proofs of at most 10 MB each)

JPEG = "image/jpeg"
PNG = "image/png"
PDF = "application/pdf"
ALLOWED_TYPES = (JPEG, PNG, PDF)
EXTENSIONS = {JPEG: ".jpg", PNG: ".png", PDF: ".pdf"}

# (leading bytes, content type): the signatures the formats' specifications define.
SIGNATURES = (
    (b"\xff\xd8\xff", JPEG),
    (b"\x89PNG\r\n\x1a\n", PNG),
    (b"%PDF-", PDF),
)
PILLOW_FORMATS = {JPEG: "JPEG", PNG: "PNG"}


class Refusal:
    """The reasons a file is refused; forms map each to a translated message."""

    EMPTY = "empty"
    TOO_LARGE = "too_large"
    NOT_ALLOWED_TYPE = "not_allowed_type"
    CORRUPT = "corrupt"
    TOO_MANY_PIXELS = "too_many_pixels"
    ENCRYPTED = "encrypted"


class FileRefused(Exception):
    """An upload we will not store: `code` is a Refusal value, `message_en` is for logs."""

    def __init__(self, code: str, message_en: str):
        super().__init__(message_en)
        self.code = code
        self.message_en = message_en


def read_limited(stream: BinaryIO, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """Read a whole stream, but stop and refuse as soon as it passes `max_bytes`."""
    data = stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise FileRefused(Refusal.TOO_LARGE, f"larger than {max_bytes} bytes")
    return data


def sniff(data: bytes) -> str | None:
    """The content type the leading bytes announce, or None for anything else."""
    for signature, content_type in SIGNATURES:
        if data.startswith(signature):
            return content_type
    return None


def check_upload(data: bytes | BinaryIO, max_bytes: int = DEFAULT_MAX_BYTES) -> str:
    """The content type of an acceptable upload (JPEG, PNG or PDF); raise FileRefused otherwise.

    A stream is read from where it stands; the caller rewinds it if it needs the bytes again.
    """
    if not isinstance(data, bytes | bytearray | memoryview):
        data = read_limited(data, max_bytes)
    data = bytes(data)
    if not data:
        raise FileRefused(Refusal.EMPTY, "the file is empty")
    if len(data) > max_bytes:
        raise FileRefused(Refusal.TOO_LARGE, f"larger than {max_bytes} bytes")
    content_type = sniff(data)
    if content_type is None:
        raise FileRefused(Refusal.NOT_ALLOWED_TYPE, "not a JPEG, PNG or PDF by content")
    if content_type == PDF:
        _check_pdf(data)
    else:
        _check_image(data, PILLOW_FORMATS[content_type])
    return content_type


@dataclass(frozen=True)
class Checked:
    """Bytes `check_upload` accepted, with their type: stored without decoding them again."""

    data: bytes
    content_type: str


def checked_upload(data: bytes, max_bytes: int = DEFAULT_MAX_BYTES) -> Checked:
    """`check_upload`, keeping the verdict with the bytes (a form checks, the view stores)."""
    return Checked(bytes(data), check_upload(data, max_bytes))


def _check_image(data: bytes, pillow_format: str) -> None:
    """Decode the whole image: truncated, corrupt or oversized (bomb) images are refused."""
    try:
        with Image.open(io.BytesIO(data), formats=[pillow_format]) as image:
            _check_pixels(image.size)
            _reduce_decoding(image)
            image.load()
        if pillow_format == "PNG":
            # load() skips the chunk checksums; verify() reads them (on a fresh image).
            with Image.open(io.BytesIO(data), formats=[pillow_format]) as image:
                image.verify()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        # Above Pillow's limit open() warns; at twice the limit it raises. Both are refused.
        raise FileRefused(Refusal.TOO_MANY_PIXELS, str(error)) from error
    except FileRefused:
        raise
    except Exception as error:  # any decoder failure means the file cannot be shown
        raise FileRefused(Refusal.CORRUPT, f"image does not decode: {error}") from error


def _reduce_decoding(image) -> None:
    """Let a JPEG decode at 1/8 scale: libjpeg still entropy-decodes every byte (so truncated
    and corrupt data fail as in a full decode) but skips most of the inverse DCT and colour
    work, and holds 1/64 of the pixels (a 24-megapixel photo: about 1 MB instead of 72)."""
    if image.format == "JPEG":
        image.draft(image.mode, (max(1, image.width // 8), max(1, image.height // 8)))


def _check_pixels(size: tuple[int, int]) -> None:
    """Refuse images over Pillow's pixel limit before decoding them (memory is the risk)."""
    limit = Image.MAX_IMAGE_PIXELS
    if limit is not None and size[0] * size[1] > limit:
        raise FileRefused(Refusal.TOO_MANY_PIXELS, f"{size[0]}x{size[1]} is over {limit} pixels")


def _check_pdf(data: bytes) -> None:
    """Parse the PDF: it must open, not be encrypted and have at least one page."""
    try:
        reader = pypdf.PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise FileRefused(Refusal.ENCRYPTED, "the PDF is encrypted")
        pages = len(reader.pages)
    except FileRefused:
        raise
    except Exception as error:  # pypdf raises many kinds of error on damaged files
        raise FileRefused(Refusal.CORRUPT, f"PDF does not parse: {error}") from error
    if pages < 1:
        raise FileRefused(Refusal.CORRUPT, "the PDF has no pages")
