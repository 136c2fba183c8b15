"""Notice texts are templates: national files, facility overrides, safe placeholders only."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from domain.accounts import Account, Facility
from domain.audit import AuditEvent
from domain.notice_kinds import KINDS
from domain.notice_render import Both, TemplateError, Texts, compose, placeholders_in
from domain.notice_templates import NoticeTemplate, default_texts, render, save_override
from domain.notifications import Notification
from domain.notify import notify_account
from tests.application_support import FAMILY, seed
from tests.conftest import read
from tests.post_support import staff
from tests.web_support import csrf_token
from workflows import clock


def facility_ids(app) -> dict[str, int]:
    database = app.extensions["db"]
    try:
        return dict(database.session.execute(select(Facility.code, Facility.id)).all())
    finally:
        database.remove()


@pytest.mark.parametrize("key", sorted(KINDS))
def test_every_default_uses_only_its_kinds_placeholders(key):
    texts = default_texts(key)
    assert all((texts.subject_zh, texts.body_zh, texts.subject_en, texts.body_en))
    for text in (texts.subject_zh, texts.body_zh, texts.subject_en, texts.body_en):
        assert set(placeholders_in(text)) <= set(KINDS[key].placeholders), key


def test_mail_is_bilingual_and_values_are_plain_text():
    texts = Texts(
        "標題 {title}", "{name} 您好 {facility}", "Title {title}", "Hello {name} {facility}"
    )
    values = {"name": "<b>王</b>", "title": "{name}", "facility": Both("臺中看守所", "Taichung")}
    rendered = compose(texts, values, sms_locale="en")
    assert rendered.subject == "【雲端家庭聯絡簿 e-Family Contact Book】標題 {name} / Title {name}"
    assert rendered.body == "<b>王</b> 您好 臺中看守所\n\n---\nHello <b>王</b> Taichung\n"
    assert rendered.sms == "【雲端家庭聯絡簿】Hello <b>王</b> Taichung"


def test_unknown_placeholder_is_refused_on_save_naming_it(app):
    seed(app)
    texts = Texts("{title}", "{name} {account.password_hash}", "x", "{secret}")
    with app.extensions["db"].transaction() as session, pytest.raises(TemplateError) as refused:
        save_override(session, "post_approved", None, texts, None, clock.now())
    assert refused.value.unknown == ["account.password_hash", "secret"]
    assert "{secret}" in str(refused.value)


def test_facility_override_is_used_for_that_facility_only(app):
    seed(app)
    ids = facility_ids(app)
    texts = Texts("敦品通知", "{name} 好，{title} 過了", "Dunpin", "{name}: {title} approved")
    database = app.extensions["db"]
    with database.transaction() as session:
        save_override(session, "post_approved", ids["dunpin-school"], texts, None, clock.now())
        values = {"name": "王", "title": "平安", "label": "1201 王〇〇", "link": "L"}
        own = render(session, "post_approved", ids["dunpin-school"], values)
        other = render(session, "post_approved", ids["taichung-detention"], values)
    database.remove()
    assert own.subject.endswith("敦品通知 / Dunpin") and "王 好，平安 過了" in own.body
    assert "審核通過" in other.subject and "平安" in other.body


def test_admin_reads_every_template_with_html_escaped(app):
    seed(app)
    admin = staff(app, "facility_admin", "dunpin")
    token = csrf_token(admin, "/notices/templates/post_approved")
    response = admin.post(
        "/notices/templates/post_approved",
        data={
            "csrf_token": token,
            "subject_zh": "<script>x</script>通過",
            "body_zh": "{name} <b>好</b>",
            "subject_en": "Approved",
            "body_en": "{name} {title}",
        },
    )
    assert response.status_code == 302
    page = admin.get("/notices/templates").get_data(as_text=True)
    assert "&lt;script&gt;x&lt;/script&gt;通過" in page and "<script>x" not in page
    assert "&lt;b&gt;好&lt;/b&gt;" in page
    for key in KINDS:
        assert f'id="kind-{key}"' in page
    assert "{label}" in page  # the placeholders are listed


def test_the_long_templates_page_opens_with_a_list_of_its_notices(app):
    """Twenty kinds make a very long page: a list at the top links to each, in page order."""
    seed(app)
    page = staff(app, "facility_admin", "dunpin").get("/notices/templates").get_data(as_text=True)
    contents = page[page.index('id="kinds-title"') : page.index('<article class="post-card"')]
    links = [f'href="#kind-{key}"' for key in KINDS]
    assert all(link in contents for link in links)
    targets = [page.index(f'id="kind-{key}"') for key in KINDS]
    assert targets == sorted(targets)  # the list's order is the page's order
    assert page.count('href="#kinds-title"') == len(KINDS)  # a way back after each notice


def test_template_form_names_the_unknown_placeholder(app):
    seed(app)
    admin = staff(app, "facility_admin", "dunpin")
    token = csrf_token(admin, "/notices/templates/suspension_lifted")
    response = admin.post(
        "/notices/templates/suspension_lifted",
        data={
            "csrf_token": token,
            "subject_zh": "恢復",
            "body_zh": "{name} {until}",
            "subject_en": "Restored",
            "body_en": "{name}",
        },
    )
    assert response.status_code == 200
    assert "{until}" in response.get_data(as_text=True)
    assert read(app, select(NoticeTemplate)) == []  # nothing was saved


def test_reset_goes_back_to_the_national_wording(app):
    seed(app)
    admin = staff(app, "facility_admin", "dunpin")
    url = "/notices/templates/inmate_reply"
    data = {"subject_zh": "回覆", "body_zh": "{name}", "subject_en": "Reply", "body_en": "{name}"}
    assert admin.post(url, data={"csrf_token": csrf_token(admin, url), **data}).status_code == 302
    token = csrf_token(admin, "/notices/templates")
    assert admin.post(url + "/reset", data={"csrf_token": token}).status_code == 302
    with app.extensions["db"].transaction() as session:
        values = {"name": "王", "label": "L", "link": "x"}
        rendered = render(session, "inmate_reply", facility_ids(app)["dunpin-school"], values)
    assert "收容人回覆" in rendered.subject
    assert admin.get("/notices/templates/nonsense").status_code == 404


def test_every_notice_kind_has_a_name_on_the_pages():
    from domain.notice_kinds import KINDS
    from webapp.notices.labels import KIND_LABELS

    assert set(KIND_LABELS) == set(KINDS)


def test_a_template_edit_and_reset_are_audited_with_the_texts(app):
    seed(app)
    admin = staff(app, "facility_admin", "dunpin")
    url = "/notices/templates/inmate_reply"
    national = default_texts("inmate_reply")
    data = {
        "subject_zh": "回覆",
        "body_zh": national.body_zh,
        "subject_en": "Reply",
        "body_en": national.body_en,
    }
    assert admin.post(url, data={"csrf_token": csrf_token(admin, url), **data}).status_code == 302
    token = csrf_token(admin, "/notices/templates")
    assert admin.post(url + "/reset", data={"csrf_token": token}).status_code == 302
    assert admin.post(url + "/reset", data={"csrf_token": token}).status_code == 302  # no-op
    events = read(app, select(AuditEvent).order_by(AuditEvent.id))
    edit, reset = events
    assert (edit.action, edit.object_type, edit.object_id) == (
        "notice_template.edit",
        "notice_template",
        "inmate_reply",
    )
    assert edit.facility_id == facility_ids(app)["dunpin-school"]
    assert edit.before == {
        "subject_zh": national.subject_zh,
        "subject_en": national.subject_en,
        "source": "default",
    }
    assert edit.after == {"subject_zh": "回覆", "subject_en": "Reply", "source": "facility"}
    assert reset.action == "notice_template.reset"
    assert reset.before == edit.after and reset.after == edit.before


def test_the_longest_facility_subjects_fit_the_outbox(app):
    """The form allows 100 characters a language; with the product name, the reader's national
    text and filled placeholders the subject passes 300 characters, and PostgreSQL stores it."""
    seed(app)
    dunpin = facility_ids(app)["dunpin-school"]
    texts = Texts("甲" * 93 + "{title}", "{name}", "B" * 93 + "{title}", "{name}")
    database = app.extensions["db"]
    with database.transaction() as session:
        save_override(session, "post_approved", dunpin, texts, None, clock.now())
        family = session.scalar(select(Account).where(Account.email == FAMILY[0]))
        family.locale = "vi"
        values = {"name": "王", "title": "平安" * 40, "label": "1201", "link": "L"}
        rows = notify_account(session, family, "post_approved", values, facility_id=dunpin)
    database.remove()
    [stored] = read(app, select(Notification.subject).where(Notification.id == rows[0].id))
    assert len(stored) > 300 and stored.endswith("B" * 93 + "平安" * 40)


def test_template_form_keeps_subjects_short(app):
    seed(app)
    admin = staff(app, "facility_admin", "dunpin")
    url = "/notices/templates/inmate_reply"
    data = {"subject_zh": "回" * 101, "body_zh": "{name}", "subject_en": "R", "body_en": "{name}"}
    response = admin.post(url, data={"csrf_token": csrf_token(admin, url), **data})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "最多 100 個字元。" in page
    assert "回" * 101 in page  # what was typed is kept
    assert read(app, select(NoticeTemplate)) == []
