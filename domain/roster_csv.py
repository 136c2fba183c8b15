"""Reading a roster CSV file (`import-inmates`): every line checked, nothing written (pure).

Header: facility,call_number,name,juvenile,children_under_18,restriction,restriction_from,
restriction_to. One line per restriction (or one line with empty restriction columns); the person's
columns repeat on each line and must agree. Booleans are yes/no, dates YYYY-MM-DD, UTF-8 with or
without a byte-order mark (Excel's "CSV UTF-8" writes one). No cell may hold a control character
(a line break inside quotes, a tab, NUL): PostgreSQL refuses NUL outright, and a name is one line.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date

from .roster import CALL_NUMBER_PATTERN, RESTRICTION_KINDS

HEADER = tuple(
    "facility,call_number,name,juvenile,children_under_18,restriction,restriction_from,"
    "restriction_to".split(",")
)
BOOLEANS = {"yes": True, "no": False}
DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")
CALL_NUMBER_RE = re.compile(CALL_NUMBER_PATTERN)
NAME_MAX = 100


@dataclass(frozen=True)
class LineError:
    """One bad line: its number in the file (1 = the header) and what is wrong with it."""

    line: int
    reason: str


class RosterFileInvalid(ValueError):
    """The file has bad lines; nothing may be imported. `errors` lists every one."""

    def __init__(self, errors: list[LineError]):
        super().__init__(f"{len(errors)} bad line(s)")
        self.errors = errors


@dataclass(frozen=True)
class RestrictionRow:
    kind: str
    starts_on: date
    ends_on: date | None


@dataclass
class InmateRecord:
    """One person of the file, with the restrictions of all their lines."""

    facility: str
    call_number: str
    name: str
    juvenile: bool
    children_under_18: bool
    line: int  # the first line that names this person
    restrictions: list[RestrictionRow] = field(default_factory=list)


def _flag(value: str, column: str, problems: list[str]) -> bool:
    """A yes/no column; anything else is reported."""
    word = value.strip().lower()
    if word not in BOOLEANS:
        problems.append(f"{column} must be yes or no, not {value!r}")
        return False
    return BOOLEANS[word]


def _date(value: str, column: str, problems: list[str]) -> date | None:
    """A YYYY-MM-DD column (empty = None); an impossible or other-format date is reported."""
    value = value.strip()
    if not value:
        return None
    try:
        if DATE_RE.fullmatch(value):
            return date.fromisoformat(value)
    except ValueError:
        pass
    problems.append(f"{column} is not a date YYYY-MM-DD: {value!r}")
    return None


def _restriction(cells: list[str], problems: list[str]) -> RestrictionRow | None:
    """The line's restriction, or None when its three columns are empty."""
    kind = cells[5].strip()
    starts_on = _date(cells[6], "restriction_from", problems)
    ends_on = _date(cells[7], "restriction_to", problems)
    if not kind:
        if cells[6].strip() or cells[7].strip():
            problems.append("restriction dates given without a restriction")
        return None
    if kind not in RESTRICTION_KINDS:
        problems.append(f"unknown restriction {kind!r} (one of: {', '.join(RESTRICTION_KINDS)})")
    if not cells[6].strip():
        problems.append("restriction_from is empty")
    if starts_on and ends_on and ends_on < starts_on:
        problems.append("restriction_to is before restriction_from")
    return RestrictionRow(kind, starts_on, ends_on) if starts_on else None


def _control_characters(cells: list[str], problems: list[str]) -> None:
    """Report each column holding a control character (Unicode category Cc)."""
    for column, cell in zip(HEADER, cells, strict=True):
        found = sorted({ch for ch in cell if unicodedata.category(ch) == "Cc"})
        if found:
            codes = ", ".join(f"U+{ord(ch):04X}" for ch in found)
            problems.append(
                f"{column} contains a control character ({codes}; e.g. a line break, tab or NUL)"
            )


def _line(cells: list[str], facilities: Collection[str], problems: list[str]) -> InmateRecord:
    """Check one data line; what is wrong goes to `problems`."""
    facility, call_number, name = (cell.strip() for cell in cells[:3])
    if facility not in facilities:
        problems.append(f"unknown facility {facility!r}")
    if not call_number:
        problems.append("empty call number")
    elif not CALL_NUMBER_RE.fullmatch(call_number):
        problems.append(f"call number {call_number!r} is not 1-20 letters, digits or hyphens")
    if not name:
        problems.append("empty name")
    elif len(name) > NAME_MAX:
        problems.append(f"name longer than {NAME_MAX} characters")
    juvenile = _flag(cells[3], "juvenile", problems)
    children = _flag(cells[4], "children_under_18", problems)
    record = InmateRecord(facility, call_number, name, juvenile, children, line=0)
    restriction = _restriction(cells, problems)
    if restriction is not None:
        record.restrictions.append(restriction)
    return record


def _merge(records: dict, record: InmateRecord, line: int, problems: list[str]) -> None:
    """Add a line's person to the file's people; a person's lines must agree on their columns."""
    key = (record.facility, record.call_number)
    known = records.get(key)
    if known is None:
        record.line = line
        records[key] = record
        return
    mine = (record.name, record.juvenile, record.children_under_18)
    if mine != (known.name, known.juvenile, known.children_under_18):
        problems.append(
            f"name, juvenile or children_under_18 differ from line {known.line} "
            f"for {record.facility} {record.call_number}"
        )
    for restriction in record.restrictions:
        if restriction not in known.restrictions:  # a repeated line adds nothing
            known.restrictions.append(restriction)


def parse_roster(text: str, facilities: Collection[str]) -> list[InmateRecord]:
    """The people of a roster file; RosterFileInvalid lists every bad line if there is one."""
    reader = csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline=""))
    header = next(reader, None)
    if header is None or tuple(cell.strip() for cell in header) != HEADER:
        raise RosterFileInvalid([LineError(1, f"the header must be: {','.join(HEADER)}")])
    errors: list[LineError] = []
    records: dict[tuple[str, str], InmateRecord] = {}
    try:
        _read_lines(reader, facilities, records, errors)
    except csv.Error as exc:  # e.g. a quote left open to the end of the file
        errors.append(LineError(reader.line_num, f"not readable as CSV: {exc}"))
    if errors:
        raise RosterFileInvalid(errors)
    return list(records.values())


def _read_lines(reader, facilities: Collection[str], records: dict, errors: list) -> None:
    """Check every data line, collecting the file's people and the lines' problems."""
    last_line = reader.line_num
    for cells in reader:
        line, last_line = last_line + 1, reader.line_num  # a quoted cell may span lines
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) != len(HEADER):
            errors.append(LineError(line, f"{len(HEADER)} columns expected, found {len(cells)}"))
            continue
        problems: list[str] = []
        _control_characters(cells, problems)
        record = _line(cells, facilities, problems)
        if not problems:
            _merge(records, record, line, problems)
        errors.extend(LineError(line, problem) for problem in problems)
