"""Erasing a file reaches every column of the schema that points at it (file_references)."""

from __future__ import annotations

from sqlalchemy import select

from domain.accounts import Account, Facility
from domain.file_erasure import erase_files
from domain.file_store import blob_path
from domain.files import StoredFile, storage_dir_for, store_bytes
from domain.institution_posts import InstitutionPost, InstitutionPostStatus, month_of
from tests.application_support import png, seed
from workflows import clock


def test_erasing_an_institution_posts_files_clears_its_columns_and_removes_the_content(app):
    seed(app)
    database = app.extensions["db"]
    storage = storage_dir_for(app.extensions["settings"].instance_path)
    now = clock.now()
    with database.transaction() as session:
        admin = session.scalar(select(Account).where(Account.email == "admin.taichung@example.tw"))
        facility = session.scalar(select(Facility).where(Facility.code == "taichung-detention"))
        photo, attachment = (
            store_bytes(
                session, storage, png(colour), original_name=name, owner_account_id=admin.id
            )
            for colour, name in (((3, 3, 3), "event.png"), ((4, 4, 4), "menu.png"))
        )
        post = InstitutionPost(
            facility_id=facility.id,
            author_id=admin.id,
            title="機關聯絡簿",
            body="內容",
            photo_file_id=photo.id,
            attachment_file_id=attachment.id,
            status=InstitutionPostStatus.PUBLISHED,
            submitted_at=now,
            published_at=now,
            published_month=month_of(now),
        )
        session.add(post)
        session.flush()
        post_id, file_ids = post.id, [photo.id, attachment.id]
        blobs = [blob_path(storage, f.sha256) for f in (photo, attachment)]
        assert all(path.exists() for path in blobs)
        assert erase_files(session, storage, file_ids) == 2
        assert (post.photo_file_id, post.attachment_file_id) == (None, None)  # the loaded row too
    database.remove()
    session = database.session
    post = session.get(InstitutionPost, post_id)
    assert (post.photo_file_id, post.attachment_file_id) == (None, None)
    assert session.scalar(select(StoredFile.id).where(StoredFile.id.in_(file_ids))) is None
    assert not any(path.exists() for path in blobs)
    database.remove()
