"""The family's download of all its data: one zip with `data.json` and its files, decrypted.

Built in a temporary file (never whole in memory: proofs and photos add up), which the caller
streams and then closes (a temporary file disappears when closed). Only `personal_data`
decides what is in it, so it holds this family's rows and files and nobody else's.
"""

from __future__ import annotations

import json
import tempfile
import zipfile
from pathlib import Path
from typing import IO

from sqlalchemy.orm import Session

from workflows.clock import clock

from .accounts import Account
from .files import read_or_none
from .personal_data import collect, files_of

DATA_NAME = "data.json"


def file_entry_name(stored) -> str:
    """The name of a file inside the zip: its id (unique) and the name it was sent with."""
    return f"files/{stored.id}-{stored.download_name}"


def build_export(session: Session, storage_dir: Path, account: Account) -> IO[bytes]:
    """A temporary file holding the zip, positioned at its start."""
    data = collect(session, account)
    data["exported_at"] = clock.now().isoformat()
    out = tempfile.TemporaryFile()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for stored in files_of(session, account):
            content = read_or_none(stored, storage_dir)
            if content is not None:
                archive.writestr(file_entry_name(stored), content)
        archive.writestr(DATA_NAME, json.dumps(data, ensure_ascii=False, indent=2))
    out.seek(0)
    return out
