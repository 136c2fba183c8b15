"""Every string a family or visitor can see has a Vietnamese and an Indonesian translation.

FAMILY_FACING lists, by path, the files whose strings reach families: their pages, forms,
flashes, navigation and error pages. Staff-only pages (inbox, roster, deliveries, audit,
suspensions, special projects, review task pages) may stay in English in vi/id: staff work in
zh-Hant or English. A new family-facing file goes into this list.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po
from wtforms.i18n import messages_path

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "webapp/translations"
FAMILY_LANGUAGES = ("vi", "id")

FAMILY_FACING = [
    "forms/account.py",
    "forms/api_tokens.py",
    "forms/account_fields.py",
    "forms/application.py",
    "forms/application_fields.py",
    "forms/fields.py",
    "forms/post.py",
    "forms/post_fields.py",
    "webapp/api/__init__.py",
    "webapp/api/auth.py",
    "webapp/api/tasks.py",
    "webapp/applications/navigation.py",
    "webapp/applications/routes.py",
    "webapp/applications/template_helpers.py",
    "webapp/applications/texts.py",
    "webapp/auth/login.py",
    "webapp/auth/password.py",
    "webapp/extensions.py",
    "webapp/main/errors.py",
    "webapp/posts/navigation.py",
    "webapp/posts/routes.py",
    "webapp/posts/texts.py",
    "webapp/taskpages/flow.py",
    "webapp/taskpages/routes.py",
    "webapp/templates/applications/ineligible.html",
    "webapp/templates/applications/status.html",
    "webapp/templates/auth/already_verified.html",
    "webapp/templates/auth/forgot.html",
    "webapp/templates/auth/forgot_sent.html",
    "webapp/templates/auth/link_invalid.html",
    "webapp/templates/auth/link_resent.html",
    "webapp/templates/auth/login.html",
    "webapp/templates/auth/logout.html",
    "webapp/templates/auth/registered.html",
    "webapp/templates/auth/reset.html",
    "webapp/templates/auth/reset_invalid.html",
    "webapp/templates/auth/verified.html",
    "webapp/templates/auth/verify.html",
    "webapp/templates/auth/verify_stalled.html",
    "webapp/templates/base.html",
    "webapp/templates/errors/error.html",
    "webapp/templates/macros/forms.html",
    "webapp/templates/macros/ui.html",
    "webapp/templates/main/home.html",
    "webapp/templates/main/language.html",
    "webapp/templates/posts/_tabs.html",
    "webapp/templates/posts/index.html",
    "webapp/templates/posts/new.html",
    "webapp/templates/posts/refused.html",
    "webapp/templates/taskpages/ApplicationCorrectionForm.html",
    "webapp/templates/taskpages/ApplicationDetailsForm.html",
    "webapp/templates/taskpages/ApplicationTargetForm.html",
    "webapp/templates/taskpages/ConsentForm.html",
    "webapp/templates/taskpages/PostComposeForm.html",
    "webapp/templates/taskpages/RegistrationForm.html",
    "webapp/templates/taskpages/task.html",
    "webapp/institution/navigation.py",
    "webapp/institution/routes.py",
    "webapp/roles.py",
    "webapp/templates/institution/_post.html",
    "webapp/templates/institution/detail.html",
    "webapp/templates/institution/index.html",
    "webapp/templates/announcements/_list.html",
    "webapp/templates/announcements/detail.html",
    "webapp/templates/announcements/index.html",
    "forms/notices.py",
    "forms/personal_data.py",
    "webapp/account/__init__.py",
    "webapp/account/api_tokens.py",
    "webapp/account/contact.py",
    "webapp/account/erase.py",
    "webapp/account/routes.py",
    "webapp/notices/__init__.py",
    "webapp/notices/labels.py",
    "webapp/notices/record.py",
    "webapp/templates/account/api_tokens.html",
    "webapp/templates/account/contact.html",
    "webapp/templates/account/delete.html",
    "webapp/templates/account/email_changed.html",
    "webapp/templates/account/email_confirm.html",
    "webapp/templates/account/email_invalid.html",
    "webapp/templates/account/notice.html",
    "webapp/templates/account/overview.html",
    "webapp/templates/notices/preferences.html",
    "webapp/templates/notices/record.html",
]


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    """The strings of the source as it is now, with the files each one comes from."""
    pot = tmp_path_factory.mktemp("pot") / "messages.pot"
    CommandLineInterface().run(
        ["pybabel", "-q", "extract", "-F", str(ROOT / "webapp/babel.cfg")]
        + ["-k", "_l", "-k", "lazy_gettext", "-o", str(pot), str(ROOT)]
    )
    with pot.open("rb") as template:
        return read_po(template)


def _files(message) -> set[str]:
    """The project-relative paths a message comes from (pybabel writes absolute ones here)."""
    return {Path(path).resolve().relative_to(ROOT).as_posix() for path, _line in message.locations}


def _translated(message) -> bool:
    strings = message.string if isinstance(message.string, tuple) else (message.string,)
    return all(strings)


def test_every_family_facing_file_exists():
    assert [path for path in FAMILY_FACING if not (ROOT / path).is_file()] == []


@pytest.mark.parametrize("language", FAMILY_LANGUAGES)
def test_every_family_facing_string_is_translated(extracted, language):
    with (TRANSLATIONS / language / "LC_MESSAGES/messages.po").open("rb") as source:
        catalog = read_po(source)
    family = set(FAMILY_FACING)
    wanted = [m for m in extracted if m.id and _files(m) & family]
    assert len(wanted) > 200  # the paths matched: this test is not empty by mistake
    missing = [
        (message.id, sorted(_files(message) & family))
        for message in wanted
        if message.id not in catalog or not _translated(catalog[message.id])
    ]
    assert missing == []


@pytest.mark.parametrize("language", FAMILY_LANGUAGES)
def test_wtforms_built_in_messages_are_translated(language):
    """WTForms ships no vi or id: our own `wtforms` catalogs cover all of its messages."""
    with (Path(messages_path()) / "wtforms.pot").open("rb") as source:
        wanted = read_po(source)
    with (TRANSLATIONS / language / "LC_MESSAGES/wtforms.po").open("rb") as source:
        catalog = read_po(source)
    missing = [
        m.id for m in wanted if m.id and (m.id not in catalog or not _translated(catalog[m.id]))
    ]
    assert missing == []
