"""Notices to Vietnamese and Indonesian readers open with their language, then the zh-Hant and
English notice staff and relatives read; and the personal-data notice in both languages."""

from __future__ import annotations

import re

import pytest

from domain import notice
from domain.notice_kinds import KINDS, STAFF
from domain.notice_render import FAMILY_LOCALES, Both, compose, placeholders_in
from domain.notice_templates import default_texts, family_language_texts

LINK = "https://familybook.example/x"
FAMILY_KINDS = sorted(key for key, k in KINDS.items() if k.group != STAFF)
CJK = re.compile(r"[\u3000-\u9fff\uff00-\uffef]")
GREETING = {"vi": "Kính gửi Lan,", "id": "Yth. Lan,"}
VALUES = {
    "name": "Lan",
    "link": LINK,
    "minutes": "10",
    "label": "0609 李〇〇",
    "facility": Both("臺中看守所", "Taichung Detention Center"),
    "reason": "內容不妥",
    "steps": "重傳",
    "title": "Tết",
    "when": "2026-12-01 09:30",
    "rejections": "3",
    "until": "2027-01-01",
}


@pytest.mark.parametrize("language", FAMILY_LOCALES)
@pytest.mark.parametrize("kind_key", FAMILY_KINDS)
def test_every_family_notice_has_the_language_and_only_its_placeholders(language, kind_key):
    local = family_language_texts(kind_key, language)
    assert local is not None, f"{kind_key}.{language}.txt is missing"
    allowed = set(KINDS[kind_key].placeholders)
    assert set(placeholders_in(local[0] + local[1])) <= allowed


@pytest.mark.parametrize("language", FAMILY_LOCALES)
@pytest.mark.parametrize("kind_key", FAMILY_KINDS)
def test_notice_leads_with_the_family_language_then_chinese(language, kind_key):
    texts = default_texts(kind_key)
    plain = compose(texts, VALUES)
    ours = compose(texts, VALUES, language, family_language_texts(kind_key, language))
    product, zh_and_en = plain.subject.split("】", 1)
    assert ours.subject.startswith(product + "】") and ours.subject.endswith(" / " + zh_and_en)
    local, rest = ours.body.split("\n---\n", 1)
    if "name" in KINDS[kind_key].placeholders:  # a notice to an address alone greets no one
        assert local.startswith(GREETING[language])
    assert rest == plain.body
    assert ours.sms.endswith(local.strip())
    for value in ("0609 李〇〇", "內容不妥", "重傳"):  # values may be Chinese; the text is not
        local = local.replace(value, "")
    assert not CJK.search(local)


@pytest.mark.parametrize("language", [None, "zh_Hant", "en", "fr"])
def test_other_languages_get_the_notice_as_before(language):
    texts = default_texts("verification")
    assert family_language_texts("verification", language) is None
    assert compose(texts, VALUES).body == compose(texts, VALUES, language or "zh_Hant").body


def test_the_details_reach_the_vietnamese_and_indonesian_texts():
    texts = default_texts("suspension_started")
    vi = compose(texts, VALUES, "vi", family_language_texts("suspension_started", "vi")).body
    assert "3 tin nhắn" in vi and "đến 2027-01-01" in vi and "Taichung Detention Center" in vi
    id_ = compose(texts, VALUES, "id", family_language_texts("suspension_started", "id")).body
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
