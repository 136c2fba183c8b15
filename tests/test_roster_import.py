"""Roster CSV import: every bad line reported with its number, all or nothing, idempotent."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from domain.accounts import Facility
from domain.roster import Inmate, Restriction
from domain.roster_csv import HEADER, parse_roster
from domain.roster_import import (
    ImportSummary,
    RestrictionChange,
    RosterFileInvalid,
    import_roster,
)
from tests.conftest import read

HEAD = ",".join(HEADER)
GOOD = f"""{HEAD}
taichung,0609,李大明,no,yes,,,
taichung,0611,張家豪,no,yes,court_ban,2026-01-01,
taichung,0611,張家豪,no,yes,discipline,2026-03-01,2026-03-31
dunpin,1201,林小偉,yes,no,,,
"""
FACILITIES = {"taichung", "dunpin"}


def csv_bytes(text: str, bom: bool = False) -> bytes:
    return ("\ufeff" if bom else "").encode() + text.replace("\n", "\r\n").encode("utf-8")


def errors_of(text: str) -> list[tuple[int, str]]:
    with pytest.raises(RosterFileInvalid) as invalid:
        parse_roster(text, FACILITIES)
    return [(error.line, error.reason) for error in invalid.value.errors]


@pytest.fixture
def facilities(db):
    session = db.session
    for code in sorted(FACILITIES):
        session.add(Facility(code=code, name_zh=code, name_en=code))
    session.commit()
    return session


def test_parse_groups_a_persons_lines_and_their_restrictions():
    records = {r.call_number: r for r in parse_roster(GOOD, FACILITIES)}
    assert set(records) == {"0609", "0611", "1201"}
    zhang = records["0611"]
    assert (zhang.facility, zhang.name, zhang.juvenile, zhang.children_under_18) == (
        "taichung",
        "張家豪",
        False,
        True,
    )
    assert [(r.kind, r.starts_on, r.ends_on) for r in zhang.restrictions] == [
        ("court_ban", date(2026, 1, 1), None),
        ("discipline", date(2026, 3, 1), date(2026, 3, 31)),
    ]
    assert records["1201"].juvenile and records["0609"].restrictions == []


def test_every_bad_line_is_reported_with_its_number():
    text = f"""{HEAD}
taichung,0609,李大明,no,yes,,,
nowhere,0610,陳志強,no,yes,,,
taichung,,陳志強,no,yes,,,
taichung,0612,黃文雄,maybe,yes,,,
taichung,0613,某甲,no,yes,court_ban,2026-02-30,
taichung,0614,某乙,no,yes,discipline,2026-03-10,2026-03-01
taichung,0615,某丙,no,yes,curfew,2026-03-10,

