"""Which language a page is shown in: the visitor's own choice, else their browser's, else zh_Hant.

Flask-Babel loads the `zh_Hant` catalog only when the selector returns exactly "zh_Hant", and
browsers send tags such as `zh-TW`; Werkzeug's matching would pick English for them. So the
mapping from browser tags to our four catalogs (zh_Hant, en, vi, id) is done here, by hand.
"""

from __future__ import annotations

import re
from datetime import datetime
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

from babel.support import Translations
from flask import Flask, has_request_context, request, session
from flask_babel import get_locale, get_timezone
from flask_login import current_user
from wtforms.i18n import messages_path

from .extensions import babel

LANGUAGES = ("zh_Hant", "en", "vi", "id")
# Staff pages exist in these two only: the vi and id catalogs translate what families read. A
# staff page under lang="vi" would be English text that screen readers speak as Vietnamese.
STAFF_LANGUAGES = ("zh_Hant", "en")
DEFAULT_LANGUAGE = "zh_Hant"
SESSION_KEY = "lang"
# The value of <html lang>, per catalog (BCP 47 tags).
HTML_LANG = {"zh_Hant": "zh-Hant", "en": "en", "vi": "vi", "id": "id"}
# Each language in its own words, as the switch offers it: a reader finds their own at a glance.
OWN_NAMES = {"zh_Hant": "中文", "en": "English", "vi": "Tiếng Việt", "id": "Bahasa Indonesia"}
# WTForms ships Traditional Chinese as `zh_TW`; asked for `zh_Hant`, gettext falls back to its
# Simplified `zh` catalog, so its built-in messages ("This field is required.") would be Simplified.
WTFORMS_CATALOG = {"zh_Hant": "zh_TW", "en": "en"}
# WTForms ships no Vietnamese or Indonesian: our own `wtforms` catalogs beside `messages` hold them.
OWN_WTFORMS_CATALOGS = ("vi", "id")
TRANSLATIONS_DIR = Path(__file__).resolve().parent / "translations"
# Primary language subtags -> catalog. `in` is the withdrawn ISO 639 code for Indonesian that
# older Android and Java systems still send.
PRIMARY_TAGS = {"zh": "zh_Hant", "en": "en", "vi": "vi", "id": "id", "in": "id"}
# Every date and time shown to families and staff, in every language: 2026-12-05, 2026-12-05 14:30.
# Templates write `| dateformat` and `| datetimeformat` without a pattern, so they get these.
DATE_FORMAT = "yyyy-MM-dd"
DATETIME_FORMAT = "yyyy-MM-dd HH:mm"


def language_for_tag(tag: str) -> str | None:
    """Map one Accept-Language tag to a catalog, or None when we have none for it.

    Every Chinese tag maps to Traditional Chinese: zh-TW, zh-HK, zh-Hant-* as written, and plain
    `zh` or a Simplified tag too, since a Chinese reader is served better by it than by English.
    vi, vi-VN map to Vietnamese; id, id-ID and the old `in` to Indonesian.
    """
    primary = tag.strip().replace("_", "-").lower().split("-", 1)[0]
    return PRIMARY_TAGS.get(primary)


def browser_language(offered: tuple[str, ...] = LANGUAGES) -> str | None:
    """The first of `offered` the browser's Accept-Language asks for, in its order of preference."""
    for tag, _quality in request.accept_languages:
        language = language_for_tag(tag)
        if language in offered:
            return language
    return None


def reader_languages() -> tuple[str, ...]:
    """The languages the signed-in reader's pages are written in: all four for visitors and
    families, zh_Hant and English for staff (see STAFF_LANGUAGES)."""
    if current_user.is_authenticated and current_user.role != "family":
        return STAFF_LANGUAGES
    return LANGUAGES


def select_locale() -> str:
    """Flask-Babel's locale selector: session choice, else browser, else the default; vi and id
    only for a reader whose pages exist in them (a visitor's Vietnamese stays theirs, but a staff
    member signing in after choosing it reads Chinese or English).

    The reader is looked up only for vi and id: this runs on every request, and most need
    neither the account nor its query.
    """
    chosen = session.get(SESSION_KEY)
    if chosen not in LANGUAGES:
        chosen = browser_language() or DEFAULT_LANGUAGE
    if chosen in STAFF_LANGUAGES or chosen in reader_languages():
        return chosen
    return browser_language(STAFF_LANGUAGES) or DEFAULT_LANGUAGE


