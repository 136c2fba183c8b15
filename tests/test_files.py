"""Uploaded files: type decided by content, refusals, storage once on disk, access policies,
and the upload field that puts a refusal beside itself."""

from __future__ import annotations

import io
import os
import struct
import time
import warnings
import zlib

import pytest
from flask_wtf import FlaskForm
from PIL import Image
from sqlalchemy import select
from werkzeug.datastructures import FileStorage, MultiDict
from wtforms import StringField

from domain import file_access
from domain.accounts import Account
from domain.file_checks import Checked, FileRefused, check_upload, checked_upload
from domain.files import (
    StoredFile,
    blob_path,
    may_view,
    register_file_access,
    storage_dir_for,
    store_bytes,
    store_upload,
    sweep_orphans,
)
from forms.fields import ProofFileField, total_size_error
from tests.file_support import image_bytes, pdf_bytes
from workflows import Actor, Base

MB = 1024 * 1024


@pytest.fixture(autouse=True)
def _files_table(db):
    """Until the migration for stored_file exists, create the table here."""
    Base.metadata.create_all(db.engine, tables=[StoredFile.__table__])


def png_claiming(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims the given dimensions (a decompression bomb's header)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    body = chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b"")
    return b"\x89PNG\r\n\x1a\n" + body


def refusal(data) -> str:
    with pytest.raises(FileRefused) as refused:
        check_upload(data, 10 * MB)
    return refused.value.code


@pytest.fixture
def owner(db):
    """A family account to own uploads."""
    with db.transaction() as session:
        account = Account(email="owner@example.tw", name="王小明", password_hash="x", role="family")
        session.add(account)
    db.remove()
    return account.id


def test_jpeg_png_and_pdf_are_accepted_with_their_type():
    assert check_upload(image_bytes("JPEG")) == "image/jpeg"
    assert check_upload(image_bytes("PNG")) == "image/png"
    assert check_upload(pdf_bytes(pages=2)) == "application/pdf"
    assert check_upload(io.BytesIO(image_bytes("PNG"))) == "image/png"


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"", "empty"),
        (b"hello, I am plain text pretending to be a photo", "not_allowed_type"),
        (b"GIF89a" + image_bytes("PNG"), "not_allowed_type"),
        (image_bytes("JPEG", (400, 300))[:-300], "corrupt"),
        (image_bytes("PNG")[:-30], "corrupt"),
        (b"\xff\xd8\xff\xe0 not really a jpeg", "corrupt"),
        (pdf_bytes()[:-40], "corrupt"),
        (b"%PDF-1.4\nnot a pdf at all\n%%EOF\n", "corrupt"),
        (pdf_bytes(pages=0), "corrupt"),
        (pdf_bytes(password="secret"), "encrypted"),
        (pdf_bytes(password=""), "encrypted"),
        (png_claiming(100_000, 100_000), "too_many_pixels"),
    ],
    ids=lambda value: value if isinstance(value, str) else None,
)
def test_bad_files_are_refused_with_a_reason(data, code):
    assert refusal(data) == code


def test_a_png_with_a_damaged_checksum_is_corrupt():
    data = bytearray(image_bytes("PNG"))
    data[29] ^= 0xFF  # the IHDR checksum
    assert refusal(bytes(data)) == "corrupt"


def noisy_jpeg() -> bytes:
    """A JPEG whose compressed data fills most of the file (noise does not compress)."""
    out = io.BytesIO()
    Image.effect_noise((800, 600), 40).convert("RGB").save(out, "JPEG", quality=85)
    return out.getvalue()


@pytest.mark.parametrize("cut", [2, 100], ids=["end marker missing", "last scan bytes missing"])
def test_a_jpeg_cut_short_is_corrupt_though_checked_at_reduced_scale(cut):
    assert refusal(noisy_jpeg()[:-cut]) == "corrupt"


def test_a_jpeg_with_garbage_in_its_compressed_data_is_corrupt():
    data = bytearray(noisy_jpeg())
    middle = len(data) // 2
    data[middle : middle + 2000] = bytes(0 if i % 7 == 0 else 0xFF for i in range(2000))
    assert refusal(bytes(data)) == "corrupt"


