"""Registration end to end: notice → details → e-mailed link → verified → login/logout."""

from __future__ import annotations

import json
import logging
import re
from datetime import timedelta

from sqlalchemy import select

from domain.accounts import Account, AccountStatus, ConsentRecord
from domain.notice import CURRENT_VERSION
from tests.conftest import read
from tests.web_support import (
    DETAILS,
    csrf_token,
    login,
    mailed_path,
    register,
    submit,
    switch_language,
    verify,
)
from workflows import clock
from workflows.models import ProcessInstance, TaskHistory


def accounts(app):
    return read(app, select(Account))


def test_register_verify_login_logout(app, client, mailbox):
    page = client.get("/register")
    assert page.status_code == 200
    assert "個人資料" in page.get_data(as_text=True)
    assert register(client).endswith("/register/sent")
    [account] = accounts(app)
    assert account.status == AccountStatus.UNVERIFIED
    message = mailbox.last()
    assert message["To"] == "ming@example.tw" and "驗證" in message["Subject"]
    response = verify(client, mailed_path(message))
    assert response.status_code == 200 and "驗證成功" in response.get_data(as_text=True)
    [account] = accounts(app)
    assert account.status == AccountStatus.ACTIVE and account.verified_at is not None
    [consent] = read(app, select(ConsentRecord))
    assert consent.account_id == account.id and consent.notice_version == CURRENT_VERSION
    assert login(client, "ming@example.tw", DETAILS["password"]).status_code == 302
    assert "王小明" in client.get("/").get_data(as_text=True)
    assert submit(client, "/logout", {}).status_code == 302
    assert "王小明" not in client.get("/").get_data(as_text=True)


def test_logout_needs_a_post_with_its_csrf_token(app, client, mailbox):
    """A GET only asks (another site could embed /logout); a POST without the token is refused."""
    verify(client, mailed_path(_registered(client, mailbox)))
    assert login(client, "ming@example.tw", DETAILS["password"]).status_code == 302
    page = client.get("/logout")
    assert page.status_code == 200
    assert 'method="post" action="/logout"' in page.get_data(as_text=True)
    assert client.post("/logout").status_code == 400
    assert "王小明" in client.get("/").get_data(as_text=True)
    assert submit(client, "/logout", {}).status_code == 302
    assert "王小明" not in client.get("/").get_data(as_text=True)
    assert client.get("/logout").status_code == 302  # nothing to ask when logged out


def test_a_failed_activation_is_not_reported_as_verified(app, client, mailbox, monkeypatch):
    register(client)
    operations = app.extensions["engine"].runner.script_engine.environment.globals

    def activate_account(account_id):
        raise RuntimeError("activation offline")

    monkeypatch.setitem(operations, "activate_account", activate_account)
    response = verify(client, mailed_path(mailbox.last()))
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "驗證成功" not in page
    assert "尚未啟用" in page
    [account] = accounts(app)
    assert account.status == AccountStatus.UNVERIFIED
    [instance] = read(app, select(ProcessInstance))
    assert (instance.status, instance.incident_element) == ("incident", "activate")


def test_national_id_is_encrypted_masked_and_never_stored_or_logged_in_clear(
    app, client, mailbox, caplog
):
    caplog.set_level(logging.DEBUG)
    verify(client, mailed_path(_registered(client, mailbox)))
    [account] = accounts(app)
    assert DETAILS["national_id"] not in (account.national_id_encrypted or "")
    assert account.national_id_masked == "A12****789"
    for instance in read(app, select(ProcessInstance)):
        assert DETAILS["national_id"] not in instance.state
        assert DETAILS["password"] not in instance.state
    history = json.dumps([h.data for h in read(app, select(TaskHistory))], ensure_ascii=False)
    assert DETAILS["national_id"] not in history and "[redacted]" in history
    assert DETAILS["national_id"] not in caplog.text and DETAILS["password"] not in caplog.text