taichung,0609,李小明,no,yes,,,
taichung,0616,某丁,no,yes,court_ban,03/01/2026,
taichung,0617,某戊,no,yes,,2026-03-01,
taichung,0618,某己
"""
    assert errors_of(text) == [
        (3, "unknown facility 'nowhere'"),
        (4, "empty call number"),
        (5, "juvenile must be yes or no, not 'maybe'"),
        (6, "restriction_from is not a date YYYY-MM-DD: '2026-02-30'"),
        (7, "restriction_to is before restriction_from"),
        (
            8,
            "unknown restriction 'curfew' (one of: court_ban, discipline, "
            "isolation_investigation, isolation_protection, protection_room, medical_isolation)",
        ),
        (10, "name, juvenile or children_under_18 differ from line 2 for taichung 0609"),
        (11, "restriction_from is not a date YYYY-MM-DD: '03/01/2026'"),
        (12, "restriction dates given without a restriction"),
        (13, "8 columns expected, found 3"),
    ]


def test_a_wrong_header_is_line_1():
    text = HEAD.replace("call_number", "call") + "\n"
    assert errors_of(text) == [(1, f"the header must be: {HEAD}")]
    assert errors_of("") == [(1, f"the header must be: {HEAD}")]


def test_a_quoted_cell_spanning_lines_is_refused_and_keeps_the_numbers_right():
    text = f'{HEAD}\ntaichung,0609,"李\n大明",no,yes,,,\ntaichung,0610,陳志強,often,yes,,,\n'
    assert errors_of(text) == [
        (2, "name contains a control character (U+000A; e.g. a line break, tab or NUL)"),
        (4, "juvenile must be yes or no, not 'often'"),
    ]


def test_control_characters_in_any_column_are_bad_lines():
    text = (
        f"{HEAD}\n"
        "taichung,0609,李大明\x00,no,yes,,,\n"
        "taichung,06\t10,陳志強,no,yes,,,\n"
        "taichung,0611,張家豪,no,yes,court_ban\x07,2026-01-01,\n"
        "taichung,0612,黃\u0085文雄,no\x1b,yes,,,\n"
        "taichung,0613,某甲,no,yes,,,\n"
    )
    hint = "; e.g. a line break, tab or NUL)"
    assert errors_of(text) == [
        (2, f"name contains a control character (U+0000{hint}"),
        (3, f"call_number contains a control character (U+0009{hint}"),
        (3, "call number '06\\t10' is not 1-20 letters, digits or hyphens"),
        (4, f"restriction contains a control character (U+0007{hint}"),
        (
            4,
            "unknown restriction 'court_ban\\x07' (one of: court_ban, discipline, "
            "isolation_investigation, isolation_protection, protection_room, medical_isolation)",
        ),
        (5, f"name contains a control character (U+0085{hint}"),
        (5, f"juvenile contains a control character (U+001B{hint}"),
        (5, "juvenile must be yes or no, not 'no\\x1b'"),
    ]


def test_import_creates_then_a_second_run_changes_nothing(facilities):
    session = facilities
    first = import_roster(session, csv_bytes(GOOD))
    session.commit()
    assert first == ImportSummary(created=3, restrictions_added=2)
    assert str(first) == "created 3, updated 0, unchanged 0; restrictions 2 added, 0 removed"
    ids = {i.call_number: i.id for i in session.scalars(select(Inmate))}
    again = import_roster(session, csv_bytes(GOOD))
    session.commit()
    assert again == ImportSummary(unchanged=3)
    assert {i.call_number: i.id for i in session.scalars(select(Inmate))} == ids
    assert len(session.scalars(select(Restriction)).all()) == 2


def test_import_updates_flags_and_replaces_restrictions(facilities):
    session = facilities
    import_roster(session, csv_bytes(GOOD))
    session.commit()
    ban = session.scalar(select(Restriction).where(Restriction.kind == "court_ban"))
    ban.note = "Taichung District Court"  # rows the file still lists keep their notes
    changed = f"""{HEAD}
