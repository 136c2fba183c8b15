"""The facility admin's staff accounts: own facility only, a new colleague sets their password
by the mailed reset link, roles and disabling audited, no self-lockout, double sends say done."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select, update

import domain.staff as staff_rules
from domain.accounts import Account, AccountStatus
from domain.audit import COMMAND_LINE, WITHHELD, AuditEvent
from domain.demo import STAFF_PASSWORD
from domain.staff import LastAdmin, change_staff_role, set_staff_enabled
from tests.api_support import api, token_of
from tests.conftest import read
from tests.roster_support import ADMIN, demo  # noqa: F401 (the demo data fixture)
from tests.web_support import ALREADY, csrf_token, login, mailed_path, submit, switch_language
from workflows import clock

REVIEWER = "reviewer.taichung@example.tw"
NEW = {"name": "蘇美華", "email": "su.meihua@example.tw", "role": "reviewer"}


@pytest.fixture
def admin(client, demo):  # noqa: F811
    assert login(client, ADMIN, STAFF_PASSWORD).status_code == 302
    return client


def account(app, email: str) -> Account:
    [row] = read(app, select(Account).where(Account.email == email))
    return row


def events(app, action: str) -> list[AuditEvent]:
    return read(app, select(AuditEvent).where(AuditEvent.action == action))


def member_url(app, email: str) -> str:
    return f"/admin/staff/{account(app, email).id}"


def press(client, url: str, page: str):
    """A disable or enable button of the staff member's page."""
    return client.post(url, data={"csrf_token": csrf_token(client, page)}, follow_redirects=True)


def test_the_list_shows_only_the_own_facilitys_staff_with_chinese_roles(admin, demo):  # noqa: F811
    html = admin.get("/admin/staff").get_data(as_text=True)
    assert 'href="/admin/staff"' in html  # the header link, in "More"
    assert "<h1>職員帳號</h1>" in html
    for name in ("陳怡君", "林志明", "黃淑芬"):
        assert name in html
    assert REVIEWER in html and "審核人員" in html and "機關管理者" in html and "啟用中" in html
    assert "張雅婷" not in html and "reviewer.dunpin" not in html  # Dunpin's
    assert "周承翰" not in html and "楊淑華" not in html  # process owner, auditor
    assert "王小美" not in html  # the family


def test_a_new_colleague_sets_their_password_by_the_mailed_link(app, admin, mailbox):
    response = submit(admin, "/admin/staff/new", NEW)
    assert response.status_code == 302 and response.headers["Location"] == "/admin/staff"
    new = account(app, NEW["email"])
    assert (new.role, new.status, new.name) == ("reviewer", AccountStatus.ACTIVE, "蘇美華")
    assert new.facility_id == account(app, ADMIN).facility_id
    message = mailbox.last()
    assert message["To"] == NEW["email"]
    text = message.get_body(("plain",)).get_content()
    assert "職員帳號已建立" in message["Subject"] + text and "審核人員" in text  # a welcome
    assert "若您沒有要求重設密碼" not in text  # not the reset mail of someone who asked
    path = mailed_path(message)
    assert path.startswith("/password/reset/")
    [event] = events(app, "account.create_staff")
    assert event.object_id == str(new.id) and event.actor == f"account:{account(app, ADMIN).id}"
    assert event.after == {"email": WITHHELD, "name": WITHHELD, "role": "reviewer"}
    assert path.rsplit("/", 1)[1] not in str(event.after)

    colleague = app.test_client()
    password = {"password": "my own secret 2026", "password_confirm": "my own secret 2026"}
    assert submit(colleague, path, password).status_code == 302
    assert colleague.get(path).status_code == 400  # the link works once
    assert login(colleague, NEW["email"], password["password"]).status_code == 302


def test_a_taken_email_is_refused_beside_the_field(app, admin):
    for email in (REVIEWER, "Reviewer.Dunpin@example.tw", "family@example.tw"):
        response = submit(admin, "/admin/staff/new", {**NEW, "email": email})
        html = response.get_data(as_text=True)
        assert response.status_code == 200
        error = html.split('id="email-error"')[1][:200]
        assert "已有其他帳號使用這個電子郵件地址" in error, email
    assert events(app, "account.create_staff") == []


def test_only_facility_roles_may_be_given(app, admin):
    for role in ("process_owner", "auditor", "family"):
        response = submit(admin, "/admin/staff/new", {**NEW, "role": role})
        assert response.status_code == 200
    assert read(app, select(Account).where(Account.email == NEW["email"])) == []
    url = member_url(app, REVIEWER)
    assert submit(admin, url, {"role": "process_owner"}).status_code == 200
    assert account(app, REVIEWER).role == "reviewer"