def _registered(client, mailbox, **changes):
    register(client, **changes)
    return mailbox.last()


def test_one_page_client_can_post_notice_and_details_together(app, client, mailbox):
    response = submit(client, "/register", {"consent": "y", **DETAILS})
    assert response.headers["Location"].endswith("/register/sent")
    assert [a.email for a in accounts(app)] == ["ming@example.tw"]


def test_missing_consent_is_refused_beside_the_box(app, client):
    response = submit(client, "/register", {})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and 'id="consent-error"' in page
    assert read(app, select(ProcessInstance)) == []


def test_bad_details_get_errors_beside_fields_and_keep_entries(app, client):
    response = submit(client, "/register", {"consent": "y"})
    task_url = response.headers["Location"]
    bad = {
        **DETAILS,
        "national_id": "A123456788",
        "birthday": "2999-01-01",
        "password": "short",
        "password_confirm": "different",
    }
    page = submit(client, task_url, bad).get_data(as_text=True)
    for field in ("national_id", "birthday", "password"):
        assert f'id="{field}-error"' in page, field
    assert 'value="王小明"' in page and 'value="ming@example.tw"' in page
    assert accounts(app) == []
    weak = {**DETAILS, "password": "ming@example.tw!", "password_confirm": "ming@example.tw!"}
    assert 'id="password-error"' in submit(client, task_url, weak).get_data(as_text=True)


def test_taken_email_looks_the_same_and_mails_the_owner(app, client, mailbox):
    verify(client, mailed_path(_registered(client, mailbox)))
    other = app.test_client()
    landing = register(other, national_id="B100000002", name="冒名者")
    assert landing.endswith("/register/sent")
    assert len(accounts(app)) == 1
    assert "註冊未完成" in mailbox.last()["Subject"]


def test_expired_link_offers_a_new_one(app, client, mailbox):
    path = mailed_path(_registered(client, mailbox))
    clock.advance(timedelta(minutes=10, seconds=1))
    response = verify(client, path)
    assert response.status_code == 400 and "/resend" in response.get_data(as_text=True)
    assert accounts(app)[0].status == AccountStatus.UNVERIFIED
    response = submit(client, path, {}, follow_redirects=False)  # the same page, once more
    assert response.status_code == 400
    token_page = path + "/resend"
    resent = client.post(token_page, data={"csrf_token": csrf_token(client, path)})
    assert resent.status_code == 302
    new_path = mailed_path(mailbox.last())
    assert new_path != path
    assert verify(client, new_path).status_code == 200
    assert accounts(app)[0].status == AccountStatus.ACTIVE


def test_used_altered_and_superseded_links_change_nothing(app, client, mailbox):
    first = mailed_path(_registered(client, mailbox))
    submit(client, "/verify/resend", {"email": "ming@example.tw"})
    second = mailed_path(mailbox.last())
    assert verify(client, first).status_code == 400  # replaced by the newer link
    assert verify(client, second[:-3] + "xyz").status_code == 400  # altered
    assert accounts(app)[0].status == AccountStatus.UNVERIFIED
    assert verify(client, second).status_code == 200
    again = client.get(second)  # used: it says so, and offers the log-in page
    page = again.get_data(as_text=True)
    assert again.status_code == 200 and "帳號已完成驗證" in page
    assert "/login" in page and "/resend" not in page
    altered = client.get(second[:-3] + "xyz")
    assert altered.status_code == 400 and "帳號已完成驗證" not in altered.get_data(as_text=True)


def test_a_superseded_link_of_a_verified_account_says_already_verified(app, client, mailbox):
    first = mailed_path(_registered(client, mailbox))
    submit(client, "/verify/resend", {"email": "ming@example.tw"})
    assert verify(client, mailed_path(mailbox.last())).status_code == 200
    sent = len(mailbox.messages())
    page = client.get(first).get_data(as_text=True)
    assert "帳號已完成驗證" in page and "/login" in page and "/resend" not in page
    # The "send a new link" button of the page opened before ends there too, and mails nothing.
    token = {"csrf_token": csrf_token(client, first)}
    pressed = client.post(first + "/resend", data=token, follow_redirects=True)
    assert "帳號已完成驗證" in pressed.get_data(as_text=True)
    assert len(mailbox.messages()) == sent


