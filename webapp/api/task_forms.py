"""A task's WTForms form seen from the JSON API: its fields as a schema, a JSON body as formdata.

The API validates with the same form class as the task page, so it describes that form rather
than keeping a second definition that could drift from it.
"""

from __future__ import annotations

from werkzeug.datastructures import MultiDict
from wtforms import Field
from wtforms.fields import FileField, SubmitField
from wtforms.validators import Length

SKIPPED = (SubmitField,)


def _max_length(field: Field) -> int | None:
    """The smallest upper bound of the field's length validators (the facility's, say)."""
    bounds = [v.max for v in field.validators if isinstance(v, Length) and v.max >= 0]
    bounds += [v.limit for v in field.validators if isinstance(getattr(v, "limit", None), int)]
    return min(bounds) if bounds else None


def _choices(field: Field) -> list[dict] | None:
    """Each choice as {"value", "label"}, labels in the request's language."""
    if not hasattr(field, "iter_choices"):
        return None
    return [{"value": choice[0], "label": str(choice[1])} for choice in field.iter_choices()]


def field_schema(field: Field) -> dict:
    """What a client needs to fill one field: name, type, label, required, choices, length."""
    return {
        "name": field.name,
        "type": field.type,
        "label": str(field.label.text),
        "description": str(field.description or ""),
        "required": bool(field.flags.required),
        "choices": _choices(field),
        "max_length": _max_length(field),
    }


def form_schema(form) -> list[dict]:
    """Every field a client fills (no CSRF token, no submit button), in the page's order."""
    return [
        field_schema(field)
        for field in form
        if field.name != "csrf_token" and not isinstance(field, SKIPPED)
    ]


def file_field_names(form) -> set[str]:
    """The upload fields: a form with any takes multipart/form-data instead of JSON."""
    return {field.name for field in form if isinstance(field, FileField)}


def formdata_from_json(body: dict) -> MultiDict:
    """The JSON object as the form data a browser would post for the same entries.

    A list is several values of one field (check boxes, a multiple select); true is a ticked
    box and false an unticked one, absent as a browser sends it; null is an empty field;
    numbers are sent as the text a person would type.
    """
    data = MultiDict()
    for name, value in body.items():
        for item in value if isinstance(value, list) else [value]:
            if item is not None and item is not False:
                data.add(name, "y" if item is True else str(item))
    return data
