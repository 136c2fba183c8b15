"""Photo processing on generated images of every kind the issue names: oriented, stripped,
reduced, thumbnailed, converted (CMYK, 16-bit, HEIC) or refused (not an image, truncated, bomb,
animated); and the job that stores the results once."""

from __future__ import annotations

import io
import struct
import zlib

import pypdf
import pytest
from PIL import Image, ImageCms, ImageOps
from sqlalchemy import func, select

from domain.file_checks import Refusal
from domain.files import StoredFile, storage_dir_for, store_bytes
from domain.photos import ANIMATED, PhotoRefused, process_photo
from domain.settings import Settings
from tasks import runtime
from tasks.photos import process_stored_photo, store_processed_photo
from tests.file_support import encode, marked, noise, png_chunk, png_header_only

MB = 1024 * 1024
GPS = 0x8825
ORIENTATION = 0x0112


def camera_exif(orientation: int) -> Image.Exif:
    """EXIF as a phone writes it: an orientation and a GPS position."""
    exif = Image.Exif()
    exif[ORIENTATION] = orientation
    exif.get_ifd(GPS).update({1: "N", 2: (25.0, 2.0, 3.0), 3: "E", 4: (121.0, 33.0, 4.0)})
    return exif


def opened(data: bytes) -> Image.Image:
    """A processed output, opened and decoded."""
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def refusal(data: bytes, **options) -> str:
    """The code a refused photo is refused with."""
    with pytest.raises(PhotoRefused) as caught:
        process_photo(data, **options)
    return caught.value.code


def test_phone_jpeg_is_turned_stripped_and_reduced():
    original = encode(marked((3000, 2000)), exif=camera_exif(6), quality=90)
    result = process_photo(original, long_edge=1024, thumb_edge=200)

    assert result.content_type == "image/jpeg"
    assert (result.width, result.height) == (683, 1024)  # orientation 6: stored sideways
    photo = opened(result.photo)
    assert photo.size == (683, 1024)
    exif = photo.getexif()
    assert GPS not in exif and ORIENTATION not in exif and len(exif) == 0
    assert "exif" not in photo.info
    # Where the marker is after our turn is where exif_transpose puts it.
    reference = ImageOps.exif_transpose(Image.open(io.BytesIO(original))).resize(photo.size)
    for corner in [(20, 20), (660, 20), (20, 1000), (660, 1000)]:
        expected, got = reference.getpixel(corner), photo.getpixel(corner)
        assert all(abs(a - b) < 40 for a, b in zip(expected, got, strict=True)), corner
    assert photo.getpixel((660, 20))[0] > 200  # red came to the top right
    thumb = opened(result.thumbnail)
    assert thumb.format == "JPEG" and max(thumb.size) == 200 and len(thumb.getexif()) == 0


@pytest.mark.parametrize("orientation", range(1, 9))
def test_every_orientation_matches_exif_transpose(orientation):
    original = encode(marked((400, 200)), exif=camera_exif(orientation))
    photo = opened(process_photo(original).photo)
    reference = ImageOps.exif_transpose(Image.open(io.BytesIO(original)))
    assert photo.size == reference.size
    width, height = photo.size
    for corner in [(5, 5), (width - 6, 5), (5, height - 6), (width - 6, height - 6)]:
        assert (photo.getpixel(corner)[0] > 128) == (reference.getpixel(corner)[0] > 128)


def test_small_photo_keeps_its_size_and_gets_a_thumbnail():
    result = process_photo(encode(marked((300, 200))), thumb_edge=120)
    assert (result.width, result.height) == (300, 200)
    assert opened(result.thumbnail).size == (120, 80)


def test_png_stays_png_with_its_transparency_and_without_metadata():
    image = marked((900, 600), "RGBA")
    image.putalpha(128)
    exif = camera_exif(1)
    result = process_photo(encode(image, "PNG", exif=exif), long_edge=450, thumb_edge=90)
    assert result.content_type == "image/png"
    photo = opened(result.photo)
    assert photo.format == "PNG" and photo.mode == "RGBA" and photo.size == (450, 300)
    assert photo.getpixel((300, 200))[3] == 128
    assert len(photo.getexif()) == 0
    assert opened(result.thumbnail).format == "PNG"


