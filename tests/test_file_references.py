"""The columns that file an upload are read from the schema: today's, and any table added later."""

from __future__ import annotations

import importlib
import pkgutil
from datetime import timedelta

from sqlalchemy import Column, ForeignKey, Integer, Table, inspect, select

import domain
import workflows
from domain.file_references import referencing_columns
from domain.files import StoredFile, store_bytes
from domain.tables import TABLE_MODULES
from domain.upload_retention import expire_unfiled_uploads
from tests.application_support import png
from workflows import clock
from workflows.db import Base

# Written out by hand: a new reference must show up here, or this test says what changed.
TODAYS_REFERENCES = {
    ("application_document", "file_id"),
    ("inmate_reply", "scan_file_id"),
    ("institution_post", "attachment_file_id"),
    ("institution_post", "photo_file_id"),
    ("post", "attachment_file_id"),
    ("post", "photo_file_id"),
    ("post", "thumbnail_file_id"),
    ("post", "upload_file_id"),
}


def names(columns) -> set[tuple[str, str]]:
    return {(column.table.name, column.name) for column in columns}


def test_the_referencing_columns_are_every_foreign_key_to_stored_file(db):
    assert names(referencing_columns()) == TODAYS_REFERENCES
    schema = inspect(db.engine)  # the database the migrations built
    in_database = {
        (table, column)
        for table in schema.get_table_names()
        for key in schema.get_foreign_keys(table)
        if key["referred_table"] == "stored_file"
        for column in key["constrained_columns"]
    }
    assert in_database == TODAYS_REFERENCES


def test_every_referencing_column_is_indexed():
    """The retention asks each of them about every old file, and deleting a file row makes the
    database look in each: without an index, every look-up reads the whole table."""
    unindexed = [
        (column.table.name, column.name)
        for column in referencing_columns()
        if not any(list(index.columns)[0] is column for index in column.table.indexes)
    ]
    assert unindexed == []


def test_a_table_added_later_keeps_the_files_it_refers_to(db, tmp_path):
    probe = Table(
        "retention_probe",
        Base.metadata,
        Column("id", Integer, primary_key=True),
        Column("kept_file_id", ForeignKey("stored_file.id"), index=True),
    )
    try:
        probe.create(db.engine)
        assert ("retention_probe", "kept_file_id") in names(referencing_columns())
        with db.transaction() as session:
            referred, alone = (
                store_bytes(session, tmp_path, png(c), original_name="", owner_account_id=None).id
                for c in ((1, 2, 3), (4, 5, 6))
            )
            session.execute(probe.insert().values(kept_file_id=referred))
        clock.advance(timedelta(days=31))
        with db.transaction() as session:
            assert expire_unfiled_uploads(session, tmp_path, 30) == 1
        assert db.session.scalars(select(StoredFile.id)).all() == [referred]
        db.remove()
    finally:
        db.remove()
        probe.drop(db.engine)
        Base.metadata.remove(probe)


def test_every_module_defining_a_table_is_loaded_with_the_schema():
    for package in (domain, workflows):
        for module in pkgutil.walk_packages(package.__path__, f"{package.__name__}."):
            importlib.import_module(module.name)
    defining = {mapper.class_.__module__ for mapper in Base.registry.mappers}
    assert defining <= set(TABLE_MODULES), sorted(defining - set(TABLE_MODULES))
    mapped = {mapper.local_table.name for mapper in Base.registry.mappers}
    assert set(Base.metadata.tables) <= mapped  # no table made without a mapped class
