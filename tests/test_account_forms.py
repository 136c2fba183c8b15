"""The account forms: validation beside each field, and task data free of secrets."""

import json
from datetime import UTC, datetime

import pytest
from flask import Flask
from flask_babel import Babel
from werkzeug.datastructures import MultiDict

from domain import crypto, passwords
from forms import get_form_class, known_form_keys
from forms.account import (
    ConsentForm,
    EmailOnlyForm,
    LoginForm,
    PasswordResetForm,
    RegistrationForm,
)
from workflows.clock import clock

GOOD = {
    "name": " 王小美 ",
    "national_id": "f224681354",
    "email": " Mei.Wang@Example.TW ",
    "birthday": "1985-03-14",
    "mobile": "0912-345 678",
    "phone": "04-2385-3880#240",
    "password": "family contact 2026",
    "password_confirm": "family contact 2026",
}


@pytest.fixture(scope="module")
def app():
    app = Flask(__name__)
    app.config.update(SECRET_KEY="test", WTF_CSRF_ENABLED=False, TESTING=True)
    Babel(app)
    return app


@pytest.fixture(autouse=True)
def setup(app):
    crypto.configure("form-test-encryption", "form-test-hash")
    clock.freeze(datetime(2026, 11, 1, 17, 0, tzinfo=UTC))  # 2 Nov, 01:00 in Taipei
    with app.test_request_context(method="POST"):
        yield
    clock.reset()


def submit(form_class, overrides=None, **kwargs):
    """Build and validate a form from posted data, as a view would."""
    form = form_class(formdata=MultiDict({**GOOD, **(overrides or {})}), **kwargs)
    form.validate()
    return form


def test_valid_registration_gives_task_data_without_secrets():
    form = submit(RegistrationForm)
    assert form.errors == {}
    data = form.task_data()["registration"]
    assert data["name"] == "王小美"
    assert data["email"] == "mei.wang@example.tw"
    assert data["birthday"] == "1985-03-14"
    assert data["mobile"] == "0912345678"
    assert data["national_id_masked"] == "F22****354"
    assert crypto.decrypt_id(data["national_id_encrypted"]) == "F224681354"
    assert data["national_id_hash"] == crypto.id_lookup_hash("F224681354")
    assert passwords.verify_password(data["password_hash"], "family contact 2026")
    flat = json.dumps(form.task_data(), ensure_ascii=False).upper()  # JSON-safe, too
    assert "F224681354" not in flat
    assert "FAMILY CONTACT 2026" not in flat
    assert not {"password", "password_confirm", "csrf_token", "national_id"} & set(data)


@pytest.mark.parametrize(
    "bad_id,phrase",
    [
        ("A12345678", "resident certificate"),
        ("A123456788", "not valid"),
        ("", "Enter your national ID"),
    ],
)
def test_bad_national_id_is_refused_beside_the_field(bad_id, phrase):
    form = submit(RegistrationForm, {"national_id": bad_id})
    assert list(form.errors) == ["national_id"]
    assert phrase in str(form.national_id.errors[0])


def test_resident_certificate_is_accepted():
    form = submit(RegistrationForm, {"national_id": "AB00207171"})
    assert form.errors == {}


@pytest.mark.parametrize(
    "password,phrase",
    [
        ("short-pw", "at least 10"),
        ("xxF224681354xx", "ID number"),
        ("MEI.WANG@example.tw!", "e-mail"),
    ],
)
def test_weak_passwords_are_refused(password, phrase):
    form = submit(RegistrationForm, {"password": password, "password_confirm": password})
    assert list(form.errors) == ["password"]
    assert phrase in str(form.password.errors[0])


def test_password_confirmation_must_match():
    form = submit(RegistrationForm, {"password_confirm": "family contact 2027"})
    assert list(form.errors) == ["password_confirm"]


@pytest.mark.parametrize(
    "birthday,phrase",
    [
        ("2026-11-03", "future"),
        ("1899-12-31", "year"),
        ("14/03/1985", "YYYY-MM-DD"),
        ("", "Enter your date of birth"),
    ],
)
def test_bad_birthdays_are_refused(birthday, phrase):
    form = submit(RegistrationForm, {"birthday": birthday})
    assert list(form.errors) == ["birthday"]
    assert phrase in str(form.birthday.errors[0])


def test_birthday_today_in_taipei_is_accepted_though_utc_is_a_day_behind():
    assert submit(RegistrationForm, {"birthday": "2026-11-02"}).errors == {}


@pytest.mark.parametrize(
    "field,value", [("mobile", "02-2345678"), ("email", "mei@"), ("phone", "call me")]
)
def test_contact_details_are_checked(field, value):
    form = submit(RegistrationForm, {field: value})
    assert list(form.errors) == [field]


def test_entries_are_kept_on_re_render_but_passwords_are_not_echoed():
    form = submit(RegistrationForm, {"national_id": "A123456788"})
    assert 'value="mei.wang@example.tw"' in form.email().lower()
    assert 'value="A123456788"' in form.national_id()
    assert "family contact 2026" not in form.password()


def test_consent_is_required():
    form = ConsentForm(formdata=MultiDict({}))
    assert not form.validate()
    assert list(form.errors) == ["consent"]


def test_consent_task_data_names_the_notice_version():
    form = ConsentForm(formdata=MultiDict({"consent": "y"}))
    assert form.validate()
    consent = json.loads(json.dumps(form.task_data()))["consent"]
    assert consent["version"] == "2026-11-v1"
    assert consent["accepted"] is True
    assert consent["accepted_at"] == "2026-11-01T17:00:00+00:00"


def test_registry_knows_the_task_forms():
    assert get_form_class("RegistrationForm") is RegistrationForm
    assert get_form_class("ConsentForm") is ConsentForm
    assert {"RegistrationForm", "ConsentForm"} <= known_form_keys()
    assert "LoginForm" not in known_form_keys()
    with pytest.raises(KeyError):
        get_form_class("NoSuchForm")


def test_password_reset_uses_the_same_rules_and_the_known_context():
    weak = {"password": "mei.wang-secret", "password_confirm": "mei.wang-secret"}
    assert submit(PasswordResetForm, weak).errors == {}
    form = submit(PasswordResetForm, weak, email="mei.wang@example.tw")
    assert list(form.errors) == ["password"]
    with_id = {"password": "id A123456789!", "password_confirm": "id A123456789!"}
    form = submit(PasswordResetForm, with_id, national_id="a123456789")
    assert list(form.errors) == ["password"]
    assert list(submit(PasswordResetForm, {"password": "tooshort"}).errors) == [
        "password",
        "password_confirm",
    ]


def test_login_and_email_only_forms():
    assert submit(LoginForm).errors == {}
    assert list(submit(LoginForm, {"password": ""}).errors) == ["password"]
    assert submit(EmailOnlyForm).email.data == "Mei.Wang@Example.TW"
    assert list(submit(EmailOnlyForm, {"email": "not-an-address"}).errors) == ["email"]