def test_a_verified_accounts_link_after_its_time_says_already_verified(app, client, mailbox):
    path = mailed_path(_registered(client, mailbox))
    assert verify(client, path).status_code == 200
    clock.advance(timedelta(days=8))
    page = app.test_client().get(path).get_data(as_text=True)
    assert "帳號已完成驗證" in page and "/resend" not in page


def test_an_unverified_accounts_expired_link_still_offers_a_new_one(app, client, mailbox):
    path = mailed_path(_registered(client, mailbox))
    clock.advance(timedelta(minutes=11))
    engine, db = app.extensions["engine"], app.extensions["db"]
    with db.transaction() as session:
        engine.tick(session)
    db.remove()
    response = client.get(path)
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "/resend" in page and "帳號已完成驗證" not in page


def test_unverified_account_cannot_log_in_and_is_offered_a_link(app, client, mailbox):
    _registered(client, mailbox)
    response = login(client, "ming@example.tw", DETAILS["password"])
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "/verify/resend" in page
    assert "王小明" not in client.get("/").get_data(as_text=True)


def test_wrong_password_and_unknown_email_get_the_same_answer(app, client, mailbox):
    verify(client, mailed_path(_registered(client, mailbox)))
    wrong = login(client, "ming@example.tw", "not the password 1").get_data(as_text=True)
    unknown = login(client, "nobody@example.tw", "not the password 1").get_data(as_text=True)
    marker = 'id="password-error"'
    assert marker in wrong and marker in unknown
    assert wrong.split(marker)[1][:200] == unknown.split(marker)[1][:200]


def test_five_failures_lock_the_account_for_a_while(app, client, mailbox):
    verify(client, mailed_path(_registered(client, mailbox)))
    for _attempt in range(5):
        assert login(client, "ming@example.tw", "wrong password 1").status_code == 200
    assert login(client, "ming@example.tw", DETAILS["password"]).status_code == 429


def test_password_reset_by_mail_link(app, client, mailbox):
    verify(client, mailed_path(_registered(client, mailbox)))
    assert login(client, "ming@example.tw", DETAILS["password"]).status_code == 302
    other_browser = app.test_client()
    submit(other_browser, "/password/forgot", {"email": "ming@example.tw"})
    path = mailed_path(mailbox.last())
    new = {"password": "a brand new secret 7", "password_confirm": "a brand new secret 7"}
    assert submit(other_browser, path, new).status_code == 302
    assert other_browser.get(path).status_code == 400  # used once
    assert "王小明" not in client.get("/").get_data(as_text=True)  # old session ended
    assert login(other_browser, "ming@example.tw", new["password"]).status_code == 302


def test_never_verified_account_is_erased_after_seven_days(app, client, mailbox):
    _registered(client, mailbox)
    engine, db = app.extensions["engine"], app.extensions["db"]
    clock.advance(timedelta(minutes=11))
    with db.transaction() as session:
        engine.tick(session)
    db.remove()
    assert accounts(app)[0].verification_nonce is None
    clock.advance(timedelta(days=7))
    with db.transaction() as session:
        engine.tick(session)
    db.remove()
    assert accounts(app) == []


def test_another_visitor_cannot_open_a_registration_task(app, client):
    task_url = submit(client, "/register", {"consent": "y"}).headers["Location"]
    assert client.get(task_url).status_code == 200
    assert app.test_client().get(task_url).status_code == 404


WEAK = ("1234567890", "password12", "王小明19850412", "qwertyuiop")


