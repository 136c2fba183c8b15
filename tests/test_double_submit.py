"""A staff form sent twice (a double click, a resent page) records its change once."""

from __future__ import annotations

import re
import threading
from datetime import timedelta

from sqlalchemy import select

from domain.announcements import Announcement
from domain.audit import AuditEvent
from domain.demo import STAFF_PASSWORD, seed_demo
from domain.notifications import Notification
from domain.roster import Restriction, local_today
from domain.special_projects import SpecialProject
from tests.application_support import seed
from tests.conftest import read
from tests.post_support import family_with_book, reject_three, staff, suspensions
from tests.process_support import _owner
from tests.roster_support import inmate
from tests.web_support import ALREADY, csrf_token, login


def actions(app) -> list[str]:
    return read(app, select(AuditEvent.action).order_by(AuditEvent.id))


def twice(client, url: str, data: dict):
    """The same POST, same token and fields, sent two times; both responses."""
    return client.post(url, data=data), client.post(url, data=data)


def grant_form(app) -> tuple:
    """A supervisor of Dunpin and a filled special-project form for its one family."""
    family_with_book(app)
    supervisor = staff(app, "supervisor", "dunpin")
    [family] = re.findall(r'<option value="(\d+)"', supervisor.get("/special-projects").text)
    return supervisor, {
        "csrf_token": csrf_token(supervisor, "/special-projects"),
        "family": family,
        "starts_on": "2026-12-05",
        "ends_on": "2026-12-31",
        "reason": "畢業典禮前的特別聯繫",
    }


def test_a_special_project_sent_twice_is_granted_once(app):
    supervisor, data = grant_form(app)
    responses = twice(supervisor, "/special-projects", data)
    assert [r.status_code for r in responses] == [302, 302]
    assert len(read(app, select(SpecialProject))) == 1
    assert actions(app).count("special_project.grant") == 1


