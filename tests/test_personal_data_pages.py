"""/account: the family sees all its data and the notice it accepted, downloads it, corrects it."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from sqlalchemy import select

from domain.accounts import Account
from domain.demo import FAMILY_NATIONAL_ID
from domain.notice import CURRENT_VERSION
from domain.notifications import Notification
from tests.application_support import FAMILY, logged_in
from tests.conftest import read
from tests.privacy_support import HOUSEHOLD_PROOF, ID_PROOF, build
from tests.web_support import csrf_token, mailed_path, submit


@pytest.fixture
def world(app):
    return build(app)


def test_the_page_shows_the_data_with_the_id_masked_and_the_notice_accepted(world):
    page = world.family.get("/account").get_data(as_text=True)
    assert "F22****354" in page and FAMILY_NATIONAL_ID not in page
    assert "family@example.tw" in page and CURRENT_VERSION in page
    assert "1201" in page and "0610" in page  # the application and the contact book
    # The API token page is offered last, as a link, not among the main buttons.
    buttons = page.split("<h2>", 1)[0]
    assert "/account/api-tokens" not in buttons and 'href="/account/api-tokens"' in page
    notice = world.family.get("/account/notice").get_data(as_text=True)
    assert CURRENT_VERSION in notice and "<h2>個人資料蒐集告知聲明</h2>" in notice
    assert "# 個人資料" not in notice and "<h3>1. 蒐集機關</h3>" in notice


def test_staff_have_no_account_pages(app, world):
    reviewer = logged_in(app, "reviewer.dunpin@example.tw", "Staff-demo-2026")
    for url in ("/account", "/account/export", "/account/delete", "/account/contact"):
        assert reviewer.get(url).status_code == 404
    assert app.test_client().get("/account").status_code == 302  # a visitor: log in first


def test_the_export_holds_all_own_rows_and_files_and_nothing_of_others(app, world):
    response = world.family.get("/account/export", buffered=True)
    assert response.status_code == 200 and response.mimetype == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.get_data()))
    data = json.loads(archive.read("data.json"))
    assert data["account"]["email"] == FAMILY[0]
    assert data["account"]["national_id_masked"] == "F22****354"
    text = archive.read("data.json").decode()
    for secret in (
        "password_hash",
        "national_id_encrypted",
        "national_id_hash",
        FAMILY_NATIONAL_ID,
    ):
        assert secret not in text
    assert world.application_id in [a["id"] for a in data["applications"]]
    assert {a["account_id"] for a in data["applications"]} == {world.account_id}
    assert [p["id"] for p in data["posts"]] == [world.post_id]
    assert data["consent_records"][0]["notice_version"] == CURRENT_VERSION
    assert data["notifications"]  # the application's receipt at least
    contents = {name: archive.read(name) for name in archive.namelist() if name != "data.json"}
    assert ID_PROOF in contents.values() and HOUSEHOLD_PROOF in contents.values()
    file_ids = {int(name.split("/")[1].split("-")[0]) for name in contents}
    assert set(world.proof_ids) <= file_ids and world.other_file not in file_ids
    assert {f["id"] for f in data["files"]} == file_ids


def test_mobile_and_phone_change_at_once(app, world):
    response = submit(
        world.family,
        "/account/contact",
        {"email": FAMILY[0], "mobile": "0987-654-321", "phone": "02-1234567"},
    )
    assert response.status_code == 302
    [account] = read(app, select(Account).where(Account.id == world.account_id))
    assert (account.mobile, account.phone) == ("0987654321", "02-1234567")


def test_a_new_email_counts_only_after_its_link_and_the_old_address_is_told(app, world, mailbox):
    new = "new.address@example.tw"
    refused = submit(world.family, "/account/contact", {"email": new, "mobile": "0912345678"})
    assert refused.status_code == 200  # no password: nothing changes
    response = submit(
        world.family,
        "/account/contact",
        {"email": new, "mobile": "0912345678", "password": FAMILY[1]},
    )
    assert response.status_code == 302
    assert read(app, select(Account.email).where(Account.id == world.account_id)) == [FAMILY[0]]
    link_mail = mailbox.last()
    assert link_mail["To"] == new
    path = mailed_path(link_mail)
    assert world.family.get(path).status_code == 200  # a page with a button: nothing changed yet
    assert read(app, select(Account.email).where(Account.id == world.account_id)) == [FAMILY[0]]
    other_browser = app.test_client()
    token = csrf_token(other_browser, path)
    assert other_browser.post(path, data={"csrf_token": token}).status_code == 200
    assert read(app, select(Account.email).where(Account.id == world.account_id)) == [new]
    told = mailbox.last()
    assert told["To"] == FAMILY[0] and "n***s@example.tw" in told.get_body(("plain",)).get_content()
    assert other_browser.post(path, data={"csrf_token": token}).status_code == 400  # used
    assert logged_in(app, new, FAMILY[1])
    from domain.notifications import Notification

    kinds = read(
        app, select(Notification.category).where(Notification.account_id == world.account_id)
    )
    assert {"email_change_link", "email_changed"} <= set(kinds)  # both in the family's record


def test_an_altered_or_old_email_link_changes_nothing(app, world):
    from domain import links

    altered = links.email_change_token(world.account_id, FAMILY[0], "x@example.tw") + "x"
    assert world.family.get(f"/account/email/{altered}").status_code == 400
    stale = links.email_change_token(world.account_id, "someone.else@example.tw", "x@example.tw")
    client = app.test_client()
    url = f"/account/email/{stale}"
    assert client.post(url, data={"csrf_token": csrf_token(client, url)}).status_code == 400
    assert read(app, select(Account.email).where(Account.id == world.account_id)) == [FAMILY[0]]


def test_statuses_are_shown_in_words_not_codes(app):
    from tests.post_support import family_with_book, send_post

    family, book_id = family_with_book(app)
    send_post(family, book_id)
    page = family.get("/account").get_data(as_text=True)
    assert "待審核" in page and "— pending" not in page


def test_times_are_shown_in_taiwan_time_like_every_other_page(app):
    """The page reads the export's UTC text: 17:30 UTC on 1 March is 01:30 on 2 March in Taiwan."""
    from datetime import UTC, datetime

    from tests.post_support import family_with_book, send_post
    from workflows import clock

    late_evening = datetime(2026, 3, 1, 17, 30, tzinfo=UTC)
    clock.freeze(late_evening)
    family, book_id = family_with_book(app)
    send_post(family, book_id)
    with app.extensions["db"].transaction() as session:
        account_id = session.scalar(select(Account.id).where(Account.email == FAMILY[0]))
        session.add(
            Notification(
                account_id=account_id,
                channel="email",
                category="post_received",
                destination=FAMILY[0],
                subject="已收到",
                body="",
                status="sent",
                created_at=late_evening,
                sent_at=late_evening,
                touched_at=late_evening,
            )
        )
    page = family.get("/account").get_data(as_text=True)
    assert "2026-03-02 01:30" in page and "2026-03-01 17:30" not in page  # the mail record
    assert "2026-03-02 · " in page and "2026-03-01 · " not in page  # the post's day
