"""Input no form offers (a file where text is asked) gets a page with a message, never a server
error; nothing is written."""

from __future__ import annotations

import io

from sqlalchemy import select

from domain.roster import Inmate
from tests.application_support import FAMILY, field_error, logged_in, seed
from tests.conftest import read
from tests.post_support import staff
from tests.web_support import csrf_token


def test_a_file_sent_as_the_call_number_asks_for_the_call_number(app):
    seed(app)
    family = logged_in(app, *FAMILY)
    data = {
        "csrf_token": csrf_token(family, "/applications/new"),
        "facility": "dunpin-school",
        "call_number": (io.BytesIO(b"1201"), "1201.txt"),
        "relationship": "parent",
    }
    response = family.post("/applications/new", data=data, content_type="multipart/form-data")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert field_error(page, "call_number") == "請輸入呼號。"


def test_a_file_sent_as_a_name_on_the_roster_writes_nothing(app):
    seed(app)
    admin = staff(app, "facility_admin", "dunpin")
    before = len(read(app, select(Inmate)))
    data = {
        "csrf_token": csrf_token(admin, "/admin/roster/new"),
        "call_number": "9901",
        "name": (io.BytesIO("林小華".encode()), "name.txt"),
    }
    response = admin.post("/admin/roster/new", data=data, content_type="multipart/form-data")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert field_error(page, "name") and 'value="9901"' in page
    assert len(read(app, select(Inmate))) == before
