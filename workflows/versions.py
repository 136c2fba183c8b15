"""Deployed versions of the BPMN folder: stored once by content hash, parsed once per process.

Running instances keep the version they started on; new instances take the newest deployed
one. A file set that fails validation is never stored, so the last good version keeps serving.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from .clock import clock
from .errors import SpecInvalid
from .models import ProcessVersion
from .specs import ParsedVersion, content_hash, parse_version, read_folder
from .validation import validate_files

# How long the newest version's hash is trusted before it is read again. Each start asks for
# it, and a deploy by this process is seen at once; one by another process (the CLI, another
# worker) reaches this one's new instances within this time, as if it had come a moment later.
CURRENT_FOR_SECONDS = 10.0
# Session.info key set by deploy: that session may still roll its version back, so what it
# reads as current is not kept for others.
DEPLOYED_KEY = "familybook.deployed_version"


class VersionStore:
    """Deploys file sets and hands out parsed versions, cached by hash."""

    def __init__(self, operations: frozenset[str], form_keys: frozenset[str]):
        self.operations = operations
        self.form_keys = form_keys
        self._cache: dict[str, ParsedVersion] = {}
        self._lock = threading.Lock()
        self._current: tuple[str, float] | None = None  # (hash, monotonic time it was read)

    def validate(self, files: dict[str, str]) -> ParsedVersion:
        """Parse and lint a file set; raise SpecInvalid listing every problem."""
        version, problems = validate_files(files, self.operations, self.form_keys)
        if problems:
            raise SpecInvalid(problems)
        return version

    def deploy_folder(self, session: Session, folder: Path) -> ParsedVersion:
        """Validate the folder and make it the current version (stored once per content)."""
        return self.deploy(session, read_folder(folder))

    def deploy(self, session: Session, files: dict[str, str]) -> ParsedVersion:
        """Validate a file set and make it current; an unchanged set stores nothing new."""
        digest = content_hash(files)
        row = session.get(ProcessVersion, digest)
        version = self._cache.get(digest) or self.validate(files)
        if row is None:
            session.add(ProcessVersion(hash=digest, files=files, deployed_at=clock.now()))
        elif row.deployed_at < self._latest_deployed_at(session):
            row.deployed_at = clock.now()  # re-deploying an older set makes it current again
        session.flush()
        with self._lock:
            self._cache[digest] = version
            self._current = None
        session.info[DEPLOYED_KEY] = digest
        return version

    def current(self, session: Session) -> ParsedVersion:
        """The newest deployed version (its hash read at most every CURRENT_FOR_SECONDS)."""
        known, now = self._current, time.monotonic()
        if known is not None and now - known[1] < CURRENT_FOR_SECONDS:
            return self.get(session, known[0])
        digest = session.scalar(
            select(ProcessVersion.hash).order_by(ProcessVersion.deployed_at.desc()).limit(1)
        )
        if digest is None:
            raise LookupError("no BPMN version deployed yet: run `flask --app webapp bpmn deploy`")
        version = self.get(session, digest)
        if DEPLOYED_KEY not in session.info:
            self._current = (digest, now)
        return version

    def get(self, session: Session, digest: str) -> ParsedVersion:
        """A version by hash, parsed from its stored files the first time it is asked for."""
        cached = self._cache.get(digest)
        if cached is not None:
            return cached
        row = session.get(ProcessVersion, digest)
        if row is None:
            raise LookupError(f"unknown process version {digest[:12]}")
        version = parse_version(row.files)
        with self._lock:
            self._cache.setdefault(digest, version)
        return self._cache[digest]

    def _latest_deployed_at(self, session: Session):
        return session.scalar(
            select(ProcessVersion.deployed_at).order_by(ProcessVersion.deployed_at.desc()).limit(1)
        )
