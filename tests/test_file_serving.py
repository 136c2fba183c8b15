"""`GET /files/<id>`: the owner sees their file with safe headers; everyone else gets 404."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from domain import file_access
from domain.accounts import Account, AccountStatus
from domain.demo import FAMILY_EMAIL, FAMILY_PASSWORD, STAFF_PASSWORD, seed_demo
from domain.files import StoredFile, register_file_access, storage_dir_for, store_bytes
from domain.passwords import hash_password
from tests.file_support import image_bytes, pdf_bytes
from tests.web_support import login
from workflows import Base

OTHER_EMAIL = "other.family@example.tw"
OTHER_PASSWORD = "Other-family-2026"
REVIEWER_EMAIL = "reviewer.taichung@example.tw"


def get(client, url: str, **kwargs):
    """GET and read the whole body, so the served file is closed (as a WSGI server does)."""
    return client.get(url, buffered=True, **kwargs)


@pytest.fixture(autouse=True)
def _files_table(db):
    """Until the migration for stored_file exists, create the table here."""
    Base.metadata.create_all(db.engine, tables=[StoredFile.__table__])


@pytest.fixture
def uploads(app):
    """Demo data, a second family, and files uploaded by the demo family: name -> (id, bytes)."""
    database = app.extensions["db"]
    storage = storage_dir_for(app.extensions["settings"].instance_path)
    contents = {"photo.png": image_bytes("PNG"), "身分證.pdf": pdf_bytes()}
    with database.transaction() as session:
        seed_demo(session)
        session.add(
            Account(
                email=OTHER_EMAIL,
                name="陳美玲",
                password_hash=hash_password(OTHER_PASSWORD),
                role="family",
                status=AccountStatus.ACTIVE,
            )
        )
        owner = session.scalar(select(Account.id).where(Account.email == FAMILY_EMAIL))
        files = {
            name: (
                store_bytes(session, storage, data, original_name=name, owner_account_id=owner).id,
                data,
            )
            for name, data in contents.items()
        }
    database.remove()
    return files


def test_owner_sees_the_file_inline_with_safe_headers(client, uploads):
    file_id, data = uploads["photo.png"]
    login(client, FAMILY_EMAIL, FAMILY_PASSWORD)
    response = get(client, f"/files/{file_id}")
    assert response.status_code == 200 and response.data == data
    assert response.mimetype == "image/png"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Cache-Control"] == "private, max-age=300"
    assert response.headers["Content-Disposition"] == (
        "inline; filename=\"photo.png\"; filename*=UTF-8''photo.png"
    )
    download = get(client, f"/files/{file_id}?download=1")
    assert download.headers["Content-Disposition"].startswith('attachment; filename="photo.png"')


def test_pdfs_are_sandboxed_and_unicode_names_survive(client, uploads):
    file_id, data = uploads["身分證.pdf"]
    login(client, FAMILY_EMAIL, FAMILY_PASSWORD)
    response = get(client, f"/files/{file_id}")
    assert response.status_code == 200 and response.data == data
    assert response.mimetype == "application/pdf"
    assert response.headers["Content-Security-Policy"].startswith("sandbox")
    assert response.headers["Content-Disposition"] == (
        "inline; filename=\"file.pdf\"; filename*=UTF-8''%E8%BA%AB%E5%88%86%E8%AD%89.pdf"
    )


def test_a_second_request_is_answered_from_the_browser_cache(client, uploads):
    file_id, _data = uploads["photo.png"]
    login(client, FAMILY_EMAIL, FAMILY_PASSWORD)
    etag = get(client, f"/files/{file_id}").headers["ETag"]
    again = get(client, f"/files/{file_id}", headers={"If-None-Match": etag})
    assert again.status_code == 304


@pytest.mark.parametrize(
    "who",
    [None, (OTHER_EMAIL, OTHER_PASSWORD), (REVIEWER_EMAIL, STAFF_PASSWORD)],
    ids=["anonymous", "another family", "staff without a policy"],
)
def test_anyone_but_the_owner_gets_404(client, uploads, who):
    if who:
        assert login(client, *who).status_code == 302
    for file_id, _data in uploads.values():
        assert get(client, f"/files/{file_id}").status_code == 404
        assert get(client, f"/files/{file_id}?download=1").status_code == 404


def test_unknown_id_and_missing_content_are_404(app, client, uploads):
    login(client, FAMILY_EMAIL, FAMILY_PASSWORD)
    assert get(client, "/files/999999").status_code == 404
    assert get(client, "/files/abc").status_code == 404
    file_id, _data = uploads["photo.png"]
    database = app.extensions["db"]
    stored = database.session.get(StoredFile, file_id)
    stored.path(storage_dir_for(app.extensions["settings"].instance_path)).unlink()
    database.remove()
    assert get(client, f"/files/{file_id}").status_code == 404


def test_a_feature_policy_lets_its_staff_see_files(client, uploads, monkeypatch):
    monkeypatch.setattr(file_access, "_policies", list(file_access._policies))

    @register_file_access
    def reviewers_see_everything(_session, _file_id, viewer):
        return True if "reviewer" in viewer.roles else None

    file_id, data = uploads["photo.png"]
    login(client, REVIEWER_EMAIL, STAFF_PASSWORD)
    response = get(client, f"/files/{file_id}")
    assert response.status_code == 200 and response.data == data
