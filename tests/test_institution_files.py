"""The institution post's files: judged by content, refused beside the field with the text kept,
the photo re-encoded, and shown to the facility's families only once the post is published."""

from __future__ import annotations

import pytest

from domain.files import StoredFile
from tests.application_support import FAMILY, field_error, logged_in, seed
from tests.file_support import encode, frames_png, noise, pdf_bytes
from tests.institution_support import a_photo, decide, desk, institution_posts, task_of, write_post
from tests.post_support import give_book

BODY = "本所將於下月舉辦懇親活動"


def status(client, url: str) -> int:
    """The status of a file request, its body closed (send_file keeps the file open)."""
    with client.get(url) as response:
        return response.status_code


REFUSED = {
    "text named .jpg": ("photo", (b"just some text\n" * 20, "photo.jpg"), "JPG"),
    "pdf as the photo": ("photo", (pdf_bytes(), "photo.pdf"), "JPG"),
    "animated png": ("photo", (frames_png(), "moving.png"), "靜態"),
    "text named .pdf": ("attachment", (b"not a pdf at all\n" * 20, "notice.pdf"), "PDF"),
}


@pytest.mark.parametrize("kind", list(REFUSED))
def test_unusable_files_are_refused_beside_the_field_with_the_text_kept(app, kind):
    seed(app)
    admin, _supervisor = desk(app, "dunpin")
    field, upload, words = REFUSED[kind]
    response = write_post(admin, body=BODY, **{field: upload})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert words in field_error(page, field), field_error(page, field)
    assert BODY in page and institution_posts(app) == []


def test_a_photo_over_the_limit_is_refused_beside_the_field(app, monkeypatch):
    import forms.institution_fields

    monkeypatch.setattr(forms.institution_fields, "PHOTO_MAX_BYTES", 100 * 1024)
    seed(app)
    admin, _supervisor = desk(app, "dunpin")
    data = encode(noise((400, 300)), "PNG")
    assert len(data) > 100 * 1024
    response = write_post(admin, body=BODY, photo=(data, "big.png"))
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "MB" in field_error(page, "photo")
    assert BODY in page and institution_posts(app) == []


def test_files_are_shown_to_the_facilitys_families_once_published(app):
    seed(app)
    give_book(app, FAMILY[0], "dunpin-school", "1201")
    family = logged_in(app, *FAMILY)
    admin, supervisor = desk(app, "dunpin")
    response = write_post(admin, photo=a_photo(), attachment=(pdf_bytes(), "報名表.pdf"))
    assert response.status_code == 302
    [post] = institution_posts(app)
    photo, attachment = f"/files/{post.photo_file_id}", f"/files/{post.attachment_file_id}"
    database = app.extensions["db"]
    stored = database.session.get(StoredFile, post.attachment_file_id)
    assert stored.content_type == "application/pdf"
    database.remove()
    assert status(family, photo) == 404  # not yet published
    assert status(supervisor, photo) == 200  # decides with it in view
    assert decide(supervisor, task_of(app, "approve"), "approve").status_code == 302
    assert status(family, photo) == 200
    assert status(family, f"{attachment}?download=1") == 200
    page = family.get(f"/institution-book/{post.id}").get_data(as_text=True)
    assert photo in page and attachment in page
    taichung_admin, _ = desk(app, "taichung")
    assert status(taichung_admin, photo) == 404