def test_over_the_limit_is_refused_before_decoding():
    big = b"\xff\xd8\xff" + bytes(10 * MB)
    assert refusal(big) == "too_large"
    stream = io.BytesIO(big)
    assert refusal(stream) == "too_large"
    assert stream.tell() == 10 * MB + 1  # read no further than needed to know
    with pytest.raises(FileRefused) as refused:
        check_upload(image_bytes("PNG"), max_bytes=50)
    assert refused.value.code == "too_large"


@pytest.mark.parametrize("limit", [1000, 700])  # 1200 pixels: over the limit, or over twice
def test_images_over_pillows_pixel_limit_are_refused(monkeypatch, limit):
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", limit)
    data = image_bytes("PNG", (40, 30))
    assert refusal(data) == "too_many_pixels"
    # Outside the tests the warning is not an error: the size check refuses it all the same.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        assert refusal(data) == "too_many_pixels"


def test_type_comes_from_content_not_from_the_name(db, tmp_path, owner):
    upload = FileStorage(io.BytesIO(image_bytes("PNG")), filename="x.pdf")
    stored = store_upload(db.session, tmp_path, upload, owner_account_id=owner)
    assert stored.content_type == "image/png"
    assert stored.original_name == "x.pdf" and stored.download_name == "x.png"
    text = FileStorage(io.BytesIO(b"just text"), filename="x.jpg")
    with pytest.raises(FileRefused) as refused:
        store_upload(db.session, tmp_path, text, owner_account_id=owner)
    assert refused.value.code == "not_allowed_type"
    db.session.rollback()


def test_same_content_is_written_once_but_each_upload_has_its_row(db, tmp_path, owner):
    storage = storage_dir_for(tmp_path)
    data = image_bytes("JPEG")
    with db.transaction() as session:
        first = store_bytes(session, storage, data, original_name="a.jpg", owner_account_id=owner)
        second = store_bytes(session, storage, data, original_name="b.jpg", owner_account_id=owner)
    db.remove()
    assert first.id != second.id and first.sha256 == second.sha256
    path = blob_path(storage, first.sha256)
    assert path == storage / first.sha256[:2] / first.sha256
    assert first.read(storage) == data and first.size == len(data)
    assert data not in path.read_bytes()  # encrypted at rest
    assert [p for p in storage.rglob("*") if p.is_file()] == [path]  # no temporary file left
    rows = db.session.scalars(select(StoredFile).order_by(StoredFile.id)).all()
    assert [r.original_name for r in rows] == ["a.jpg", "b.jpg"]
    db.remove()


def test_content_a_form_already_checked_is_stored_without_decoding_it_again(
    db, tmp_path, owner, monkeypatch
):
    import domain.files

    storage, data = storage_dir_for(tmp_path), image_bytes("JPEG")
    verdict = checked_upload(data, 10 * MB)
    assert verdict == Checked(data, "image/jpeg")
    decoded = []
    monkeypatch.setattr(domain.files, "check_upload", lambda *a: decoded.append(a) or "x")
    with db.transaction() as session:
        row = store_bytes(session, storage, verdict, original_name="a.jpg", owner_account_id=owner)
        with pytest.raises(FileRefused) as refused:  # the size limit still holds
            store_bytes(
                session, storage, verdict, original_name="a", owner_account_id=owner, max_bytes=10
            )
    db.remove()
    assert decoded == [] and refused.value.code == "too_large"
    assert (row.content_type, row.read(storage)) == ("image/jpeg", data)


def test_names_are_kept_for_display_only(db, tmp_path, owner):
    upload = FileStorage(io.BytesIO(pdf_bytes()), filename="..\\../etc/身分證\x00.pdf")
    stored = store_upload(db.session, tmp_path, upload, owner_account_id=owner)
    assert stored.original_name == "身分證.pdf"
    assert blob_path(tmp_path, stored.sha256).is_file()
    db.session.rollback()


