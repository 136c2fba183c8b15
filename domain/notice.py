"""The personal-data notice (個人資料蒐集告知聲明) a family accepts before registering.

Each published version keeps its own text files, so the notice a person accepted can always be
shown again exactly as they read it; a consent record stores the version, never the text.
The texts are Markdown in `domain/notices/<stem>.<locale>.md`.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

NOTICE_DIR = Path(__file__).resolve().parent / "notices"
DEFAULT_LOCALE = "zh_Hant"

CURRENT_VERSION = "2026-11-v1"

# Version (what consent records store) -> file stem; old versions stay listed forever.
VERSIONS: dict[str, str] = {
    "2026-11-v1": "personal-data-v1",
}

# The words beside the consent checkbox, per locale. Forms use the English text as msgid
# and the zh_Hant, vi and id catalogs carry the same sentences as here.
CONSENT_TEXT: dict[str, str] = {
    "zh_Hant": (
        "本人已詳閱並瞭解本個人資料蒐集告知聲明，並同意依上述目的蒐集、處理及利用"
        "本人之個人資料，包括本人與收容人關係之特種個人資料。"
    ),
    "en": (
        "I have read and understood this personal-data notice, and I consent to the "
        "collection, processing and use of my personal data for the purposes above, "
        "including the special-category data of my relationship to a person in custody."
    ),
    "vi": (
        "Tôi đã đọc và hiểu thông báo thu thập dữ liệu cá nhân này, và tôi đồng ý cho thu "
        "thập, xử lý và sử dụng dữ liệu cá nhân của tôi theo các mục đích nêu trên, bao "
        "gồm cả dữ liệu cá nhân đặc biệt về mối quan hệ của tôi với người đang bị giam "
        "giữ."
    ),
    "id": (
        "Saya telah membaca dan memahami pemberitahuan data pribadi ini, dan saya "
        "menyetujui pengumpulan, pemrosesan, dan penggunaan data pribadi saya untuk "
        "tujuan di atas, termasuk data pribadi khusus tentang hubungan saya dengan warga "
        "binaan."
    ),
}


# Primary language subtag -> the locale of our texts ("in": the old code for Indonesian).
LOCALES = {"en": "en", "vi": "vi", "id": "id", "in": "id"}


def _locale_key(locale: str | None) -> str:
    """Map 'en', 'en_US', 'vi', 'id_ID', 'zh_Hant', 'zh_TW'… onto a locale we have texts for."""
    language = str(locale or DEFAULT_LOCALE).replace("-", "_").split("_")[0].lower()
    return LOCALES.get(language, DEFAULT_LOCALE)


@cache
def load_notice(version: str = CURRENT_VERSION, locale: str | None = DEFAULT_LOCALE) -> str:
    """The notice text (Markdown) of a version in a locale; zh_Hant when no translation exists.

    KeyError for a version that was never published.
    """
    stem = VERSIONS[version]
    path = NOTICE_DIR / f"{stem}.{_locale_key(locale)}.md"
    if not path.exists():
        path = NOTICE_DIR / f"{stem}.{DEFAULT_LOCALE}.md"
    return path.read_text(encoding="utf-8")


def consent_text(locale: str | None = DEFAULT_LOCALE) -> str:
    """The sentence a person agrees to by ticking the consent box, in their locale."""
    return CONSENT_TEXT[_locale_key(locale)]