def test_a_double_click_on_grant_sent_at_the_same_moment_grants_once(app):
    supervisor, data = grant_form(app)
    app.extensions["db"].remove()
    barrier, codes = threading.Barrier(2), [0, 0]

    def grant(n: int) -> None:
        barrier.wait()
        codes[n] = supervisor.post("/special-projects", data=data).status_code
        app.extensions["db"].remove()

    threads = [threading.Thread(target=grant, args=(n,)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert codes == [302, 302]
    assert len(read(app, select(SpecialProject))) == 1


def test_an_announcement_sent_twice_is_saved_once(app):
    seed(app)
    owner = _owner(app)
    url = "/admin/announcements/new"
    data = {
        "csrf_token": csrf_token(owner, url),
        "title": "年節懇親",
        "body": "內容",
        "publish_at": "2026-12-01T10:00",
        "expires_at": "2027-12-31T10:00",
    }
    assert [r.status_code for r in twice(owner, url, data)] == [302, 302]
    assert len(read(app, select(Announcement))) == 1
    assert actions(app) == ["announcement.add"]


def _roster_admin(app):
    with app.extensions["db"].transaction() as session:
        seed_demo(session)
    app.extensions["db"].remove()
    admin = app.test_client()
    assert login(admin, "admin.taichung@example.tw", STAFF_PASSWORD).status_code == 302
    person = inmate(app, "taichung-detention", "0609")
    url = f"/admin/roster/{person.id}"
    return admin, person.id, csrf_token(admin, url)


def test_a_restriction_sent_twice_is_added_once_and_ended_once(app):
    admin, person_id, token = _roster_admin(app)
    url = f"/admin/roster/{person_id}"
    started = (local_today() - timedelta(days=3)).isoformat()
    data = {"csrf_token": token, "kind": "court_ban", "starts_on": started}
    assert [r.status_code for r in twice(admin, f"{url}/restrictions", data)] == [302, 302]
    [ban] = read(app, select(Restriction).where(Restriction.inmate_id == person_id))
    ended = twice(admin, f"{url}/restrictions/{ban.id}/end", {"csrf_token": token})
    assert [r.status_code for r in ended] == [302, 302]
    page = admin.get(url).get_data(as_text=True)  # both answers' messages
    assert page.count("已自今日起解除限制") == 1
    assert page.count("這項作業已經有人處理完成") == 1
    restriction_actions = [a for a in actions(app) if a.startswith("restriction.")]
    assert restriction_actions == ["restriction.add", "restriction.end"]


def test_lifting_a_suspension_twice_says_it_is_already_handled(app):
    family, book_id = family_with_book(app)
    reject_three(app, family, book_id)
    [suspension] = suspensions(app)
    admin = staff(app, "facility_admin", "dunpin")
    url = f"/suspensions/{suspension.id}/lift"
    data = {"csrf_token": csrf_token(admin, "/suspensions"), "reason": "家庭支持專案"}
    assert admin.post(url, data=data).status_code == 302
    recorded = (actions(app), read(app, select(Notification.id)))
    again = admin.post(url, data=data)
    assert again.status_code == 302
    assert ALREADY in admin.get(again.headers["Location"]).text
    assert (actions(app), read(app, select(Notification.id))) == recorded
    assert "suspension.lift" in recorded[0]


def test_two_lifts_at_the_same_moment_lift_once_and_answer_both(app):
    family, book_id = family_with_book(app)
    reject_three(app, family, book_id)
    [suspension] = suspensions(app)
    people = [staff(app, "facility_admin", "dunpin"), staff(app, "supervisor", "dunpin")]
    tokens = [csrf_token(client, "/suspensions") for client in people]
    app.extensions["db"].remove()
    barrier, codes = threading.Barrier(len(people)), [0] * len(people)

    def lift(n: int) -> None:
        barrier.wait()
        data = {"csrf_token": tokens[n], "reason": f"理由 {n}"}
        codes[n] = people[n].post(f"/suspensions/{suspension.id}/lift", data=data).status_code
        app.extensions["db"].remove()

    threads = [threading.Thread(target=lift, args=(n,)) for n in range(len(people))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert codes == [302, 302]
    [lifted] = suspensions(app)
    assert lifted.lift_reason in ("理由 0", "理由 1")


def at_the_same_moment(app, client, url: str, data: dict) -> list[int]:
    """The same POST sent twice at once (a double click), from two threads; both statuses."""
    app.extensions["db"].remove()
    barrier, codes = threading.Barrier(2), [0, 0]

    def send(n: int) -> None:
        barrier.wait()
        codes[n] = client.post(url, data=data).status_code
        app.extensions["db"].remove()

    threads = [threading.Thread(target=send, args=(n,)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return codes


def _future_ban(app, person_id: int) -> int:
    """A restriction of the person from next week on (one to delete); its id."""
    starts = local_today() + timedelta(days=7)
    with app.extensions["db"].transaction() as session:
        ban = Restriction(inmate_id=person_id, kind="court_ban", starts_on=starts)
        session.add(ban)
        session.flush()
        ban_id = ban.id
    app.extensions["db"].remove()
    return ban_id


def test_a_restriction_deleted_twice_says_it_is_already_done(app):
    admin, person_id, token = _roster_admin(app)
    url = f"/admin/roster/{person_id}/restrictions/{_future_ban(app, person_id)}/delete"
    first = admin.post(url, data={"csrf_token": token})
    assert ALREADY not in admin.get(first.headers["Location"]).text
    again = admin.post(url, data={"csrf_token": token})
    assert again.status_code == 302
    assert again.headers["Location"] == first.headers["Location"]
    assert again.headers["Location"] == f"/admin/roster/{person_id}#restrictions"
    assert ALREADY in admin.get(again.headers["Location"]).text
    assert actions(app).count("restriction.delete") == 1


def test_a_double_click_on_delete_at_the_same_moment_deletes_once(app):
    admin, person_id, token = _roster_admin(app)
    url = f"/admin/roster/{person_id}/restrictions/{_future_ban(app, person_id)}/delete"
    assert at_the_same_moment(app, admin, url, {"csrf_token": token}) == [302, 302]
    assert actions(app).count("restriction.delete") == 1


def test_a_deleted_restriction_is_still_not_found_for_anyone_else(app):
    """ "Already done" would tell that the row existed: only its own person's page may say it."""
    admin, person_id, token = _roster_admin(app)
    ban_id = _future_ban(app, person_id)
    url = f"/admin/roster/{person_id}/restrictions/{ban_id}/delete"
    assert admin.post(url, data={"csrf_token": token}).status_code == 302
    dunpin = staff(app, "facility_admin", "dunpin")
    assert dunpin.post(url, data={"csrf_token": csrf_token(dunpin, "/")}).status_code == 404
    neighbour = inmate(app, "taichung-detention", "0610").id
    elsewhere = f"/admin/roster/{neighbour}/restrictions/{ban_id}/delete"
    assert admin.post(elsewhere, data={"csrf_token": token}).status_code == 404
    never = f"/admin/roster/{person_id}/restrictions/{ban_id + 1000}/delete"
    assert admin.post(never, data={"csrf_token": token}).status_code == 404


def _transfer_form(token: str, to: str = "yunlin-second-prison") -> dict:
    return {"csrf_token": token, "to_facility": to, "confirm_transfer": "y"}


def test_a_transfer_sent_twice_says_it_is_already_done(app):
    admin, person_id, token = _roster_admin(app)
    url = f"/admin/roster/{person_id}/transfer"
    first = admin.post(url, data=_transfer_form(token))
    assert first.headers["Location"] == "/admin/roster"
    assert ALREADY not in admin.get("/admin/roster").text
    again = admin.post(url, data=_transfer_form(token))
    assert (again.status_code, again.headers["Location"]) == (302, "/admin/roster")
    assert ALREADY in admin.get("/admin/roster").text
    assert actions(app).count("roster.transfer") == 1
    assert inmate(app, "yunlin-second-prison", "0609").id == person_id


def test_a_double_click_on_transfer_at_the_same_moment_moves_once(app):
    admin, person_id, token = _roster_admin(app)
    url = f"/admin/roster/{person_id}/transfer"
    assert at_the_same_moment(app, admin, url, _transfer_form(token)) == [302, 302]
    assert actions(app).count("roster.transfer") == 1


def test_a_transfer_sent_again_is_still_not_found_for_anyone_else(app):
    """Only the facility that moved the person, to where they still are, hears "already done";
    another facility, or another destination, gets the 404 of a person it does not have."""
    admin, person_id, token = _roster_admin(app)
    url = f"/admin/roster/{person_id}/transfer"
    assert admin.post(url, data=_transfer_form(token)).status_code == 302
    dunpin = staff(app, "facility_admin", "dunpin")
    assert dunpin.post(url, data=_transfer_form(csrf_token(dunpin, "/"))).status_code == 404
    assert admin.post(url, data=_transfer_form(token, "dunpin-school")).status_code == 404
    theirs = inmate(app, "dunpin-school", "1201").id
    never = f"/admin/roster/{theirs}/transfer"
    assert admin.post(never, data=_transfer_form(token)).status_code == 404
    assert actions(app).count("roster.transfer") == 1
