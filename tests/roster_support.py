"""The demo data for the facility admin's pages, and a person of its roster."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from domain.accounts import Facility
from domain.demo import seed_demo
from domain.roster import Inmate
from tests.conftest import read

ADMIN = "admin.taichung@example.tw"


@pytest.fixture
def demo(app):
    with app.extensions["db"].transaction() as session:
        seed_demo(session)
    app.extensions["db"].remove()
    return app


def inmate(app, code: str, call_number: str) -> Inmate:
    [row] = read(
        app,
        select(Inmate)
        .join(Facility, Facility.id == Inmate.facility_id)
        .where(Facility.code == code, Inmate.call_number == call_number),
    )
    return row
