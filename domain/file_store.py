"""The content-addressed store on disk behind `domain.files`.

Content lives outside the web root at `<instance>/files/<sha[:2]>/<sha>`: a path made only of
the content's SHA-256, so nothing an uploader sends (a name, a type) ever becomes part of a path,
and the same content is written once however often it is uploaded. The bytes on disk are
encrypted (domain.file_crypto); the name stays the hash of the plain content.
"""

from __future__ import annotations

import os
import tempfile
from datetime import timedelta
from pathlib import Path

from workflows.clock import clock

from . import file_crypto

STORAGE_FOLDER = "files"  # under the instance folder, never under static/
TEMPORARY_PREFIX = ".upload-"
HEX = frozenset("0123456789abcdef")


def storage_dir_for(instance_path: Path | str) -> Path:
    """The folder holding uploaded content for an instance folder."""
    return Path(instance_path) / STORAGE_FOLDER


def blob_path(storage_dir: Path, sha256: str) -> Path:
    """Where the content with this hash lives (the hash is checked: it becomes a path)."""
    if len(sha256) != 64 or not HEX.issuperset(sha256):
        raise ValueError("not a SHA-256 hex digest")
    return storage_dir / sha256[:2] / sha256


def _sealed_exists(path: Path) -> bool:
    """True when an encrypted copy is already there (a plain one from before is replaced)."""
    try:
        with path.open("rb") as existing:
            return file_crypto.blob_key_id(existing.read(64)) is not None
    except FileNotFoundError:
        return False


def write_blob(path: Path, data: bytes) -> None:
    """Encrypt and write the content atomically (temporary file, then rename) unless there.

    Readers never see a half-written file, and two requests writing the same content at once
    both succeed: each renames a complete copy over the same name.
    """
    if _sealed_exists(path):
        return
    replace_blob(path, file_crypto.seal(data, path.name))


def read_blob(path: Path) -> bytes:
    """The plain content stored at `path` (decrypted; FileNotFoundError when missing)."""
    return file_crypto.open_blob(path.read_bytes(), path.name)


def replace_blob(path: Path, blob: bytes) -> None:
    """Put `blob` (already sealed) at `path` atomically."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=TEMPORARY_PREFIX)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(blob)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def stale_blobs(storage_dir: Path, grace: timedelta) -> list[Path]:
    """Stored files (and left-over temporary files) last written more than `grace` ago."""
    cutoff = clock.now().timestamp() - grace.total_seconds()
    return [p for p in storage_dir.glob("??/*") if p.is_file() and p.stat().st_mtime < cutoff]
