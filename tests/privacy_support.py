"""The world of the personal-data tests: the demo family with a Dunpin application (two proofs,
in review) and a Taichung book with a post whose photo is prepared; another family's file."""

from __future__ import annotations

import io
from dataclasses import dataclass

from sqlalchemy import select

from domain.accounts import Account
from domain.applications import Application, ApplicationDocument
from domain.files import StoredFile, storage_dir_for, store_bytes
from tests.application_support import FAMILY, apply, logged_in, make_family, png, seed
from tests.post_support import give_book, posts, send_post

ID_PROOF, HOUSEHOLD_PROOF, PHOTO = png((1, 2, 3)), png((0, 90, 0)), png((10, 20, 200))
OTHER = "other.privacy@example.tw"


@dataclass
class PrivacyWorld:
    family: object  # the demo family's logged-in client
    account_id: int
    application_id: int
    proof_ids: list[int]
    post_id: int
    other_file: int


def build(app) -> PrivacyWorld:
    """Apply at Dunpin with proofs, post with a photo at Taichung; another family uploads."""
    from tasks.worker import drain

    seed(app)
    family = logged_in(app, *FAMILY)
    proofs = {
        "id_document": (ID_PROOF, "id.png"),
        "relationship_proof": (HOUSEHOLD_PROOF, "hh.png"),
    }
    assert apply(family, "dunpin-school", "1201", "parent", proofs).status_code == 302
    book = give_book(app, FAMILY[0], "taichung-detention", "0610")
    assert send_post(family, book, photo=(io.BytesIO(PHOTO), "kids.png")).status_code == 302
    app.extensions["db"].remove()
    drain()
    make_family(app, OTHER)
    database = app.extensions["db"]
    storage = storage_dir_for(app.extensions["settings"].instance_path)
    with database.transaction() as session:
        other = session.scalar(select(Account.id).where(Account.email == OTHER))
        other_file = store_bytes(
            session, storage, png((99, 99, 99)), original_name="x.png", owner_account_id=other
        ).id
        account_id = session.scalar(select(Account.id).where(Account.email == FAMILY[0]))
        application = session.scalar(
            select(Application).where(Application.account_id == account_id)
        )
        proof_ids = list(
            session.scalars(
                select(ApplicationDocument.file_id).where(
                    ApplicationDocument.application_id == application.id
                )
            )
        )
        application_id = application.id
    database.remove()
    [post] = posts(app)
    return PrivacyWorld(family, account_id, application_id, proof_ids, post.id, other_file)


def stored(app, file_ids) -> list[StoredFile]:
    database = app.extensions["db"]
    try:
        return list(database.session.scalars(select(StoredFile).where(StoredFile.id.in_(file_ids))))
    finally:
        database.remove()
