"""The facility admin's roster pages: own facility only, CSRF, errors beside fields, transfers."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from domain.demo import STAFF_PASSWORD
from domain.roster import Inmate, Restriction, local_today
from tests.conftest import read
from tests.roster_support import ADMIN, demo, inmate  # noqa: F401 (the demo data fixture)
from tests.web_support import csrf_token, login, submit, switch_language


def restrictions(app, person: Inmate) -> list[Restriction]:
    return read(app, select(Restriction).where(Restriction.inmate_id == person.id))


@pytest.fixture
def admin(client, demo):  # noqa: F811
    switch_language(client, "en")
    assert login(client, ADMIN, STAFF_PASSWORD).status_code == 302
    return client


def send(client, action: str, data: dict, page_url: str):
    """Post one of the forms of `page_url` (its own URL differs) with the page's token."""
    return client.post(action, data={"csrf_token": csrf_token(client, page_url), **data})


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


def test_admin_sees_own_roster_with_nav_link_and_restriction_badge(admin, demo):  # noqa: F811
    zhang = inmate(demo, "taichung-detention", "0611")
    with demo.extensions["db"].transaction() as session:
        session.add(Restriction(inmate_id=zhang.id, kind="court_ban", starts_on=local_today()))
    demo.extensions["db"].remove()
    html = page(admin, "/admin/roster")
    assert 'href="/admin/roster"' in html  # the header link
    assert "0609" in html and "李大明" in html and "4 persons" in html
    assert "1201" not in html  # Dunpin's roster
    row = html[html.index("0611") :]
    assert "Visits and letters barred by a court or prosecutor" in row[: row.index("</tr>")]
    assert "0612</a>" in page(admin, "/admin/roster?q=061")
    searched = page(admin, "/admin/roster?q=0610")
    assert "0610</a>" in searched and "0609</a>" not in searched and "1 person" in searched


def test_roster_is_paged_by_50(admin, demo):  # noqa: F811
    facility = inmate(demo, "taichung-detention", "0609").facility_id
    with demo.extensions["db"].transaction() as session:
        for n in range(60):
            session.add(Inmate(facility_id=facility, call_number=f"9{n:03d}", name="某甲"))
    demo.extensions["db"].remove()
    first, second = page(admin, "/admin/roster"), page(admin, "/admin/roster?page=2")
    assert "Page 1 of 2" in first and "0609</a>" in first and "9045</a>" in first
    assert "9046</a>" not in first and "9046</a>" in second and "9059</a>" in second


def test_other_roles_and_facilities_get_404(client, demo):  # noqa: F811
    dunpin = inmate(demo, "dunpin-school", "1201")
    assert client.get("/admin/roster").status_code == 302  # a visitor is sent to log in
    login(client, "reviewer.taichung@example.tw", STAFF_PASSWORD)
    assert client.get("/admin/roster").status_code == 404
    assert 'href="/admin/roster"' not in page(client, "/")
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    login(client, ADMIN, STAFF_PASSWORD)
    token = csrf_token(client, "/admin/roster/new")
    for url in (
        f"/admin/roster/{dunpin.id}",
        f"/admin/roster/{dunpin.id}/restrictions",
        f"/admin/roster/{dunpin.id}/transfer",
        "/admin/roster/999999",
    ):
        assert client.get(url).status_code in (404, 405)
        assert client.post(url, data={"csrf_token": token}).status_code == 404, url


def test_another_persons_restriction_is_404(admin, demo):  # noqa: F811
    li, chen = (
        inmate(demo, "taichung-detention", "0609"),
        inmate(demo, "taichung-detention", "0610"),
    )
    with demo.extensions["db"].transaction() as session:
        session.add(Restriction(inmate_id=chen.id, kind="discipline", starts_on=local_today()))
    demo.extensions["db"].remove()
    [ban] = restrictions(demo, chen)
    for action in ("end", "delete"):
        url = f"/admin/roster/{li.id}/restrictions/{ban.id}/{action}"
        assert send(admin, url, {}, f"/admin/roster/{li.id}").status_code == 404
    assert len(restrictions(demo, chen)) == 1


def test_posts_need_the_csrf_token(admin, demo):  # noqa: F811
    response = admin.post("/admin/roster/new", data={"call_number": "0700", "name": "某甲"})
    assert response.status_code == 400
    li = inmate(demo, "taichung-detention", "0609")
    assert admin.post(f"/admin/roster/{li.id}", data={"name": "改名"}).status_code == 400
    assert read(demo, select(Inmate).where(Inmate.call_number == "0700")) == []
    assert inmate(demo, "taichung-detention", "0609").name == "李大明"