def test_palette_png_with_transparency_keeps_it():
    image = Image.new("P", (40, 30), 1)
    image.putpalette([255, 255, 255, 200, 0, 0])
    result = process_photo(encode(image, "PNG", transparency=0))
    assert opened(result.photo).mode == "RGBA"


def test_png_over_ten_megabytes_is_reduced_under_them_never_refused():
    original = encode(noise((2200, 2000)), "PNG", compress_level=1)
    assert len(original) > 10 * MB
    result = process_photo(original)
    assert result.content_type == "image/jpeg" and len(result.photo) <= 10 * MB
    assert opened(result.photo).size == (2048, 1862)


def test_jpeg_too_heavy_for_the_limit_loses_quality_then_size():
    result = process_photo(encode(noise((1200, 800)), quality=95), max_bytes=100_000)
    assert len(result.photo) <= 100_000
    assert opened(result.photo).size == (result.width, result.height)
    assert result.width < 1200


def test_transparent_png_over_the_limit_becomes_jpeg_on_white():
    image = noise((600, 400)).convert("RGBA")
    image.paste((0, 0, 0, 0), (0, 0, 100, 100))  # a fully transparent corner
    result = process_photo(encode(image, "PNG"), max_bytes=150_000)
    photo = opened(result.photo)
    assert result.content_type == "image/jpeg" and photo.mode == "RGB"
    assert len(result.photo) <= 150_000
    assert min(photo.getpixel((3, 3))) > 235  # white where it was transparent
    assert opened(result.thumbnail).format == "JPEG"


def test_srgb_profile_is_kept():
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    result = process_photo(encode(marked((300, 200)), icc_profile=srgb))
    assert opened(result.photo).info.get("icc_profile") == srgb


def test_cmyk_jpeg_is_converted_to_rgb():
    result = process_photo(encode(Image.new("CMYK", (300, 200), (0, 255, 255, 0))))
    photo = opened(result.photo)
    assert photo.mode == "RGB"
    red, green, blue = photo.getpixel((150, 100))
    assert red > 200 and green < 60 and blue < 60


def test_jpeg_stored_as_rgb_decodes():
    result = process_photo(encode(marked((3000, 2000)), keep_rgb=True), long_edge=500)
    assert opened(result.photo).getpixel((450, 300))[2] > 200


def test_greyscale_jpeg_stays_grey():
    result = process_photo(encode(marked((3000, 2000), "L")), long_edge=500)
    assert opened(result.photo).mode == "L"


def test_sixteen_bit_grey_png_is_scaled_to_eight_bits():
    image = Image.new("I;16", (64, 48), 40000)
    photo = opened(process_photo(encode(image, "PNG")).photo)
    assert photo.mode == "L" and photo.getpixel((10, 10)) == 155  # 40000 / 257, not clipped


def test_sixteen_bit_colour_png_is_converted():
    rows = b"".join(b"\x00" + b"\xff\xff\x80\x00\x00\x00" * 8 for _ in range(6))
    data = (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", struct.pack(">IIBBBBB", 8, 6, 16, 2, 0, 0, 0))
        + png_chunk(b"IDAT", zlib.compress(rows))
        + png_chunk(b"IEND", b"")
    )
    photo = opened(process_photo(data).photo)
    assert photo.mode == "RGB" and photo.getpixel((2, 2)) == (255, 128, 0)


def test_heic_is_converted_to_jpeg_with_its_orientation():
    exif = Image.Exif()
    exif[ORIENTATION] = 6
    result = process_photo(encode(marked((64, 32)), "HEIF", exif=exif.tobytes()))
    assert result.content_type == "image/jpeg"
    photo = opened(result.photo)
    assert photo.format == "JPEG" and photo.size == (32, 64) and len(photo.getexif()) == 0


