"""Vietnamese and Indonesian pages: browser tags, the switch, the notice, registration in vi."""

from __future__ import annotations

import re

import pytest
from flask import request
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import StringField
from wtforms.validators import DataRequired

from domain.accounts import Account, ConsentRecord
from tests.application_support import FAMILY, STAFF_PASSWORD, logged_in, seed
from tests.conftest import read
from tests.post_support import staff_email
from tests.web_support import DETAILS, login, mailed_path, register, submit, switch_language, verify
from webapp.i18n import bpmn_label

# The header's switch: one small form per language, its button named in that language.
SWITCH = re.compile(
    r'<form class="inline-form" method="post" action="/lang/(\w+)">\s*'
    r'<input type="hidden" name="csrf_token" value="[^"]+">\s*'
    r'<input type="hidden" name="next" value="([^"]*)">\s*'
    r'<button type="submit" class="link-button" lang="([\w-]+)"( aria-current="true")?>([^<]+)<'
)


@pytest.mark.parametrize(
    ("header", "html_lang", "words"),
    [
        ("vi-VN,vi;q=0.9,en;q=0.5", "vi", "Sổ liên lạc gia đình điện tử"),
        ("vi", "vi", "Đăng nhập"),
        ("id-ID,id;q=0.9", "id", "Buku Penghubung Keluarga Elektronik"),
        ("in-ID", "id", "Masuk"),
        ("fr-FR,id;q=0.8,zh-TW;q=0.5", "id", "Daftar"),
    ],
)
def test_browser_tags_pick_vietnamese_and_indonesian(client, header, html_lang, words):
    page = client.get("/", headers={"Accept-Language": header}).get_data(as_text=True)
    assert f'<html lang="{html_lang}">' in page
    assert words in page


def test_the_switch_offers_four_languages_each_in_its_own_words(client):
    page = client.get("/login?next=/posts").get_data(as_text=True)
    here = "/login?next=/posts"
    assert SWITCH.findall(page) == [
        ("zh_Hant", here, "zh-Hant", ' aria-current="true"', "中文"),
        ("en", here, "en", "", "English"),
        ("vi", here, "vi", "", "Tiếng Việt"),
        ("id", here, "id", "", "Bahasa Indonesia"),
    ]
    assert "hreflang" not in page  # buttons, not links to pages in those languages


def test_the_switch_to_vietnamese_is_remembered_over_the_browser(client):
    assert switch_language(client, "vi", "/login").headers["Location"] == "/login"
    page = client.get("/login", headers={"Accept-Language": "zh-TW"}).get_data(as_text=True)
    assert '<html lang="vi">' in page and "Quên mật khẩu?" in page
    assert 'lang="vi" aria-current="true">Tiếng Việt</button>' in page
    switch_language(client, "id")
    assert "Lupa kata sandi?" in client.get("/login").get_data(as_text=True)


def test_built_in_form_messages_in_vietnamese_and_indonesian(app):
    """WTForms ships no vi or id catalog: ours answers for its built-in messages."""

    class NameForm(FlaskForm):
        name = StringField("Name", validators=[DataRequired()])

    def check_name() -> str:
        form = NameForm(formdata=request.args, meta={"csrf": False})
        form.validate()
        return " ".join(form.name.errors)

    app.add_url_rule("/t/name", "t_name", check_name)
    client = app.test_client()
    assert client.get("/t/name", headers={"Accept-Language": "vi-VN"}).text == "Ô này là bắt buộc."
    assert client.get("/t/name", headers={"Accept-Language": "id"}).text == "Isian ini wajib diisi."


def test_chinese_stays_the_default(client):
    assert '<html lang="zh-Hant">' in client.get("/").get_data(as_text=True)


@pytest.mark.parametrize(
    ("language", "heading", "consent"),
    [
        ("vi", "# Thông báo thu thập dữ liệu cá nhân", "Tôi đã đọc và hiểu"),
        ("id", "# Pemberitahuan data pribadi", "Saya telah membaca dan memahami"),
    ],
)
def test_the_notice_and_consent_follow_the_page_language(client, language, heading, consent):
    switch_language(client, language)
    page = client.get("/register").get_data(as_text=True)
    assert heading.lstrip("# ") in page and consent in page
    assert "2026-11-v1" in page


def test_registration_in_vietnamese_end_to_end(app, client, mailbox):
    switch_language(client, "vi")
    task_url = submit(client, "/register", {"consent": "y"}).headers["Location"]
    bad = {**DETAILS, "birthday": "2999-01-01", "password": "short", "password_confirm": "x"}
    page = submit(client, task_url, {**bad, "mobile": ""}).get_data(as_text=True)
    errors = dict(re.findall(r'<p class="field-error" id="([\w-]+)-error">([^<]*)</p>', page))
    assert errors["birthday"] == "Ngày sinh không thể sau ngày hôm nay."
    assert "Mật khẩu phải có ít nhất 10 ký tự." in errors["password"]
    assert errors["mobile"] == "Hãy nhập số điện thoại di động của bạn."
    assert "Hãy sửa các mục sau:" in page
    assert read(app, select(Account)) == []

    response = submit(client, task_url, DETAILS)
    assert response.headers["Location"].endswith("/register/sent")
    [account] = read(app, select(Account))
    [consent] = read(app, select(ConsentRecord))
    assert account.locale == "vi" and consent.locale == "vi"
    message = mailbox.last()
    assert "Xác minh tài khoản / 帳號驗證 / Verify your account" in message["Subject"]
    body = message.get_body(("plain",)).get_content()
    assert body.index("Kính gửi 王小明") < body.index("王小明 您好") < body.index("Hello 王小明")
    page = verify(client, mailed_path(message)).get_data(as_text=True)
    assert "Tài khoản đã được xác minh" in page