def test_add_and_edit_a_person_with_errors_beside_the_fields(admin, demo):  # noqa: F811
    response = submit(
        admin, "/admin/roster/new", {"call_number": "0700", "name": "趙小龍", "juvenile": "y"}
    )
    assert response.status_code == 302
    new = inmate(demo, "taichung-detention", "0700")
    assert (new.name, new.juvenile, new.children_under_18) == ("趙小龍", True, False)
    url = f"/admin/roster/{new.id}"
    empty = submit(admin, url, {"call_number": "0700", "name": ""})
    html = empty.get_data(as_text=True)
    assert empty.status_code == 200
    assert 'id="name-error">Enter the name.</p>' in html
    taken = submit(admin, url, {"call_number": "0609", "name": "趙小龍"}).get_data(as_text=True)
    assert (
        'id="call_number-error">The facility already has a person with this call number.' in taken
    )
    bad = submit(admin, url, {"call_number": "07 00", "name": "趙小龍"}).get_data(as_text=True)
    assert 'id="call_number-error">Use 1 to 20 letters, digits or hyphens.' in bad
    assert inmate(demo, "taichung-detention", "0700").name == "趙小龍"
    saved = submit(admin, url, {"call_number": "0701", "name": "趙大龍", "children_under_18": "y"})
    assert saved.status_code == 302
    changed = inmate(demo, "taichung-detention", "0701")
    assert (changed.name, changed.juvenile, changed.children_under_18) == ("趙大龍", False, True)


def test_a_name_or_note_with_a_control_character_is_refused_beside_the_field(admin, demo):  # noqa: F811
    for name in ("趙\x00小龍", "趙\n小龍", "趙\t小龍"):
        response = submit(admin, "/admin/roster/new", {"call_number": "0700", "name": name})
        html = response.get_data(as_text=True)
        assert response.status_code == 200, repr(name)
        assert 'id="name-error">Remove the line breaks, tabs and other control characters.' in html
    assert [i for i in read(demo, select(Inmate)) if i.call_number == "0700"] == []
    person = inmate(demo, "taichung-detention", "0609")
    url = f"/admin/roster/{person.id}"
    form = {"kind": "discipline", "starts_on": "2026-05-01", "note": "第\x00一"}
    html = send(admin, f"{url}/restrictions", form, url).get_data(as_text=True)
    assert 'id="note-error">Remove the line breaks' in html
    assert all("\x00" not in r.note for r in restrictions(demo, person))


def test_restrictions_are_added_lifted_and_deleted(admin, demo):  # noqa: F811
    li = inmate(demo, "taichung-detention", "0609")
    url, today = f"/admin/roster/{li.id}", local_today()
    backwards = {
        "kind": "discipline",
        "starts_on": today.isoformat(),
        "ends_on": (today - timedelta(days=1)).isoformat(),
    }
    bad = send(admin, f"{url}/restrictions", backwards, url).get_data(as_text=True)
    assert 'id="ends_on-error">The last day cannot be before the first day.' in bad
    assert restrictions(demo, li) == []
    started = {"kind": "court_ban", "starts_on": (today - timedelta(days=3)).isoformat()}
    assert send(admin, f"{url}/restrictions", started, url).status_code == 302
    [ban] = restrictions(demo, li)
    assert (ban.kind, ban.ends_on) == ("court_ban", None)
    assert "In force" in page(admin, url)
    assert send(admin, f"{url}/restrictions/{ban.id}/end", {}, url).status_code == 302
    assert restrictions(demo, li)[0].ends_on == today - timedelta(days=1)
    assert "Ended" in page(admin, url)
    assert send(admin, f"{url}/restrictions/{ban.id}/delete", {}, url).status_code == 302
    assert restrictions(demo, li) == []


def test_transfer_moves_the_person_or_says_why_not(admin, demo):  # noqa: F811
    chen = inmate(demo, "taichung-detention", "0610")
    dunpin = inmate(demo, "dunpin-school", "1201").facility_id
    with demo.extensions["db"].transaction() as session:
        session.add(Inmate(facility_id=dunpin, call_number="0610", name="同號者"))
    demo.extensions["db"].remove()
    url = f"/admin/roster/{chen.id}"
    transfer = url + "/transfer"
    unconfirmed = send(admin, transfer, {"to_facility": "yunlin-second-prison"}, url)
    assert 'id="confirm_transfer-error">Tick the box to confirm the transfer.' in (
        unconfirmed.get_data(as_text=True)
    )
    confirmed = {"confirm_transfer": "y"}
    taken = send(admin, transfer, {"to_facility": "dunpin-school", **confirmed}, url)
    assert 'id="to_facility-error">That facility already has a person with this call number.' in (
        taken.get_data(as_text=True)
    )
    own = send(admin, transfer, {"to_facility": "taichung-detention", **confirmed}, url)
    assert own.status_code == 200  # not one of the choices
    assert inmate(demo, "taichung-detention", "0610").id == chen.id
    moved = send(admin, transfer, {"to_facility": "yunlin-second-prison", **confirmed}, url)
    assert moved.headers["Location"] == "/admin/roster"
    assert inmate(demo, "yunlin-second-prison", "0610").id == chen.id
    assert "0610 was moved to Yunlin Second Prison; 0 open processes went along." in page(
        admin, "/admin/roster"
    )
    assert admin.get(url).status_code == 404  # no longer this facility's


def test_pages_are_in_traditional_chinese_by_default(client, demo):  # noqa: F811
    login(client, ADMIN, STAFF_PASSWORD)
    html = page(client, "/admin/roster")
    assert "收容人名冊" in html and "有 18 歲以下子女" in html  # the seeds' words


def test_the_person_page_with_three_forms_repeats_no_id(admin, demo, app):  # noqa: F811
    person = inmate(app, "taichung-detention", "0609")
    ids = re.findall(r'\sid="([^"]+)"', page(admin, f"/admin/roster/{person.id}"))
    assert ids and len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)
