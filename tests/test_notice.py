"""The personal-data notice: versioned texts, the locale fallback and the consent sentence."""

import pytest

from domain import notice


def test_current_notice_in_both_languages():
    zh = notice.load_notice(notice.CURRENT_VERSION, "zh_Hant")
    en = notice.load_notice(notice.CURRENT_VERSION, "en")
    assert zh.startswith("# 個人資料蒐集告知聲明")
    assert "犯罪前科" in zh and "特種個人資料" in zh  # why consent is explicit
    for right in ("查詢或請求閱覽", "請求補充或更正", "請求停止蒐集、處理或利用", "請求刪除"):
        assert right in zh
    assert "criminal-record data" in en and "ask us to delete it" in en
    assert notice.CURRENT_VERSION in zh and notice.CURRENT_VERSION in en


def test_other_locales_fall_back_to_traditional_chinese():
    zh = notice.load_notice(notice.CURRENT_VERSION, "zh_Hant")
    assert notice.load_notice(notice.CURRENT_VERSION, "ja") == zh
    assert notice.load_notice(notice.CURRENT_VERSION, None) == zh
    assert notice.load_notice(notice.CURRENT_VERSION, "en_US").startswith("# Personal-data")


def test_unknown_version_is_an_error():
    with pytest.raises(KeyError):
        notice.load_notice("1999-01-v0", "zh_Hant")


def test_consent_sentence_matches_the_form_label():
    from flask import Flask
    from flask_babel import Babel

    from forms.account import ConsentForm

    app = Flask(__name__)
    app.config.update(SECRET_KEY="test", WTF_CSRF_ENABLED=False)
    Babel(app)
    with app.test_request_context():
        assert str(ConsentForm().consent.label.text) == notice.consent_text("en")
    assert notice.consent_text("zh-TW").startswith("本人已詳閱")