def test_a_logged_in_family_keeps_its_language_for_notices(app, client, mailbox):
    register(client)
    verify(client, mailed_path(mailbox.last()))
    login(client, DETAILS["email"], DETAILS["password"])
    switch_language(client, "id")
    [account] = read(app, select(Account))
    assert account.locale == "id"
    switch_language(client, "zh_Hant")
    [account] = read(app, select(Account))
    assert account.locale == "zh_Hant"


def test_a_link_to_the_switch_leaves_a_family_account_alone(app, client, mailbox):
    """Another site's link (or image) to /lang/vi must not change the language of a signed-in
    family's pages or e-mail notices: the GET only asks."""
    register(client)
    verify(client, mailed_path(mailbox.last()))
    login(client, DETAILS["email"], DETAILS["password"])
    assert client.get("/lang/vi?next=/").status_code == 200
    [account] = read(app, select(Account))
    assert account.locale == "zh_Hant"
    assert '<html lang="zh-Hant">' in client.get("/").get_data(as_text=True)


def test_password_reset_mail_leads_with_the_family_language(app, client, mailbox):
    switch_language(client, "id")
    register(client)
    verify(client, mailed_path(mailbox.last()))
    other = app.test_client()  # another browser, in Chinese: the account's language decides
    submit(other, "/password/forgot", {"email": DETAILS["email"]})
    message = mailbox.last()
    assert "Atur ulang kata sandi / 重設密碼" in message["Subject"]
    body = message.get_body(("plain",)).get_content()
    assert body.startswith("Yth. 王小明,") and "重設密碼" not in body.split("---")[0]


@pytest.mark.parametrize(
    ("name", "language", "shown"),
    [
        ("審核家庭聯絡簿 Review the post", "zh_Hant", "審核家庭聯絡簿"),
        ("審核家庭聯絡簿 Review the post", "en", "Review the post"),
        ("審核家庭聯絡簿 Review the post", "vi", "Review the post"),
        ("發佈規則 Posting policy (DMN)", "zh_Hant", "發佈規則"),
        ("Review", "zh_Hant", "Review"),  # one language only: as it is
        ("審核", "en", "審核"),
        (None, "en", ""),
    ],
)
def test_a_bilingual_bpmn_name_shows_the_readers_part(app, name, language, shown):
    with app.test_request_context("/", headers={"Accept-Language": language.replace("_", "-")}):
        assert bpmn_label(name) == shown


def _offered(page: str) -> list[str]:
    return [code for code, *_rest in SWITCH.findall(page)]


def test_staff_pages_are_offered_in_chinese_and_english_only(app):
    """The vi and id catalogs cover family pages: a staff page under lang="vi" would be English
    read aloud as Vietnamese, so a staff member's earlier choice of vi gives way to Chinese."""
    seed(app)
    client = app.test_client()
    switch_language(client, "vi", "/login")
    login(client, staff_email("reviewer", "dunpin"), STAFF_PASSWORD)
    page = client.get("/inbox").get_data(as_text=True)
    assert '<html lang="zh-Hant">' in page
    assert _offered(page) == ["zh_Hant", "en"]
    assert switch_language(client, "vi", "/inbox").status_code == 404
    assert switch_language(client, "en", "/inbox").status_code == 302
    assert '<html lang="en">' in client.get("/inbox").get_data(as_text=True)


def test_a_staff_browser_asking_for_vietnamese_then_english_gets_english(app):
    seed(app)
    client = app.test_client()
    login(client, staff_email("reviewer", "dunpin"), STAFF_PASSWORD)
    page = client.get("/inbox", headers={"Accept-Language": "vi-VN,vi;q=0.9,en;q=0.5"})
    assert '<html lang="en">' in page.get_data(as_text=True)


def test_families_keep_all_four_languages(app):
    seed(app)
    client = logged_in(app, *FAMILY)
    switch_language(client, "vi", "/posts")
    page = client.get("/posts").get_data(as_text=True)
    assert '<html lang="vi">' in page
    assert _offered(page) == ["zh_Hant", "en", "vi", "id"]


def test_facilities_are_named_in_latin_script_and_in_chinese_for_vi_and_id(app):
    seed(app)
    family = logged_in(app, *FAMILY)
    chinese = family.get("/applications/new", follow_redirects=True).get_data(as_text=True)
    assert "法務部矯正署臺中看守所" in chinese and "Taichung Detention Center" not in chinese
    for code in ("vi", "id"):
        switch_language(family, code)
        page = family.get("/applications/new", follow_redirects=True).get_data(as_text=True)
        assert "Taichung Detention Center (法務部矯正署臺中看守所)" in page, code
    switch_language(family, "en")
    english = family.get("/applications/new", follow_redirects=True).get_data(as_text=True)
    assert "Taichung Detention Center" in english and "法務部矯正署臺中看守所" not in english
