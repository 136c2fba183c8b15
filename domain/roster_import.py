"""Importing a roster file: an idempotent upsert keyed by (facility code, call number).

The whole file is checked first (domain.roster_csv); only a file without a bad line is written,
in the caller's one transaction. For each person of the file the name and flags are updated and
their restrictions become exactly the file's set, so importing the same file twice changes
nothing. That drops restrictions entered on the admin page for anyone the file lists, so the
summary names each one removed (or replaced), per person by call number, for the report.
People not in the file are left as they are: a file may cover one facility, or a few people.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from .accounts import Facility
from .roster import Inmate, Restriction
from .roster_csv import InmateRecord, LineError, RosterFileInvalid, parse_roster

__all__ = ["ImportSummary", "LineError", "RosterFileInvalid", "decode", "import_roster"]


@dataclass(frozen=True)
class RestrictionChange:
    """One person's restrictions the import removed, and those it put in their place."""

    facility: str
    call_number: str
    removed: tuple[str, ...]
    added: tuple[str, ...] = ()

    def __str__(self) -> str:
        person = f"{self.facility} {self.call_number}"
        if self.added:
            return f"{person}: replaced {'; '.join(self.removed)} with {'; '.join(self.added)}"
        return f"{person}: removed {'; '.join(self.removed)}"


@dataclass
class ImportSummary:
    """What an import changed: people created or updated, restriction rows added or removed,
    and whose restrictions were removed (`changes`, one per person)."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    restrictions_added: int = 0
    restrictions_removed: int = 0
    changes: list[RestrictionChange] = field(default_factory=list)

    def __str__(self) -> str:
        return (
            f"created {self.created}, updated {self.updated}, unchanged {self.unchanged}; "
            f"restrictions {self.restrictions_added} added, {self.restrictions_removed} removed"
        )


def decode(data: bytes) -> str:
    """The file's text; a file that is not UTF-8 is refused at the line of the first bad byte."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        reason = "not UTF-8 text (save the file as CSV UTF-8)"
        raise RosterFileInvalid([LineError(line, reason)]) from None


def import_roster(session: Session, data: bytes) -> ImportSummary:
    """Check the whole file, then write it; RosterFileInvalid (nothing written) on any bad line.

    Flushes, never commits: the caller's transaction makes the import all or nothing.
    """
    facilities = {f.code: f.id for f in session.scalars(select(Facility))}
    records = parse_roster(decode(data), facilities)
    existing = _existing(session, {facilities[r.facility] for r in records})
    summary = ImportSummary()
    for record in records:
        facility_id = facilities[record.facility]
        inmate = existing.get((facility_id, record.call_number))
        if inmate is None:
            inmate = Inmate(facility_id=facility_id, call_number=record.call_number)
            session.add(inmate)
            summary.created += 1
            _update(inmate, record, summary)
        elif _update(inmate, record, summary):
            summary.updated += 1
        else:
            summary.unchanged += 1
    session.flush()
    return summary


def _existing(session: Session, facility_ids: set[int]) -> dict[tuple[int, str], Inmate]:
    """The rosters of the file's facilities with their restrictions, in two queries."""
    inmates = session.scalars(
        select(Inmate)
        .where(Inmate.facility_id.in_(facility_ids))
        .options(selectinload(Inmate.restrictions))
    )
    return {(inmate.facility_id, inmate.call_number): inmate for inmate in inmates}


def _update(inmate: Inmate, record: InmateRecord, summary: ImportSummary) -> bool:
    """Make the person's columns and restrictions the file's; True if anything changed."""
    wanted = (record.name, record.juvenile, record.children_under_18)
    changed = (inmate.name, inmate.juvenile, inmate.children_under_18) != wanted
    inmate.name, inmate.juvenile, inmate.children_under_18 = wanted
    return _replace_restrictions(inmate, record, summary) or changed


def _replace_restrictions(inmate: Inmate, record: InmateRecord, summary: ImportSummary) -> bool:
    """Keep one row per restriction the file lists (with its note), drop the rest, add the new.

    True if a row was added or removed. Removed rows are named in `summary.changes`.
    """
    wanted = {(r.kind, r.starts_on, r.ends_on) for r in record.restrictions}
    kept: set = set()
    removed = []
    for row in list(inmate.restrictions):
        key = (row.kind, row.starts_on, row.ends_on)
        if key in wanted and key not in kept:
            kept.add(key)
        else:
            inmate.restrictions.remove(row)
            removed.append(_described(key, row.note))
    added = sorted(wanted - kept, key=lambda key: (key[1], key[0]))
    for kind, starts_on, ends_on in added:
        inmate.restrictions.append(Restriction(kind=kind, starts_on=starts_on, ends_on=ends_on))
    summary.restrictions_added += len(added)
    summary.restrictions_removed += len(removed)
    if removed:
        new = tuple(_described(key) for key in added)
        summary.changes.append(
            RestrictionChange(record.facility, record.call_number, tuple(removed), new)
        )
    return bool(added or removed)


def _described(key: tuple, note: str = "") -> str:
    """A restriction as the report names it: `discipline 2026-03-01..2026-03-31 (note: ...)`."""
    kind, starts_on, ends_on = key
    text = f"{kind} {starts_on.isoformat()}..{ends_on.isoformat() if ends_on else ''}"
    return f"{text} (note: {note!r})" if note else text