def test_sweep_deletes_old_content_without_a_row(db, tmp_path, owner):
    kept = store_bytes(
        db.session, tmp_path, image_bytes("PNG"), original_name="k.png", owner_account_id=owner
    )
    db.session.commit()
    orphan = store_bytes(
        db.session, tmp_path, image_bytes("JPEG"), original_name="o.jpg", owner_account_id=owner
    )
    db.session.rollback()  # the request failed: its row is gone, its content is not yet
    orphan_path, kept_path = blob_path(tmp_path, orphan.sha256), blob_path(tmp_path, kept.sha256)
    assert sweep_orphans(db.session, tmp_path) == 0  # too young: a commit may still be coming
    hours_ago = time.time() - 2 * 3600
    for path in (orphan_path, kept_path):
        os.utime(path, (hours_ago, hours_ago))
    assert sweep_orphans(db.session, tmp_path) == 1
    assert kept_path.is_file() and not orphan_path.exists()
    db.remove()


def test_the_owner_may_view_and_others_only_when_a_policy_grants(db, tmp_path, owner, monkeypatch):
    monkeypatch.setattr(file_access, "_policies", list(file_access._policies))
    stored = store_bytes(
        db.session, tmp_path, image_bytes(), original_name="p.png", owner_account_id=owner
    )
    reviewer = Actor(account_id=owner + 1, roles=frozenset({"reviewer"}), facility_id=1)
    assert may_view(db.session, stored.id, Actor(account_id=owner, roles=frozenset({"family"})))
    assert not may_view(db.session, stored.id, reviewer)
    assert not may_view(db.session, stored.id, Actor(roles=frozenset({"family"}), session_key="v"))

    @register_file_access
    def reviewers_of_facility_1(_session, _file_id, viewer):
        return True if viewer.facility_id == 1 else None

    assert may_view(db.session, stored.id, reviewer)
    register_file_access(reviewers_of_facility_1)  # registering twice changes nothing
    assert file_access._policies.count(reviewers_of_facility_1) == 1
    db.session.rollback()


class ProofForm(FlaskForm):
    class Meta:
        csrf = False

    note = StringField("Note")
    photo = ProofFileField("Photo", required=True)
    document = ProofFileField("Document")


def posted_form(app, **files) -> ProofForm:
    """Validate a ProofForm as if posted with a note and these (name, bytes) files."""
    data = MultiDict({"note": "kept text"})
    for field, (name, content) in files.items():
        data.add(field, FileStorage(io.BytesIO(content), filename=name))
    form = ProofForm(formdata=data)
    form.validate()
    return form


def test_refused_file_gets_a_message_beside_its_field_and_text_is_kept(app):
    with app.test_request_context():
        form = posted_form(app, photo=("x.jpg", b"plain text"), document=("d.pdf", pdf_bytes()))
        assert form.note.data == "kept text" and not form.document.errors
        assert form.document.content_type == "application/pdf"
        [message] = form.photo.errors
        assert "JPG、PNG 或 PDF" in str(message)
        assert form.document.data.stream.tell() == 0  # rewound, ready to be stored
        html = form.photo()
        assert 'type="file"' in html and 'accept="image/jpeg' in html


def test_required_proof_must_be_chosen_and_optional_may_be_left_out(app):
    with app.test_request_context():
        form = posted_form(app)
        assert form.photo.errors and not form.document.errors
        assert str(form.photo.errors[0]) == "請選擇要上傳的檔案。"
        assert posted_form(app, photo=("p.png", image_bytes())).validate()


def test_total_size_of_the_files_is_limited(app):
    with app.test_request_context():
        form = posted_form(app, photo=("p.png", image_bytes()), document=("d.pdf", pdf_bytes()))
        fields = [form.photo, form.document]
        assert total_size_error(fields) is None
        total = form.photo.data.stream.seek(0, 2) + form.document.data.stream.seek(0, 2)
        assert "合計超過" in str(total_size_error(fields, max_bytes=total - 1))
        assert form.photo.data.stream.seek(0) == 0
