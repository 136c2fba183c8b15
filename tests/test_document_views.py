"""Staff openings of a family's proofs and photos are recorded and shown to the family by role
and facility; files are encrypted on disk and served decrypted."""

from __future__ import annotations

from sqlalchemy import select

from domain.document_views import DocumentView
from domain.file_crypto import MAGIC
from domain.file_store import blob_path
from domain.files import storage_dir_for
from domain.posts import Post
from tests.conftest import read
from tests.post_support import staff
from tests.privacy_support import ID_PROOF, build, stored


def test_staff_views_are_recorded_and_listed_for_the_family_without_names(app):
    world = build(app)
    proof = world.proof_ids[0]
    with world.family.get(f"/files/{proof}") as own:  # the family's own look: not recorded
        assert own.status_code == 200
    reviewer = staff(app, "reviewer", "dunpin")
    with reviewer.get(f"/files/{proof}") as response:
        assert response.status_code == 200
    [view] = read(app, select(DocumentView))
    assert (view.file_id, view.owner_account_id, view.viewer_role) == (
        proof,
        world.account_id,
        "reviewer",
    )
    assert view.kind == "id_document" and view.facility_id is not None
    page = world.family.get("/account").get_data(as_text=True)
    assert "Dunpin" in page or "敦品" in page
    assert "reviewer.dunpin" not in page  # staff are shown by role and facility, not by name


def test_a_post_photo_view_by_staff_is_recorded(app):
    world = build(app)
    [post] = read(app, select(Post).where(Post.id == world.post_id))
    with staff(app, "reviewer", "taichung").get(f"/files/{post.photo_file_id}") as response:
        assert response.status_code == 200
    [view] = read(app, select(DocumentView))
    assert view.kind == "post_photo" and view.owner_account_id == world.account_id


def test_files_are_encrypted_on_disk_and_served_decrypted(app):
    world = build(app)
    storage = storage_dir_for(app.extensions["settings"].instance_path)
    [proof] = stored(app, world.proof_ids[:1])
    on_disk = proof.path(storage).read_bytes()
    assert on_disk.startswith(MAGIC) and ID_PROOF not in on_disk and ID_PROOF[8:40] not in on_disk
    with world.family.get(f"/files/{proof.id}") as response:
        assert response.get_data() == ID_PROOF


def test_a_blob_stored_before_encryption_is_still_served(app):
    world = build(app)
    storage = storage_dir_for(app.extensions["settings"].instance_path)
    [proof] = stored(app, world.proof_ids[:1])
    blob_path(storage, proof.sha256).write_bytes(ID_PROOF)  # as the first release wrote it
    with world.family.get(f"/files/{proof.id}") as response:
        assert response.status_code == 200 and response.get_data() == ID_PROOF
