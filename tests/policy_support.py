"""Facility policy changed as a process owner changes it: an edited copy of bpmn/ deployed as the
newest version, and the cells of facility_policy.dmn the tests edit."""

from __future__ import annotations

import shutil
from pathlib import Path

BPMN = Path(__file__).resolve().parent.parent / "bpmn"
# Dunpin's row of the table: inmate replies (o5), off.
DUNPIN_REPLIES = '<outputEntry id="facility_policy_r4_o5"><text>False</text>'


def deploy_edited(app, tmp_path, *edits: tuple[str, str]) -> None:
    """Copy bpmn/, apply the edits to the policy table, deploy it as the newest version."""
    folder = tmp_path / "bpmn"
    shutil.copytree(BPMN, folder)
    table = folder / "facility_policy.dmn"
    text = table.read_text()
    for old, new in edits:
        assert old in text
        text = text.replace(old, new)
    table.write_text(text)
    database = app.extensions["db"]
    with database.transaction() as session:
        app.extensions["engine"].versions.deploy_folder(session, folder)
    database.remove()
