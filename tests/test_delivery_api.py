"""The delivery feed (`/api/v1/facilities/<code>/deliveries`) and its tokens.

A facility's tablet or printing system pulls its approved posts with a per-facility token and
acknowledges each delivery; the session cookie is never accepted in place of a token.
"""

from __future__ import annotations

import io

from sqlalchemy import select

from domain.accounts import Facility
from domain.api_tokens import issue_token
from tests.application_support import open_tasks, png
from tests.conftest import read
from tests.file_support import pdf_bytes
from tests.post_support import approved_post, pdf_text, posts, staff
from workflows.models import TaskHistory

DUNPIN_FEED = "/api/v1/facilities/dunpin-school/deliveries"


def token_for(app, code: str) -> str:
    with app.extensions["db"].transaction() as session:
        facility_id = session.scalar(select(Facility.id).where(Facility.code == code))
        token = issue_token(session, facility_id, "tablet")
    app.extensions["db"].remove()
    return token


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def cli(app, *args):
    return app.test_cli_runner().invoke(args=list(args))


def test_the_feed_lists_approved_posts_with_photo_and_sheet(app, client):
    _family, post = approved_post(app, photo=(io.BytesIO(png()), "kids.png"), body="弟弟長高了")
    token = token_for(app, "dunpin-school")
    response = client.get(DUNPIN_FEED, headers=bearer(token))
    assert response.status_code == 200, response.get_data(as_text=True)
    [entry] = response.get_json()["deliveries"]
    assert entry["id"] == post.id and entry["call_number"] == "1201" and entry["name"] == "林小偉"
    assert entry["title"] == "家裡一切都好" and entry["body"] == "弟弟長高了"
    assert entry["approved_at"].startswith(post.decided_at.isoformat()[:16])
    with client.get(entry["photo_url"], headers=bearer(token)) as photo:  # a file: close it
        assert photo.status_code == 200 and photo.mimetype.startswith("image/")
    sheet = client.get(entry["sheet_url"], headers=bearer(token))
    assert sheet.status_code == 200 and "弟弟長高了" in pdf_text(sheet.data)
    assert client.get(entry["photo_url"]).status_code == 401  # the token is needed there too
    assert "Set-Cookie" not in response.headers


def test_without_a_valid_token_the_answer_is_401_in_json(app, client):
    approved_post(app)
    for headers in ({}, bearer("fb_not-a-token"), {"Authorization": "Basic eDp5"}):
        response = client.get(DUNPIN_FEED, headers=headers)
        assert response.status_code == 401
        assert response.get_json()["error"] == "unauthorized"
        assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_the_session_cookie_is_not_a_token(app):
    _family, post = approved_post(app)
    admin = staff(app, "facility_admin", "dunpin")  # logged in, with a session cookie
    assert admin.get(DUNPIN_FEED).status_code == 401
    assert admin.post(f"{DUNPIN_FEED}/{post.id}/ack").status_code == 401
    assert posts(app)[0].delivered_at is None


def test_another_facility_token_is_refused(app, client):
    _family, post = approved_post(app)
    taichung = token_for(app, "taichung-detention")
    assert client.get(DUNPIN_FEED, headers=bearer(taichung)).status_code == 401
    assert client.post(f"{DUNPIN_FEED}/{post.id}/ack", headers=bearer(taichung)).status_code == 401
    # Its own URL with the other facility's post id: that post does not exist there.
    other_ack = f"/api/v1/facilities/taichung-detention/deliveries/{post.id}/ack"
    assert client.post(other_ack, headers=bearer(taichung)).status_code == 404
    assert (
        client.get("/api/v1/facilities/no-such/deliveries", headers=bearer(taichung)).status_code
        == 401
    )
    assert posts(app)[0].delivered_at is None


def test_a_revoked_token_stops_working(app, client):
    approved_post(app)
    created = cli(app, "api-token", "create", "--facility", "dunpin-school", "--label", "tablet")
    assert created.exit_code == 0, created.output
    token = created.stdout.strip().splitlines()[-1]
    assert client.get(DUNPIN_FEED, headers=bearer(token)).status_code == 200
    listed = cli(app, "api-token", "list")
    token_id = listed.output.split("\t", 1)[0]
    assert "dunpin-school\ttablet" in listed.output and token not in listed.output
    assert cli(app, "api-token", "revoke", token_id).exit_code == 0
    response = client.get(DUNPIN_FEED, headers=bearer(token))
    assert response.status_code == 401 and response.get_json()["error"] == "unauthorized"
    assert cli(app, "api-token", "revoke", "999").exit_code != 0
    assert cli(app, "api-token", "create", "--facility", "nowhere").exit_code != 0


