"""Files made in memory for the upload tests: real images and PDFs, and the PNGs that only look
like one (a header claiming a size, several frames)."""

from __future__ import annotations

import io
import struct
import zlib

import pypdf
from PIL import Image


def image_bytes(kind: str = "PNG", size=(40, 30)) -> bytes:
    """A real image made in memory."""
    out = io.BytesIO()
    Image.new("RGB", size, (180, 40, 40)).save(out, kind)
    return out.getvalue()


def pdf_bytes(password: str | None = None, pages: int = 1) -> bytes:
    """A real PDF with blank pages, optionally encrypted."""
    writer = pypdf.PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=200, height=200)
    if password is not None:
        writer.encrypt(password, "owner", algorithm="AES-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def encode(image: Image.Image, kind: str = "JPEG", **options) -> bytes:
    """An image saved in memory."""
    out = io.BytesIO()
    image.save(out, kind, **options)
    return out.getvalue()


def marked(size: tuple[int, int], mode: str = "RGB") -> Image.Image:
    """Blue, with a red block in the top-left corner: shows where the image was turned."""
    image = Image.new(mode, size, "blue")
    image.paste("red", (0, 0, size[0] // 4, size[1] // 4))
    return image


def noise(size: tuple[int, int], sigma: float = 80) -> Image.Image:
    """Colour noise, which no encoder can compress much."""
    return Image.merge("RGB", [Image.effect_noise(size, sigma) for _ in range(3)])


def png_chunk(kind: bytes, body: bytes) -> bytes:
    """One PNG chunk with its checksum."""
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def png_header_only(width: int, height: int, depth: int = 8, colour: int = 2) -> bytes:
    """A PNG that claims a size in its header but holds a few bytes of pixels."""
    header = struct.pack(">IIBBBBB", width, height, depth, colour, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 64)
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", header)
        + png_chunk(b"IDAT", idat)
        + png_chunk(b"IEND", b"")
    )


def frames_png() -> bytes:
    frames = [Image.new("RGB", (40, 30), colour) for colour in ("red", "green", "blue")]
    return encode(frames[0], "PNG", save_all=True, append_images=frames[1:])
