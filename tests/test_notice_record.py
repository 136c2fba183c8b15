"""The family's SMS / e-mail record, and its choice of channels per group of notices."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from domain.accounts import Account
from domain.notice_preferences import preferences_of, set_preferences
from domain.notifications import Notification, NotificationStatus
from domain.notify import notify_account
from tests.application_support import FAMILY, logged_in, make_family, seed
from tests.conftest import read
from tests.web_support import csrf_token, switch_language
from workflows import clock

OTHER = "other@example.tw"


def account(session, email: str) -> Account:
    return session.scalar(select(Account).where(Account.email == email))


def add_rows(app, email: str, count: int, **fields) -> None:
    """`count` notices of this account, one minute apart (the last is the newest)."""
    database = app.extensions["db"]
    with database.transaction() as session:
        owner = account(session, email)
        start = clock.now() - timedelta(hours=1)
        for n in range(count):
            moment = start + timedelta(minutes=n)
            values = dict(
                account_id=owner.id,
                channel="email",
                category="post_approved",
                destination=owner.email,
                subject=f"通知 {n:02d}",
                body=f"內容 {n:02d}",
                status=NotificationStatus.SENT,
                attempts=1,
                created_at=moment,
                touched_at=moment,
                sent_at=moment,
            )
            session.add(Notification(**(values | fields)))
    database.remove()


def test_record_shows_own_notices_newest_first_paged_and_masked(app):
    seed(app)
    make_family(app, OTHER)
    add_rows(app, FAMILY[0], 23)
    add_rows(app, OTHER, 1, subject="別人的通知", destination=OTHER)
    client = logged_in(app, *FAMILY)
    first = client.get("/notifications").get_data(as_text=True)
    assert first.count('class="post-card notice-record"') == 20
    assert first.index("通知 22") < first.index("通知 21") < first.index("通知 03")
    assert "通知 02" not in first and "別人的通知" not in first
    assert "f***y@example.tw" in first and "family@example.tw" not in first
    second = client.get("/notifications?page=2").get_data(as_text=True)
    assert second.count('class="post-card notice-record"') == 3
    assert "通知 00" in second and "通知 03" not in second


def test_a_page_number_past_any_offset_is_an_empty_page_not_a_server_error(app):
    seed(app)
    add_rows(app, FAMILY[0], 1)
    client = logged_in(app, *FAMILY)
    response = client.get("/notifications?page=99999999999999999999")
    assert response.status_code == 200
    assert 'class="post-card notice-record"' not in response.get_data(as_text=True)


def test_record_shows_queued_sent_and_failed_as_such(app):
    seed(app)
    add_rows(app, FAMILY[0], 1, subject="已寄出的")
    add_rows(app, FAMILY[0], 1, subject="等待中的", status="queued", sent_at=None, attempts=0)
    add_rows(
        app,
        FAMILY[0],
        1,
        subject="失敗的簡訊",
        status="failed",
        sent_at=None,
        attempts=6,
        channel="sms",
        destination="0912345678",
    )
    client = logged_in(app, *FAMILY)
    switch_language(client, "en")
    page = client.get("/notifications").get_data(as_text=True)
    assert "Waiting to be sent" in page and "Sent" in page
    assert "Could not be sent" in page and "after 6 attempts" in page
    assert "*******678" in page and "0912345678" not in page


def test_staff_and_visitors_have_no_record_page(app):
    seed(app)
    from tests.post_support import staff

    assert staff(app, "reviewer", "dunpin").get("/notifications").status_code == 404
    assert app.test_client().get("/notifications").status_code == 302


def notify(app, email: str, kind: str = "application_approved") -> list[tuple[str, str]]:
    """Send one notice of `kind` to the account; (channel, destination) of the rows queued."""
    database = app.extensions["db"]
    with database.transaction() as session:
        values = {"name": "王", "label": "1201 王〇〇", "facility": "敦品中學", "link": "L"}
        rows = notify_account(session, account(session, email), kind, values)
        found = sorted((row.channel, row.destination) for row in rows)
    database.remove()
    return found


def choose(app, email: str, **choices: str) -> None:
    database = app.extensions["db"]
    with database.transaction() as session:
        set_preferences(session, account(session, email).id, choices)
    database.remove()


def test_preferences_are_honoured(app):
    seed(app)
    mail, sms = ("email", FAMILY[0]), ("sms", "0912345678")
    assert notify(app, FAMILY[0]) == [mail]  # the default: e-mail
    choose(app, FAMILY[0], application="sms")
    assert notify(app, FAMILY[0]) == [sms]
    choose(app, FAMILY[0], application="both")
    assert notify(app, FAMILY[0]) == [mail, sms]
    choose(app, FAMILY[0], application="email")
    assert notify(app, FAMILY[0]) == [mail]
    assert notify(app, FAMILY[0], "post_approved") == [mail]  # another group: its own choice


def test_sms_without_a_mobile_goes_by_email(app):
    seed(app)
    make_family(app, OTHER)  # no mobile number
    choose(app, OTHER, application="sms")
    assert notify(app, OTHER) == [("email", OTHER)]


def test_preferences_page_saves_the_choices(app):
    seed(app)
    client = logged_in(app, *FAMILY)
    token = csrf_token(client, "/notifications/preferences")
    choices = {
        "account": "both",
        "application": "sms",
        "post": "email",
        "suspension": "both",
        "reply": "sms",
        "institution_post": "off",
    }
    response = client.post("/notifications/preferences", data={"csrf_token": token, **choices})
    assert response.status_code == 302
    database = app.extensions["db"]
    with database.transaction() as session:
        assert preferences_of(session, account(session, FAMILY[0]).id) == choices
    database.remove()
    assert client.get("/notifications/preferences").status_code == 200
    refused = dict(choices, account="sms")  # account notices always include e-mail
    response = client.post("/notifications/preferences", data={"csrf_token": token, **refused})
    assert response.status_code == 200
    assert notify(app, FAMILY[0]) == [("sms", "0912345678")]
    rows = read(app, select(Notification.category).where(Notification.channel == "sms"))
    assert rows == ["application_approved"]


def test_record_labels_say_sent_and_to_address_not_post_review_words(app):
    """The notice's state and address have their own msgids (context), not the post pages'."""
    seed(app)
    add_rows(app, FAMILY[0], 1)
    client = logged_in(app, *FAMILY)
    expected = {
        "zh_Hant": ("已寄出", "收件地址"),
        "vi": ("Đã gửi", "Địa chỉ nhận"),
        "id": ("Terkirim", "Alamat tujuan"),
    }
    for language, (sent, to) in expected.items():
        switch_language(client, language)
        page = client.get("/notifications").get_data(as_text=True)
        assert f'<span class="badge badge--approved">{sent}</span>' in page, language
        assert f"<dt>{to}</dt>" in page, language
        assert "發佈時間" not in page and "發佈對象" not in page