def test_the_role_is_changed_and_audited(app, admin):
    url = member_url(app, REVIEWER)
    response = submit(admin, url, {"role": "supervisor"}, follow_redirects=True)
    assert "角色已變更" in response.get_data(as_text=True)
    assert account(app, REVIEWER).role == "supervisor"
    [event] = events(app, "account.change_role")
    assert (event.before, event.after) == ({"role": "reviewer"}, {"role": "supervisor"})
    assert "主管" in admin.get("/admin/staff").get_data(as_text=True)


def test_a_disabled_account_cannot_sign_in_until_enabled(app, admin):
    reviewer = app.test_client()
    assert login(reviewer, REVIEWER, STAFF_PASSWORD).status_code == 302
    assert "陳怡君" in reviewer.get("/").get_data(as_text=True)
    token = token_of(app, REVIEWER)
    url = member_url(app, REVIEWER)
    html = press(admin, url + "/disable", url).get_data(as_text=True)
    assert "帳號已停用" in html
    assert account(app, REVIEWER).status == AccountStatus.DISABLED
    assert "陳怡君" not in reviewer.get("/").get_data(as_text=True)  # its open session ended
    assert login(app.test_client(), REVIEWER, STAFF_PASSWORD).status_code == 200
    assert "已停用" in admin.get("/admin/staff").get_data(as_text=True)
    press(admin, url + "/enable", url)
    assert login(app.test_client(), REVIEWER, STAFF_PASSWORD).status_code == 302
    # What was open before the disabling stays closed: the old session, the API token.
    assert "陳怡君" not in reviewer.get("/").get_data(as_text=True)
    assert api(app, token).status_code == 401
    disabled, enabled = events(app, "account.disable"), events(app, "account.enable")
    assert [e.after for e in disabled + enabled] == [
        {"status": "disabled", "tokens_revoked": 1},
        {"status": "active"},
    ]


def post_review(app) -> str:
    """The guid of a post's review task at Taichung."""
    from tests.post_support import family_with_book, review_task, send_post

    family, book_id = family_with_book(app, "taichung-detention", "0609")
    assert send_post(family, book_id).status_code == 302
    return review_task(app)


def hold(app, guid: str, email: str) -> None:
    """This staff member claims the task."""
    from webapp.actors import account_actor

    database, engine = app.extensions["db"], app.extensions["engine"]
    with database.transaction() as session:
        holder = session.scalar(select(Account).where(Account.email == email))
        engine.claim(session, guid, account_actor(holder))
    database.remove()


def assignee_of(app, guid: str):
    from workflows.models import HumanTask

    [held_by] = read(app, select(HumanTask.assignee_id).where(HumanTask.task_guid == guid))
    return held_by


def test_disabling_or_moving_a_colleague_puts_their_held_tasks_back_in_the_pile(app, admin):
    guid = post_review(app)
    hold(app, guid, REVIEWER)
    assert assignee_of(app, guid) == account(app, REVIEWER).id
    url = member_url(app, REVIEWER)
    press(admin, url + "/disable", url)
    assert assignee_of(app, guid) is None
    [event] = events(app, "account.disable")
    assert event.after["tasks_released"] == 1
    press(admin, url + "/enable", url)
    supervisor = "supervisor.taichung@example.tw"
    hold(app, guid, supervisor)
    assert submit(admin, member_url(app, supervisor), {"role": "reviewer"}).status_code == 302
    assert assignee_of(app, guid) is None
    [moved] = events(app, "account.change_role")
    assert moved.after == {"role": "reviewer", "tasks_released": 1}


def test_an_admin_cannot_lock_themselves_out(app, admin):
    url = member_url(app, ADMIN)
    response = submit(admin, url, {"role": "reviewer"})
    error = response.get_data(as_text=True).split('id="role-error"')[1][:200]
    assert response.status_code == 200 and "您不能取消自己的管理者角色" in error
    html = press(admin, url + "/disable", url).get_data(as_text=True)
    assert "您不能停用自己的帳號" in html
    admin_now = account(app, ADMIN)
    assert (admin_now.role, admin_now.status) == ("facility_admin", AccountStatus.ACTIVE)
    assert events(app, "account.change_role") == events(app, "account.disable") == []


LAST_ADMIN = "這是本機關最後一位啟用中的機關管理者"


def a_second_admin(app, admin) -> str:
    """The page of another facility admin of Taichung, made on the staff page."""
    submit(admin, "/admin/staff/new", {**NEW, "role": "facility_admin"})
    return member_url(app, NEW["email"])