def remember_language(code: str) -> None:
    """Keep the visitor's language choice in their session for the following pages."""
    session[SESSION_KEY] = code


def safe_next(target: str | None) -> str | None:
    """Return `target` when it is a path on this site, else None (no open redirects)."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return None
    if "\\" in target:  # browsers read "/\evil.example" as "//evil.example"
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target


def html_lang() -> str:
    """The BCP 47 tag of the page's language, for <html lang>."""
    return HTML_LANG.get(str(get_locale()), "zh-Hant")


@cache
def wtforms_translations(language: str) -> Translations:
    """WTForms' built-in messages for one of our languages (loaded once per process)."""
    if language in OWN_WTFORMS_CATALOGS:
        return Translations.load(str(TRANSLATIONS_DIR), [language], domain="wtforms")
    return Translations.load(messages_path(), [WTFORMS_CATALOG[language]], domain="wtforms")


def local_day(moment: datetime) -> str:
    """The day of a moment in the page's time zone, as `dateformat` (DATE_FORMAT) writes it.

    For lists that show two dates a row: Flask-Babel's filter looks up the locale and the time
    zone and builds a formatter on every call, four times the cost of this.
    """
    return moment.astimezone(get_timezone()).date().isoformat()


def parse_iso(text: str | None) -> datetime | None:
    """A moment kept as ISO 8601 text (task data, the personal-data export), back as a datetime,
    so the page shows it in the reader's time zone like every other time (None stays None)."""
    return datetime.fromisoformat(text) if text else None


# A BPMN name written as "<Chinese> <English>" (審核家庭聯絡簿 Review the post): process owners
# name elements in both languages; each reader is shown one.
_BILINGUAL = re.compile(
    r"^(?P<zh>[^A-Za-z]*[\u3400-\u9fff\uf900-\ufaff][^A-Za-z]*?)\s+(?P<en>[A-Za-z].*)$"
)


def bpmn_label(name: str | None) -> str:
    """The reader's part of a bilingual BPMN name: the Chinese for zh-Hant, the English for
    everyone else. A name in one language only is shown as it is."""
    match = _BILINGUAL.match(name or "")
    if match is None:
        return name or ""
    return match["zh"] if str(get_locale()) == "zh_Hant" else match["en"]


def facility_name(facility) -> str:
    """A facility's name for the page's reader (see Facility.name_for)."""
    return facility.name_for(str(get_locale()))


def init_app(app: Flask) -> None:
    """Bind Flask-Babel with our selector and date formats, and give templates `html_lang`,
    the choices, the `local_day`, `parse_iso` and `bpmn_label` filters and `facility_name`."""
    babel.init_app(app, locale_selector=select_locale)
    # Flask-Babel's filters, called without a pattern, use the "medium" format of its table.
    babel.date_formats.update({"date.medium": DATE_FORMAT, "datetime.medium": DATETIME_FORMAT})
    app.add_template_filter(local_day)
    app.add_template_filter(parse_iso)
    app.add_template_filter(bpmn_label)
    app.add_template_global(facility_name)

    @app.before_request
    def use_wtforms_catalog() -> None:
        """Hand Flask-WTF the right WTForms catalog (it reads this request attribute first)."""
        request.wtforms_translations = wtforms_translations(str(get_locale()))

    @app.context_processor
    def language_context() -> dict:
        """Variables the layout needs for <html lang> and the language switch (`languages`:
        code, BCP 47 tag and own name of each; `here`: where the switch goes back to)."""
        if not has_request_context():  # e.g. an e-mail rendered by a job
            return {"html_lang": HTML_LANG[DEFAULT_LANGUAGE], "current_language": DEFAULT_LANGUAGE}
        here = request.script_root + (request.full_path if request.query_string else request.path)
        return {
            "html_lang": html_lang(),
            "current_language": str(get_locale()),
            "here": here,
            "languages": [(code, HTML_LANG[code], OWN_NAMES[code]) for code in reader_languages()],
        }
