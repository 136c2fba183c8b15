"""The fields before and after a change, as an auditor reads them: each key by its label, each
value as text in the reader's language (facilities by name, yes/no, times in Taiwan's time)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask_babel import format_datetime, get_locale
from flask_babel import gettext as _

from domain.audit_catalog import FIELDS
from forms.roster import RESTRICTION_LABELS

from ..i18n import DEFAULT_LANGUAGE, LANGUAGES
from ..roles import ROLE_LABELS

# A moment as `domain.audit` keeps it (datetime.isoformat); a plain day stays as it is.
_MOMENT = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")


@dataclass(frozen=True)
class Field:
    """One field: its key, its label, and either a text or the fields of a nested value."""

    key: str
    label: str
    text: str = ""
    nested: tuple[Field, ...] = ()


def field_label(key: str) -> str:
    """The field in the reader's language; a key the catalog does not know, as it is."""
    return _(FIELDS[key]) if key in FIELDS else key


def _is_empty(value: Any) -> bool:
    """An empty value says nothing (a note not written, no reasons); 0 and False do."""
    return value is None or value == "" or value == [] or value == {}


def _in_languages(value: dict) -> bool:
    """A text written out in each language ({"en": …, "zh_Hant": …}), such as `reason_texts`."""
    return bool(value) and all(k in LANGUAGES and isinstance(v, str) for k, v in value.items())


def _moment(text: str) -> str:
    """An ISO moment in the page's time zone and format; text that is not one, as it is."""
    try:
        return format_datetime(datetime.fromisoformat(text))
    except ValueError:
        return text


def _coded(key: str, value: Any) -> str | None:
    """A code the app records (a decision, a role, a restriction's kind) in words; None for
    anything else."""
    if not isinstance(value, str):
        return None
    if key == "decision":
        words = {"approve": _("Approve"), "reject": _("Reject")}
    elif key == "role":
        words = ROLE_LABELS
    elif key == "kind":
        words = RESTRICTION_LABELS
    else:
        return None
    return str(words[value]) if value in words else None


def _text(key: str, value: Any, facilities: dict[int, str]) -> str:
    """A plain value (or a list, one item a line) as text."""
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    coded = _coded(key, value)
    if coded is not None:
        return coded
    if key == "facility_id" and isinstance(value, int):
        return facilities.get(value, str(value))
    if isinstance(value, str) and _MOMENT.match(value):
        return _moment(value)
    if isinstance(value, list):
        return "\n".join(_text(key, item, facilities) for item in value if not _is_empty(item))
    if isinstance(value, dict):  # inside a list: rare, and still readable as JSON
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def shown_fields(state: dict | None, facilities: dict[int, str]) -> list[Field]:
    """The non-empty fields of a `before` or `after`, in their recorded order. A text in each
    language is shown in the reader's (else Chinese); any other dict, as fields of its own."""
    fields = []
    for key, value in (state or {}).items():
        if _is_empty(value):
            continue
        if isinstance(value, dict) and _in_languages(value):
            texts = {k: v for k, v in value.items() if v}
            wanted = (str(get_locale()), DEFAULT_LANGUAGE, *texts)
            text = next((texts[k] for k in wanted if k in texts), "")
            if text:
                fields.append(Field(key, field_label(key), text))
        elif isinstance(value, dict):
            nested = tuple(shown_fields(value, facilities))
            if nested:
                fields.append(Field(key, field_label(key), nested=nested))
        else:
            fields.append(Field(key, field_label(key), _text(key, value, facilities)))
    return fields
