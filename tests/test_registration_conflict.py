"""A registration with an e-mail address or ID that already has an account: the account's
owner is told, by their own name, in their language, on their own record, and nothing the
registering stranger typed reaches their inbox."""

from __future__ import annotations

from sqlalchemy import select, update

from domain.accounts import Account
from domain.notifications import Notification
from tests.conftest import read
from tests.web_support import DETAILS, login, mailed_path, register, verify

STRANGER = {
    "name": "Trần Văn Minh 請立即匯款",
    "national_id": "B100000002",
    "mobile": "0987654321",
    "phone": "02-99998888",
}


def _owner(app, client, mailbox, locale: str = "zh_Hant") -> Account:
    """The verified account of DETAILS, reading `locale`."""
    register(client)
    verify(client, mailed_path(mailbox.last()))
    database = app.extensions["db"]
    with database.transaction() as session:
        session.execute(update(Account).values(locale=locale))
    database.remove()
    [account] = read(app, select(Account))
    return account


def _body(message) -> str:
    return message["Subject"] + "\n" + message.get_body(("plain",)).get_content()


def _assert_nothing_typed(text: str) -> None:
    for value in STRANGER.values():
        assert value not in text
    assert "Trần Văn Minh" not in text


def test_taken_email_greets_the_owner_by_the_accounts_name_not_the_strangers(app, client, mailbox):
    owner = _owner(app, client, mailbox)
    register(app.test_client(), **STRANGER)
    message = mailbox.last()
    text = _body(message)
    assert message["To"] == owner.email and "註冊未完成" in message["Subject"]
    assert "王小明 您好" in text and "Hello 王小明" in text
    _assert_nothing_typed(text)


def test_taken_id_tells_the_ids_owner_at_the_owners_address(app, client, mailbox):
    owner = _owner(app, client, mailbox)
    register(
        app.test_client(),
        **{**STRANGER, "national_id": DETAILS["national_id"]},
        email="x@example.tw",
    )
    message = mailbox.last()
    text = _body(message)
    assert message["To"] == owner.email  # not the address the stranger typed
    assert "身分證明文件號碼" in text and "王小明 您好" in text
    _assert_nothing_typed(text)
    assert "x@example.tw" not in text
    assert [m["To"] for m in mailbox.messages()].count("x@example.tw") == 0


def test_the_owner_reads_it_in_the_accounts_language_too(app, client, mailbox):
    _owner(app, client, mailbox, locale="vi")
    register(app.test_client(), **STRANGER)
    text = _body(mailbox.last())
    assert "Đăng ký chưa hoàn tất" in text and "Kính gửi 王小明" in text
    assert "註冊未完成" in text and "Registration not completed" in text
    _assert_nothing_typed(text)


def test_the_notice_is_on_the_owners_record(app, client, mailbox):
    owner = _owner(app, client, mailbox)
    register(app.test_client(), **STRANGER)
    mailbox.last()
    [row] = read(
        app, select(Notification).where(Notification.category == "registration_conflict_email")
    )
    assert row.account_id == owner.id and row.destination == owner.email
    _assert_nothing_typed(row.subject + row.body)
    assert login(client, owner.email, DETAILS["password"]).status_code == 302
    page = client.get("/notifications").get_data(as_text=True)
    assert "註冊未完成" in page
