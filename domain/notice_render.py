"""Safe substitution of `{name}` placeholders into notice texts, and the bilingual composition.

Templates are written by facility staff, so they are never code: the only thing a template can
do is name one of its kind's placeholders in braces. Anything else in braces is refused when the
template is saved, naming it. The values are plain text; HTML in a template or a value stays text
(mail is sent as text/plain, pages escape it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .notice_kinds import kind

PRODUCT = "雲端家庭聯絡簿 e-Family Contact Book"
SMS_PREFIX = "【雲端家庭聯絡簿】"
LOCALES = ("zh_Hant", "en")
# Languages of migrant families: their notices open with their own text (national wording
# only, from `<kind>.<locale>.txt`), then the Chinese and English that staff and relatives read.
FAMILY_LOCALES = ("vi", "id")
PLACEHOLDER = re.compile(r"\{([^{}]*)\}")


class TemplateError(ValueError):
    """A template names placeholders its kind does not have."""

    def __init__(self, unknown: list[str]):
        self.unknown = unknown
        super().__init__("unknown placeholders: " + ", ".join("{" + n + "}" for n in unknown))


@dataclass(frozen=True)
class Both:
    """A value that differs by language, e.g. a facility's Chinese and English name."""

    zh: str
    en: str

    def get(self, locale: str) -> str:
        """The Latin-script value for English, Vietnamese and Indonesian readers."""
        return self.en if locale in ("en", *FAMILY_LOCALES) else self.zh


@dataclass(frozen=True)
class InEach:
    """A value written out in each language (e.g. a reason template); English when one is
    missing."""

    texts: tuple[tuple[str, str], ...]  # (locale, text)

    def get(self, locale: str) -> str:
        """The value in `locale`."""
        texts = dict(self.texts)
        return texts.get(locale) or texts.get("en", "")


def reason_in_each(review: dict) -> InEach:
    """The reason as each reader reads it: the template in their language (the form wrote it
    out in every language, `reason_texts`), then the reviewer's own words as typed."""
    texts = review.get("reason_texts") or {}
    own = review.get("reason", "")
    locales = texts.keys() or ["en"]
    return InEach(
        tuple(
            (locale, "\n".join(p for p in (texts.get(locale, ""), own) if p)) for locale in locales
        )
    )


@dataclass(frozen=True)
class Texts:
    """The four texts of one template: subject and body, in Traditional Chinese and English."""

    subject_zh: str
    body_zh: str
    subject_en: str
    body_en: str

    def part(self, locale: str) -> tuple[str, str]:
        """(subject, body) in one language."""
        if locale == "en":
            return self.subject_en, self.body_en
        return self.subject_zh, self.body_zh


@dataclass(frozen=True)
class Rendered:
    """A notice ready to queue: the bilingual e-mail and the one-language SMS text."""

    subject: str
    body: str
    sms: str


def placeholders_in(text: str) -> list[str]:
    """Every name in braces in `text`, in order of first use."""
    return list(dict.fromkeys(PLACEHOLDER.findall(text)))


def unknown_placeholders(kind_key: str, texts: Texts) -> list[str]:
    """The names in braces that `kind_key` does not allow, across all four texts."""
    allowed = set(kind(kind_key).placeholders)
    found: list[str] = []
    for text in (texts.subject_zh, texts.body_zh, texts.subject_en, texts.body_en):
        found += [name for name in placeholders_in(text) if name not in allowed]
    return list(dict.fromkeys(found))


def check(kind_key: str, texts: Texts) -> None:
    """Raise TemplateError naming every unknown placeholder."""
    unknown = unknown_placeholders(kind_key, texts)
    if unknown:
        raise TemplateError(unknown)


def substitute(text: str, values: dict[str, str | Both | InEach], locale: str) -> str:
    """Replace each `{name}` by its value in `locale`; unknown names are left as written.

    A plain lookup: no attribute access, no format specs, no expressions.
    """

    def value(match: re.Match) -> str:
        name = match.group(1)
        if name not in values:
            return match.group(0)
        found = values[name]
        return found.get(locale) if isinstance(found, Both | InEach) else str(found)

    return PLACEHOLDER.sub(value, text)


def one_line(text: str) -> str:
    """The text as one line: each run of spaces and line breaks becomes one space.

    A subject is a mail header, and a header with a line break cannot be sent at all: a title
    or a name sent with one (a crafted form; a browser's input never makes it) would otherwise
    fail the notice for every reader it goes to."""
    return " ".join(text.split())


def compose(
    texts: Texts,
    values: dict[str, str | Both],
    sms_locale: str = "zh_Hant",
    local: tuple[str, str] | None = None,
) -> Rendered:
    """The e-mail in both languages (Chinese first, as the mail texts always were), and the SMS
    in the reader's language. `local`, the (subject, body) in a family language (vi, id), goes
    before both, and is the SMS."""
    zh_subject, zh_body = (substitute(t, values, "zh_Hant") for t in texts.part("zh_Hant"))
    en_subject, en_body = (substitute(t, values, "en") for t in texts.part("en"))
    subject = f"【{PRODUCT}】{zh_subject} / {en_subject}"
    body = f"{zh_body.rstrip()}\n\n---\n{en_body.rstrip()}\n"
    sms_body = en_body if sms_locale == "en" else zh_body
    if local is not None:
        local_subject, local_body = (substitute(t, values, sms_locale) for t in local)
        subject = f"【{PRODUCT}】{local_subject} / {zh_subject} / {en_subject}"
        body = f"{local_body.rstrip()}\n\n---\n{body}"
        sms_body = local_body
    return Rendered(subject=one_line(subject), body=body, sms=SMS_PREFIX + sms_body.strip())
