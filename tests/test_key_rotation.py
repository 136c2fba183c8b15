"""`rotate-keys`: national IDs and files move to the new key in resumable batches; old and new
keys both read meanwhile, and finding an account by its ID keeps working."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from domain import crypto, file_crypto
from domain.accounts import Account, AccountStatus, find_by_national_id
from domain.file_store import blob_path
from domain.files import StoredFile, storage_dir_for, store_bytes
from domain.key_rotation import KeyRotation
from domain.settings import Settings
from tests.application_support import png
from tests.conftest import read

IDS = ["A123456789", "F224681354", "B142943985"]


def make_app(db, tmp_path, **keys):
    from webapp import create_app

    env = {
        "INSTANCE_PATH": str(tmp_path),
        "DATABASE_URL": db.url,
        "TICK_SECONDS": "0",
        "BASE_URL": "http://localhost",
        **keys,
    }
    return create_app(Settings.from_env(env=env), TESTING=True, START_BACKGROUND=False)


@pytest.fixture
def old_world(db, tmp_path, mail_worker):
    """Three accounts with IDs and three files (one written before encryption), under key A."""
    app = make_app(db, tmp_path, ID_ENCRYPTION_KEY="id-key-A", FILE_ENCRYPTION_KEY="file-key-A")
    database = app.extensions["db"]
    storage = storage_dir_for(tmp_path)
    contents = [png((n, n, n)) for n in (10, 20, 30)]
    with database.transaction() as session:
        for n, number in enumerate(IDS):
            session.add(
                Account(
                    email=f"f{n}@example.tw",
                    name="家屬",
                    role="family",
                    password_hash="x",
                    status=AccountStatus.ACTIVE,
                    national_id_encrypted=crypto.encrypt_id(number),
                    national_id_hash=crypto.id_lookup_hash(number),
                )
            )
        files = [
            store_bytes(session, storage, data, original_name="p.png", owner_account_id=None)
            for data in contents
        ]
        hashes = [f.sha256 for f in files]
    database.remove()
    blob_path(storage, hashes[0]).write_bytes(contents[0])  # as the first release wrote it
    app.extensions["db"].dispose()
    return storage, dict(zip(hashes, contents, strict=True))


def tokens(app) -> list[str]:
    return read(app, select(Account.national_id_encrypted).order_by(Account.id))


def test_rotation_is_resumable_and_both_keys_read_meanwhile(db, tmp_path, old_world, caplog):
    storage, contents = old_world
    old_id_key = crypto.current_key_id()
    app = make_app(
        db,
        tmp_path,
        ID_ENCRYPTION_KEY="id-key-B",
        ID_ENCRYPTION_OLD_KEYS="id-key-A",
        FILE_ENCRYPTION_KEY="file-key-B",
        FILE_ENCRYPTION_OLD_KEYS="file-key-A",
    )
    new_id_key, new_file_key = crypto.current_key_id(), file_crypto.current_key_id()
    assert new_id_key != old_id_key
    runner = app.test_cli_runner()
    caplog.set_level("DEBUG")

    result = runner.invoke(args=["rotate-keys", "--batch-size", "1", "--max-batches", "1"])
    assert result.exit_code == 0, result.output
    assert "paused" in result.output and "A123456789" not in result.output
    assert [crypto.token_key_id(t) for t in tokens(app)] == [new_id_key, old_id_key, old_id_key]
    assert [crypto.decrypt_id(t) for t in tokens(app)] == IDS  # old and new keys both read
    database = app.extensions["db"]
    try:
        for number in IDS:  # the look-up hash does not rotate: every account is still found
            assert find_by_national_id(database.session, number) is not None
        for stored in database.session.scalars(select(StoredFile)):
            assert stored.read(storage) == contents[stored.sha256]
    finally:
        database.remove()

    result = runner.invoke(args=["rotate-keys", "--batch-size", "1"])
    assert result.exit_code == 0 and result.output.count("done") == 2, result.output
    progress = read(app, select(KeyRotation).order_by(KeyRotation.kind))
    assert {(p.kind, p.target_key_id) for p in progress} == {
        ("national_id", new_id_key),
        ("files", new_file_key),
    }
    assert all(p.finished_at is not None for p in progress)
    assert {p.kind: p.rewritten for p in progress} == {"national_id": 3, "files": 3}
    app.extensions["db"].dispose()
    logged = caplog.text + result.output
    for secret in (*IDS, "id-key-A", "id-key-B", "file-key-A", "file-key-B"):
        assert secret not in logged  # no ID number and no key in logs or output

    # Without the old keys everything still reads: nothing was left under them.
    app = make_app(db, tmp_path, ID_ENCRYPTION_KEY="id-key-B", FILE_ENCRYPTION_KEY="file-key-B")
    assert [crypto.decrypt_id(t) for t in tokens(app)] == IDS
    for sha256, data in contents.items():
        blob = blob_path(storage, sha256).read_bytes()
        assert file_crypto.blob_key_id(blob[:64]) == new_file_key and data not in blob
        assert file_crypto.open_blob(blob, sha256) == data
    before = tokens(app)
    result = app.test_cli_runner().invoke(args=["rotate-keys"])  # again: already done
    assert result.output.count("3 re-encrypted, done") == 2 and tokens(app) == before
    app.extensions["db"].dispose()