def test_ack_delivers_once_and_a_repeat_changes_nothing(app, client, mailbox):
    family, post = approved_post(app)
    before = len(mailbox.messages())
    token = token_for(app, "dunpin-school")
    ack = f"{DUNPIN_FEED}/{post.id}/ack"
    first = client.post(ack, headers=bearer(token))
    assert first.status_code == 200, first.get_data(as_text=True)
    assert first.get_json()["status"] == "delivered"
    assert first.get_json()["delivered_via"] == "feed"
    [post] = posts(app)
    assert post.delivered_at is not None and post.delivered_via == "feed"
    assert post.delivered_by is None  # no staff member: the feed recorded it
    recent = staff(app, "facility_admin", "dunpin").get("/deliveries").get_data(as_text=True)
    assert "送達系統（API）" in recent.split('<section id="recent"', 1)[1]
    assert open_tasks(app, bpmn_id="deliver") == []
    [history] = read(app, select(TaskHistory).where(TaskHistory.bpmn_id == "deliver"))
    assert history.actor.startswith("api-token:")
    assert "已送達" in mailbox.last()["Subject"]
    assert "已送達" in family.get("/posts?tab=approved").get_data(as_text=True)
    again = client.post(ack, headers=bearer(token))
    assert again.status_code == 200 and again.get_json()["status"] == "already_delivered"
    assert posts(app)[0].delivered_at == post.delivered_at
    assert len(mailbox.messages()) == before + 1
    assert client.get(DUNPIN_FEED, headers=bearer(token)).get_json()["deliveries"] == []


def test_ack_of_an_unknown_post_is_404(app, client):
    approved_post(app)
    token = token_for(app, "dunpin-school")
    response = client.post(f"{DUNPIN_FEED}/999999/ack", headers=bearer(token))
    assert response.status_code == 404 and response.get_json()["error"] == "not_found"
    assert client.get(f"{DUNPIN_FEED}/999999/sheet.pdf", headers=bearer(token)).status_code == 404


def test_an_attached_pdf_is_in_the_feed_for_its_facility_token_only(app, client):
    letter = pdf_bytes()
    _family, post = approved_post(app, photo=(io.BytesIO(letter), "letter.pdf"))
    token = token_for(app, "dunpin-school")
    [entry] = client.get(DUNPIN_FEED, headers=bearer(token)).get_json()["deliveries"]
    assert entry["has_attachment"] is True and entry["photo_url"] is None
    url = entry["attachment_url"]
    assert url.endswith(f"/deliveries/{post.id}/attachment")
    with client.get(url, headers=bearer(token)) as response:
        assert response.status_code == 200 and response.data == letter
        assert response.mimetype == "application/pdf"
        assert response.headers["Content-Disposition"].startswith("attachment;")
        assert response.headers["Content-Security-Policy"].startswith("sandbox")
    assert client.get(url).status_code == 401
    assert client.get(url, headers=bearer("fb_not-a-token")).status_code == 401
    taichung = token_for(app, "taichung-detention")
    assert client.get(url, headers=bearer(taichung)).status_code == 401
    other = f"/api/v1/facilities/taichung-detention/deliveries/{post.id}/attachment"
    assert client.get(other, headers=bearer(taichung)).status_code == 404


def test_a_post_without_attachment_has_no_attachment_url(app, client):
    _family, post = approved_post(app, photo=(io.BytesIO(png()), "kids.png"))
    token = token_for(app, "dunpin-school")
    [entry] = client.get(DUNPIN_FEED, headers=bearer(token)).get_json()["deliveries"]
    assert entry["has_attachment"] is False and entry["attachment_url"] is None
    attachment = f"{DUNPIN_FEED}/{post.id}/attachment"
    assert client.get(attachment, headers=bearer(token)).status_code == 404


def test_a_post_id_past_the_database_integer_is_404_not_a_server_error(app, client):
    approved_post(app)
    token = token_for(app, "dunpin-school")
    for item in ("photo", "attachment", "sheet.pdf"):
        response = client.get(f"{DUNPIN_FEED}/{10**20}/{item}", headers=bearer(token))
        assert response.status_code == 404, item
    assert client.post(f"{DUNPIN_FEED}/{10**20}/ack", headers=bearer(token)).status_code == 404