def meanwhile(monkeypatch, change) -> None:
    """While the request waits for its facility's row, a colleague's `change` commits: the
    other admin acting on this one at the same moment."""
    lock = staff_rules.lock_row

    def lock_then_change(session, model, row_id):
        lock(session, model, row_id)
        session.execute(change)

    monkeypatch.setattr(staff_rules, "lock_row", lock_then_change)


def test_two_admins_removing_each_other_at_once_leave_one(app, admin, monkeypatch):
    other = a_second_admin(app, admin)
    me = account(app, ADMIN).id
    meanwhile(monkeypatch, update(Account).where(Account.id == me).values(role="reviewer"))
    response = submit(admin, other, {"role": "reviewer"})
    error = response.get_data(as_text=True).split('id="role-error"')[1][:200]
    assert response.status_code == 200 and LAST_ADMIN in error
    colleague = account(app, NEW["email"])
    assert (colleague.role, colleague.status) == ("facility_admin", AccountStatus.ACTIVE)
    assert events(app, "account.change_role") == []


def test_the_last_active_admin_is_not_disabled_by_a_colleague_at_once(app, admin, monkeypatch):
    other = a_second_admin(app, admin)
    me = account(app, ADMIN).id
    disabled = update(Account).where(Account.id == me).values(status=AccountStatus.DISABLED)
    meanwhile(monkeypatch, disabled)
    html = press(admin, other + "/disable", other).get_data(as_text=True)
    assert LAST_ADMIN in html  # on the page they land on (signed out: they were disabled)
    assert account(app, NEW["email"]).status == AccountStatus.ACTIVE
    assert events(app, "account.disable") == []


def test_nobody_disables_or_demotes_a_facilitys_last_active_admin(app, demo):  # noqa: F811
    database = app.extensions["db"]
    with database.transaction() as session:
        last = session.scalar(select(Account).where(Account.email == ADMIN))
        for change in (
            lambda: set_staff_enabled(session, COMMAND_LINE, last, False),
            lambda: change_staff_role(session, COMMAND_LINE, last, "supervisor"),
        ):
            with pytest.raises(LastAdmin):
                change()
    database.remove()
    admin_now = account(app, ADMIN)
    assert (admin_now.role, admin_now.status) == ("facility_admin", AccountStatus.ACTIVE)


NOT_SET = "尚未設定密碼"
PASSWORD = {"password": "my own secret 2026", "password_confirm": "my own secret 2026"}


def send_link(client, url: str, **kwargs):
    """Press the staff member's "send a new link" button, with what their page holds."""
    page = client.get(url).get_data(as_text=True)
    last_link = re.search(r'name="last_link" value="([^"]*)"', page)[1]
    data = {"csrf_token": csrf_token(client, url), "last_link": last_link}
    return client.post(url + "/password-link", data=data, **kwargs)


def test_a_new_link_to_set_the_password_replaces_the_earlier_ones(app, admin, mailbox):
    submit(admin, "/admin/staff/new", NEW)
    welcome = mailed_path(mailbox.last())
    url = member_url(app, NEW["email"])
    assert NOT_SET in admin.get("/admin/staff").get_data(as_text=True)
    assert NOT_SET in admin.get(url).get_data(as_text=True)
    clock.advance(timedelta(hours=1, seconds=1))
    colleague = app.test_client()
    assert colleague.get(welcome).status_code == 400  # its hour has passed
    html = send_link(admin, url, follow_redirects=True).get_data(as_text=True)
    assert f"新的設定密碼連結已寄到 {NEW['email']}" in html
    message = mailbox.last()
    assert message["To"] == NEW["email"] and "職員帳號已建立" in message["Subject"]
    first = mailed_path(message)
    assert first != welcome and colleague.get(first).status_code == 200
    send_link(admin, url)
    newest = mailed_path(mailbox.last())
    assert colleague.get(first).status_code == 400  # replaced by the newer link
    assert submit(colleague, newest, PASSWORD).status_code == 302
    assert login(colleague, NEW["email"], PASSWORD["password"]).status_code == 302
    assert NOT_SET not in admin.get("/admin/staff").get_data(as_text=True)
    sent = events(app, "account.password_link")
    assert [e.object_id for e in sent] == [str(account(app, NEW["email"]).id)] * 2
    assert {e.actor for e in sent} == {f"account:{account(app, ADMIN).id}"}


def test_a_new_link_leaves_a_set_password_and_its_sessions_alone(app, admin, mailbox):
    reviewer = app.test_client()
    assert login(reviewer, REVIEWER, STAFF_PASSWORD).status_code == 302
    url = member_url(app, REVIEWER)
    assert NOT_SET not in admin.get(url).get_data(as_text=True)
    assert send_link(admin, url).status_code == 302
    assert "陳怡君" in reviewer.get("/").get_data(as_text=True)  # still signed in
    assert login(app.test_client(), REVIEWER, STAFF_PASSWORD).status_code == 302
    assert submit(app.test_client(), mailed_path(mailbox.last()), PASSWORD).status_code == 302
    assert login(app.test_client(), REVIEWER, PASSWORD["password"]).status_code == 302


