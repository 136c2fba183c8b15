"""Family notices in Vietnamese and Indonesian: their language first, then zh-Hant and English."""

from __future__ import annotations

import inspect
import re

import pytest

from domain import mail_texts, notice, post_mail_texts
from domain.notice_languages import NOTICE_LANGUAGES, in_language

LINK = "http://localhost/x"
# Every family notice, with sample arguments; review_overdue goes to staff and stays zh/en.
FAMILY_NOTICES = [
    (mail_texts.verification, ("Lan", LINK)),
    (mail_texts.registration_conflict, ("Lan", "email", LINK)),
    (mail_texts.registration_conflict, ("Lan", "national_id", LINK)),
    (mail_texts.password_reset, ("Lan", LINK)),
    (mail_texts.application_received, ("Lan", "0609 李〇〇", "臺中看守所", LINK)),
    (mail_texts.application_decided, ("Lan", "0609 李〇〇", True, "", "", LINK)),
    (mail_texts.application_decided, ("Lan", "0609 李〇〇", False, "證明不清", "重傳", LINK)),
    (post_mail_texts.post_decided, ("Lan", "Tết", "0609 李〇〇", True, "", LINK)),
    (post_mail_texts.post_decided, ("Lan", "Tết", "0609 李〇〇", False, "內容不妥", LINK)),
    (post_mail_texts.post_delivered, ("Lan", "Tết", "0609 李〇〇", "2026-12-01 09:30", LINK)),
    (post_mail_texts.photo_refused, ("Lan", "Tết", LINK)),
    (post_mail_texts.suspension_started, ("Lan", "臺中看守所", 3, "2027-01-01", LINK)),
    (post_mail_texts.suspension_lifted, ("Lan", "臺中看守所", "提前恢復", LINK)),
    (post_mail_texts.suspension_lifted, ("Lan", "臺中看守所", "", LINK)),
]
CJK = re.compile(r"[\u3000-\u9fff\uff00-\uffef]")
GREETING = {"vi": "Kính gửi Lan,", "id": "Yth. Lan,"}


@pytest.mark.parametrize("language", sorted(NOTICE_LANGUAGES))
@pytest.mark.parametrize(("texts", "args"), FAMILY_NOTICES)
def test_notice_leads_with_the_family_language_then_chinese(language, texts, args):
    subject, body = in_language(language, texts, *args)
    zh_subject, zh_body = texts(*args)
    zh_and_en = zh_subject.split("】", 1)[1]
    assert subject.startswith(f"【{mail_texts.PRODUCT}】") and subject.endswith(f" / {zh_and_en}")
    assert subject != zh_subject
    local, rest = body.split("\n---\n", 1)
    assert local.startswith(GREETING[language]) and LINK in local
    assert rest == zh_body  # the zh-Hant + English notice follows unchanged
    for value in args:  # names, labels and reasons may be Chinese; the text itself is not
        local = local.replace(str(value), "")
    assert not CJK.search(local)


@pytest.mark.parametrize("language", [None, "zh_Hant", "en", "fr"])
def test_other_languages_get_the_notice_as_before(language):
    assert in_language(language, mail_texts.verification, "Lan", LINK) == mail_texts.verification(
        "Lan", LINK
    )


def test_each_translated_notice_takes_the_same_arguments_as_the_original():
    originals = {f.__name__: f for f, _args in FAMILY_NOTICES}
    for module in NOTICE_LANGUAGES.values():
        names = {n for n, f in inspect.getmembers(module, inspect.isfunction) if n[0] != "_"}
        assert names == set(originals), module.__name__
        for name in names:
            ours = inspect.signature(getattr(module, name)).parameters
            assert list(ours) == list(inspect.signature(originals[name]).parameters), name


def test_the_details_reach_the_vietnamese_and_indonesian_texts():
    args = ("Lan", "臺中看守所", 3, "2027-01-01", LINK)
    _subject, vi = in_language("vi", post_mail_texts.suspension_started, *args)
    assert "3 tin nhắn" in vi and "đến 2027-01-01" in vi
    _subject, id_ = in_language("id", post_mail_texts.suspension_started, *args)
    assert "Karena 3 pesan" in id_ and "sampai 2027-01-01" in id_


@pytest.mark.parametrize(
    ("locale", "heading", "words"),
    [
        ("vi", "# Thông báo thu thập dữ liệu cá nhân", "yêu cầu chúng tôi xóa dữ liệu"),
        ("vi_VN", "# Thông báo thu thập dữ liệu cá nhân", "Điều 6"),
        ("id", "# Pemberitahuan data pribadi", "meminta kami menghapusnya"),
        ("in", "# Pemberitahuan data pribadi", "Pasal 6"),
    ],
)
def test_the_personal_data_notice_in_vietnamese_and_indonesian(locale, heading, words):
    text = notice.load_notice(notice.CURRENT_VERSION, locale)
    assert text.startswith(heading) and words in text
    assert text.rstrip().endswith(notice.CURRENT_VERSION)
