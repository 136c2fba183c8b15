"""Every user-facing string has a Traditional Chinese translation (the default language)."""

from __future__ import annotations

from pathlib import Path

from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
CATALOG = ROOT / "webapp/translations/zh_Hant/LC_MESSAGES/messages.po"


def test_every_extracted_string_is_translated_to_zh_hant(tmp_path):
    pot = tmp_path / "messages.pot"
    CommandLineInterface().run(
        [
            "pybabel",
            "-q",
            "extract",
            "-F",
            str(ROOT / "webapp/babel.cfg"),
            "-k",
            "_l",
            "-k",
            "lazy_gettext",
            "-o",
            str(pot),
            str(ROOT),
        ]
    )
    with pot.open("rb") as template, CATALOG.open("rb") as translated:
        wanted, catalog = read_po(template), read_po(translated)
    missing = [m.id for m in wanted if m.id and (m.id not in catalog or not _done(catalog[m.id]))]
    assert missing == []


def _done(message) -> bool:
    """Translated in every form: a plural message's string is a tuple, truthy even if empty."""
    forms = message.string if isinstance(message.string, tuple) else (message.string,)
    return all(forms)
