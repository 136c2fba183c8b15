"""A family's notice in their own language first, then the usual zh-Hant + English text.

Families choose Vietnamese or Indonesian on the site (stored as `Account.locale`); their
e-mails then open in that language, and the Traditional Chinese and English text follow
unchanged, so staff and relatives can still read them. Other languages get the notice as is.

Call sites wrap the existing text functions of `mail_texts` and `post_mail_texts`:
`in_language(account.locale, mail_texts.verification, name, link)`.
"""

from __future__ import annotations

from collections.abc import Callable
from types import ModuleType

from . import notice_texts_id, notice_texts_vi

# Languages whose notices lead with their own text (a module of same-named functions).
NOTICE_LANGUAGES: dict[str, ModuleType] = {"vi": notice_texts_vi, "id": notice_texts_id}


def in_language(
    language: str | None, texts: Callable[..., tuple[str, str]], *args, **kwargs
) -> tuple[str, str]:
    """(subject, body) of the notice `texts` makes, led by `language` when we have it."""
    subject, body = texts(*args, **kwargs)
    module = NOTICE_LANGUAGES.get(language or "")
    local = getattr(module, texts.__name__, None) if module else None
    if local is None:
        return subject, body
    local_subject, local_body = local(*args, **kwargs)
    # "【product】zh / en" becomes "【product】local / zh / en".
    head, bracket, rest = subject.rpartition("】")
    subject = f"{head}{bracket}{local_subject} / {rest}"
    return subject, f"{local_body}\n---\n{body}"