def test_the_link_button_pressed_twice_mails_once(app, admin, mailbox):
    url = member_url(app, REVIEWER)
    data = {"csrf_token": csrf_token(admin, url), "last_link": ""}
    assert admin.post(url + "/password-link", data=data).status_code == 302
    again = admin.post(url + "/password-link", data=data, follow_redirects=True)
    assert again.status_code == 200 and ALREADY in again.get_data(as_text=True)
    assert len(events(app, "account.password_link")) == 1
    assert len([m for m in mailbox.messages() if m["To"] == REVIEWER]) == 1


def test_a_disabled_account_gets_no_link(app, admin, mailbox):
    url = member_url(app, REVIEWER)
    press(admin, url + "/disable", url)
    assert "/password-link" not in admin.get(url).get_data(as_text=True)
    data = {"csrf_token": csrf_token(admin, url), "last_link": ""}
    html = admin.post(url + "/password-link", data=data, follow_redirects=True)
    assert "此帳號已停用" in html.get_data(as_text=True)
    assert events(app, "account.password_link") == []
    assert [m for m in mailbox.messages() if m["To"] == REVIEWER] == []


def test_another_facilitys_staff_and_other_roles_get_404(app, client, demo):  # noqa: F811
    dunpin = member_url(app, "reviewer.dunpin@example.tw")
    owner = member_url(app, "owner@example.tw").replace("/admin/staff/", "")
    family = account(app, "family@example.tw").id
    assert client.get("/admin/staff").status_code == 302  # a visitor is sent to log in
    for email in (REVIEWER, "supervisor.taichung@example.tw", "owner@example.tw"):
        other = app.test_client()
        login(other, email, STAFF_PASSWORD)
        assert other.get("/admin/staff").status_code == 404
        assert other.get("/admin/staff/new").status_code == 404
        assert 'href="/admin/staff"' not in other.get("/").get_data(as_text=True)
    login(client, ADMIN, STAFF_PASSWORD)
    token = csrf_token(client, "/admin/staff")
    for url in (dunpin, f"/admin/staff/{owner}", f"/admin/staff/{family}", "/admin/staff/999999"):
        assert client.get(url).status_code == 404, url
        for action in ("", "/disable", "/enable", "/password-link"):
            data = {"csrf_token": token, "role": "reviewer"}
            assert client.post(url + action, data=data).status_code == 404, url + action
    assert account(app, "reviewer.dunpin@example.tw").status == AccountStatus.ACTIVE


def test_posts_need_the_csrf_token(app, admin):
    assert admin.post("/admin/staff/new", data=NEW).status_code == 400
    assert admin.post(member_url(app, REVIEWER) + "/disable").status_code == 400
    assert admin.post(member_url(app, REVIEWER) + "/password-link").status_code == 400
    assert account(app, REVIEWER).status == AccountStatus.ACTIVE


def test_the_same_add_sent_twice_adds_and_mails_once(app, admin, mailbox):
    data = {"csrf_token": csrf_token(admin, "/admin/staff/new"), **NEW}
    first = admin.post("/admin/staff/new", data=data)
    second = admin.post("/admin/staff/new", data=data, follow_redirects=True)
    assert first.status_code == 302 and second.status_code == 200
    assert ALREADY in second.get_data(as_text=True)
    assert len(events(app, "account.create_staff")) == 1
    assert len([m for m in mailbox.messages() if m["To"] == NEW["email"]]) == 1


def test_disable_or_a_role_change_sent_twice_is_recorded_once(app, admin):
    url = member_url(app, REVIEWER)
    data = {"csrf_token": csrf_token(admin, url)}
    assert admin.post(url + "/disable", data=data).status_code == 302
    again = admin.post(url + "/disable", data=data, follow_redirects=True)
    assert again.status_code == 200 and ALREADY in again.get_data(as_text=True)
    assert len(events(app, "account.disable")) == 1
    role = {**data, "role": "supervisor"}
    assert admin.post(url, data=role).status_code == 302
    again = admin.post(url, data=role, follow_redirects=True)
    assert again.status_code == 200 and ALREADY in again.get_data(as_text=True)
    assert len(events(app, "account.change_role")) == 1


def test_the_pages_read_in_english_too(app, admin):
    switch_language(admin, "en")
    html = admin.get(member_url(app, REVIEWER)).get_data(as_text=True)
    assert "Disable the account" in html and "Change the role" in html