def test_easily_guessed_passwords_are_refused_at_registration(app, client):
    task_url = submit(client, "/register", {"consent": "y"}).headers["Location"]
    form = client.get(task_url).get_data(as_text=True)
    assert "至少 10 個字元，且不易被猜到" in form  # the rules, before anything is typed
    for weak in WEAK:
        page = submit(client, task_url, {**DETAILS, "password": weak, "password_confirm": weak})
        text = page.get_data(as_text=True)
        assert page.status_code == 200 and 'id="password-error"' in text, weak
        assert "這個密碼太容易被猜到" in text, weak
    assert accounts(app) == []


def test_the_weak_password_message_is_in_the_visitors_language(app, client):
    switch_language(client, "vi")
    task_url = submit(client, "/register", {"consent": "y"}).headers["Location"]
    weak = {**DETAILS, "password": "password12", "password_confirm": "password12"}
    text = submit(client, task_url, weak).get_data(as_text=True)
    assert "Mật khẩu này quá dễ đoán" in text and "Ít nhất 10 ký tự" in text


def test_easily_guessed_passwords_are_refused_at_reset(app, client, mailbox):
    verify(client, mailed_path(_registered(client, mailbox)))
    submit(client, "/password/forgot", {"email": "ming@example.tw"})
    path = mailed_path(mailbox.last())
    assert "至少 10 個字元" in client.get(path).get_data(as_text=True)
    for weak in WEAK:
        page = submit(client, path, {"password": weak, "password_confirm": weak})
        assert page.status_code == 200, weak
        assert "這個密碼太容易被猜到" in page.get_data(as_text=True), weak
        assert login(app.test_client(), "ming@example.tw", weak).status_code == 200
    assert login(app.test_client(), "ming@example.tw", DETAILS["password"]).status_code == 302


def test_a_reset_password_may_not_contain_the_national_id(app, client, mailbox):
    verify(client, mailed_path(_registered(client, mailbox)))
    submit(client, "/password/forgot", {"email": "ming@example.tw"})
    path = mailed_path(mailbox.last())
    with_id = f"my id {DETAILS['national_id'].lower()} ok"
    page = submit(client, path, {"password": with_id, "password_confirm": with_id})
    assert page.status_code == 200 and "密碼不可包含您的身分證" in page.get_data(as_text=True)
    assert login(app.test_client(), "ming@example.tw", with_id).status_code == 200
    assert login(app.test_client(), "ming@example.tw", DETAILS["password"]).status_code == 302


def test_the_notice_is_shown_as_rendered_markdown(client):
    page = client.get("/register").get_data(as_text=True)
    assert "<h2>個人資料蒐集告知聲明</h2>" in page and "<h3>1. 蒐集機關</h3>" in page
    assert "# 個人資料" not in page and "## 1." not in page
    assert "<li>確認註冊者或服務申請者之身分。</li>" in page


def test_the_notice_names_its_version_once(client):
    from domain.notice import CURRENT_VERSION

    page = client.get("/register").get_data(as_text=True)
    assert page.count(CURRENT_VERSION) == 1  # in the notice's own last line


def test_every_required_registration_field_says_so(app, client):
    page = client.get(submit(client, "/register", {"consent": "y"}).headers["Location"])
    labels = re.findall(r'<label for="(\w+)">[^<]*(<span class="field-required">)?', page.text)
    required = {name for name, marker in labels if marker}
    assert {"name", "national_id", "email", "birthday", "password"} <= required


def test_html_in_the_notice_source_is_escaped_not_run(client, monkeypatch):
    source = "# Title\n\n<script>alert(1)</script>\n\n[link](javascript:alert(2)) <b>bold</b>\n"
    monkeypatch.setattr("webapp.auth.register.load_notice", lambda *args: source)
    page = client.get("/register").get_data(as_text=True)
    assert "<h2>Title</h2>" in page
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)" in page
    assert "&lt;b&gt;bold&lt;/b&gt;" in page and 'href="javascript:' not in page