@pytest.mark.parametrize("long_edge", [2048, 300])  # full-size decode, and draft at 1/8
def test_truncated_jpeg_is_refused(long_edge):
    whole = encode(noise((2400, 1600)), quality=90)
    assert refusal(whole[: len(whole) * 2 // 3], long_edge=long_edge) == Refusal.CORRUPT


def test_truncated_png_is_refused():
    whole = encode(noise((400, 300)), "PNG")
    assert refusal(whole[: len(whole) // 2]) == Refusal.CORRUPT


@pytest.mark.parametrize(
    "data", [b"just some text, not a photo\n" * 20, b"%PDF-1.7\n", b"GIF89a" + b"\x00" * 40]
)
def test_what_is_not_a_jpeg_png_or_heic_by_content_is_refused(data):
    assert refusal(data) == Refusal.NOT_ALLOWED_TYPE


def test_empty_file_is_refused():
    assert refusal(b"") == Refusal.EMPTY


def test_bomb_is_refused_before_decoding():
    # 64 megapixels: under Pillow's own limit, over ours. The pixels are missing, so a decode
    # would say "corrupt": "too many pixels" proves nothing was decoded.
    assert refusal(png_header_only(8000, 8000)) == Refusal.TOO_MANY_PIXELS


def test_bomb_over_pillows_own_limit_is_refused():
    assert refusal(png_header_only(30_000, 30_000)) == Refusal.TOO_MANY_PIXELS


def test_jpeg_bomb_is_refused():
    data = bytearray(encode(Image.new("RGB", (16, 16))))
    frame = data.index(b"\xff\xc0")
    data[frame + 5 : frame + 9] = struct.pack(">HH", 6000, 9000)  # height, width: 54 MP
    assert refusal(bytes(data)) == Refusal.TOO_MANY_PIXELS


def test_animated_png_is_refused():
    frames = [Image.new("RGB", (40, 30), colour) for colour in ("red", "green", "blue")]
    data = encode(frames[0], "PNG", save_all=True, append_images=frames[1:])
    assert refusal(data) == ANIMATED


def test_animated_gif_is_refused_as_not_jpg_or_png():
    frames = [Image.new("P", (40, 30), index) for index in range(3)]
    data = encode(frames[0], "GIF", save_all=True, append_images=frames[1:])
    assert refusal(data) == Refusal.NOT_ALLOWED_TYPE


# The job: results stored once, refusals answered, not raised.


@pytest.fixture
def storage(db, tmp_path):
    """The actors' database and this test's instance folder; returns the storage folder."""
    settings = Settings.from_env(env={"INSTANCE_PATH": str(tmp_path), "DATABASE_URL": db.url})
    previous = runtime.configure(db, settings)
    yield storage_dir_for(tmp_path)
    runtime.configure(*previous)


def stored(db, storage, data: bytes, name: str = "IMG_0001.jpg") -> int:
    """An upload stored the way the post form stores it; returns its id."""
    with db.transaction() as session:
        return store_bytes(session, storage, data, original_name=name, owner_account_id=None).id


def test_job_stores_photo_and_thumbnail_once(db, storage):
    source_id = stored(db, storage, encode(marked((3000, 2000)), exif=camera_exif(6)))
    first = process_stored_photo(source_id, 1024)
    second = process_stored_photo(source_id, 1024)
    assert first == second
    assert (first["width"], first["height"]) == (683, 1024)
    with db.transaction() as session:
        assert session.scalar(select(func.count()).select_from(StoredFile)) == 3
        photo = session.get(StoredFile, first["photo_file_id"])
        thumb = session.get(StoredFile, first["thumbnail_file_id"])
        assert photo.content_type == thumb.content_type == "image/jpeg"
        assert photo.download_name == "IMG_0001.jpg"
        assert opened(photo.read(storage)).size == (683, 1024)
        again = store_processed_photo(session, storage, session.get(StoredFile, source_id))
        assert again["photo_file_id"] not in (first["photo_file_id"], source_id)  # other size


def test_job_answers_a_refusal_without_raising(db, storage):
    writer = pypdf.PdfWriter()
    writer.add_blank_page(width=200, height=200)
    out = io.BytesIO()
    writer.write(out)
    source_id = stored(db, storage, out.getvalue(), "letter.pdf")
    assert process_stored_photo(source_id)["refused"] == Refusal.NOT_ALLOWED_TYPE
    assert process_stored_photo(source_id + 1000)["refused"] == "missing"


def test_job_runs_in_the_worker_and_twice_adds_nothing(db, storage, mail_worker):
    from tasks.worker import drain

    source_id = stored(db, storage, encode(marked((900, 600))))
    process_stored_photo.send(source_id, 600)
    process_stored_photo.send(source_id, 600)  # a redelivery
    drain()
    with db.transaction() as session:
        sizes = session.scalars(select(StoredFile.size).order_by(StoredFile.id)).all()
    assert len(sizes) == 3  # the upload, one photo, one thumbnail