taichung,0609,李大明,no,no,medical_isolation,2026-04-01,2026-04-14
taichung,0611,張家豪,no,yes,court_ban,2026-01-01,
"""
    summary = import_roster(session, csv_bytes(changed))
    session.commit()
    assert summary == ImportSummary(
        updated=2,
        restrictions_added=1,
        restrictions_removed=1,
        changes=[RestrictionChange("taichung", "0611", ("discipline 2026-03-01..2026-03-31",))],
    )
    li = session.scalar(select(Inmate).where(Inmate.call_number == "0609"))
    zhang = session.scalar(select(Inmate).where(Inmate.call_number == "0611"))
    assert li.children_under_18 is False
    assert [r.kind for r in li.restrictions] == ["medical_isolation"]
    assert [(r.kind, r.note) for r in zhang.restrictions] == [
        ("court_ban", "Taichung District Court")
    ]
    assert session.scalar(select(Inmate).where(Inmate.call_number == "1201")) is not None


def test_a_file_with_a_bad_line_imports_nothing(facilities):
    session = facilities
    bad = GOOD + "dunpin,1202,吳俊傑,yes,no,discipline,2026-13-01,\n"
    with pytest.raises(RosterFileInvalid) as invalid:
        import_roster(session, csv_bytes(bad))
    session.rollback()
    assert [e.line for e in invalid.value.errors] == [6]
    assert session.scalars(select(Inmate)).all() == []


def test_bom_is_accepted_and_other_encodings_are_refused(facilities):
    session = facilities
    assert import_roster(session, csv_bytes(GOOD, bom=True)).created == 3
    session.rollback()
    big5 = f"{HEAD}\ntaichung,0609,李大明,no,yes,,,\n".encode("big5")
    with pytest.raises(RosterFileInvalid) as invalid:
        import_roster(session, big5)
    [error] = invalid.value.errors
    assert (error.line, error.reason) == (2, "not UTF-8 text (save the file as CSV UTF-8)")


def run_import(app, path):
    return app.test_cli_runner().invoke(args=["import-inmates", str(path)])


def test_cli_imports_and_reports_bad_lines(app, tmp_path):
    with app.extensions["db"].transaction() as session:
        for code in sorted(FACILITIES):
            session.add(Facility(code=code, name_zh=code, name_en=code))
    app.extensions["db"].remove()
    bad = tmp_path / "bad.csv"
    bad.write_bytes(csv_bytes(GOOD + "taichung,0700,,maybe,yes,,,\n", bom=True))
    result = run_import(app, bad)
    assert result.exit_code == 1
    assert "bad.csv: line 6: empty name" in result.output
    assert "bad.csv: line 6: juvenile must be yes or no, not 'maybe'" in result.output
    assert "2 problem(s) found: nothing was imported" in result.output
    assert read(app, select(Inmate)) == []
    good = tmp_path / "roster.csv"
    good.write_bytes(csv_bytes(GOOD, bom=True))
    first = run_import(app, good)
    assert first.exit_code == 0, first.output
    assert "created 3, updated 0, unchanged 0; restrictions 2 added" in first.output
    second = run_import(app, good)
    assert "created 0, updated 0, unchanged 3; restrictions 0 added, 0 removed" in second.output
    assert len(read(app, select(Inmate))) == 3


def test_cli_refuses_a_nul_with_its_line_number_and_imports_nothing(app, tmp_path):
    """On PostgreSQL a NUL in a text value would fail the whole import with no line number."""
    with app.extensions["db"].transaction() as session:
        for code in sorted(FACILITIES):
            session.add(Facility(code=code, name_zh=code, name_en=code))
    app.extensions["db"].remove()
    bad = tmp_path / "nul.csv"
    bad.write_bytes(
        csv_bytes(f"{HEAD}\ntaichung,0609,李大明,no,yes,,,\ndunpin,1201,林\x00小偉,yes,no,,,\n")
    )
    result = run_import(app, bad)
    assert result.exit_code == 1, result.output
    assert "nul.csv: line 3: name contains a control character (U+0000" in result.output
    assert read(app, select(Inmate)) == []


def test_the_report_names_restrictions_an_import_removed_or_replaced(app, tmp_path):
    """Restrictions entered on the admin page go when the file lists the person without them:
    the report says which, per person by call number, so the admin can put them back."""
    with app.extensions["db"].transaction() as session:
        for code in sorted(FACILITIES):
            session.add(Facility(code=code, name_zh=code, name_en=code))
    app.extensions["db"].remove()
    roster = tmp_path / "roster.csv"
    roster.write_bytes(csv_bytes(GOOD))
    assert run_import(app, roster).exit_code == 0
    with app.extensions["db"].transaction() as session:  # the admin page adds two
        li = session.scalar(select(Inmate).where(Inmate.call_number == "0609"))
        li.restrictions.append(
            Restriction(kind="isolation_protection", starts_on=date(2026, 5, 1), note="自傷風險")
        )
        lin = session.scalar(select(Inmate).where(Inmate.call_number == "1201"))
        lin.restrictions.append(
            Restriction(kind="discipline", starts_on=date(2026, 5, 2), ends_on=date(2026, 5, 9))
        )
    app.extensions["db"].remove()
    changed = GOOD.replace(
        "dunpin,1201,林小偉,yes,no,,,", "dunpin,1201,林小偉,yes,no,discipline,2026-05-02,2026-05-16"
    )
    roster.write_bytes(csv_bytes(changed))
    result = run_import(app, roster)
    assert result.exit_code == 0, result.output
    assert "restrictions 1 added, 2 removed" in result.output
    assert (
        "roster.csv: taichung 0609: removed isolation_protection 2026-05-01.. (note: '自傷風險')"
        in result.output
    )
    assert (
        "roster.csv: dunpin 1201: replaced discipline 2026-05-02..2026-05-09 "
        "with discipline 2026-05-02..2026-05-16"
    ) in result.output
    assert "0611" not in result.output  # nothing of theirs was removed
    again = run_import(app, roster)
    assert "Restrictions removed" not in again.output and "0609" not in again.output
