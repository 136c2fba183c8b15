"""The base of every form on the site: text no person types is refused beside its field.

A keyboard never types the C0 control characters (tab and line breaks aside) or DEL; they come
from crafted requests or pasted binary, and PostgreSQL cannot store NUL at all (the request
would fail as a whole). Refusing them here, for every field of every form, keeps the database
the same on SQLite and PostgreSQL and keeps what the person typed on the page.

Flask-WTF hands the uploaded files to every field; a text field given a file (a crafted request)
would fail with a TypeError, so only upload fields see files here. It also fills a form from a
JSON body, whose values need not be text (a number, a list, an object: the views that read them
failed); a browser never posts JSON, and the JSON API gives its forms their data as text itself,
so a JSON body is no form data here.
"""

from __future__ import annotations

import re

from flask import request
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.form import _Auto  # Flask-WTF's "read the request" default for formdata
from werkzeug.datastructures import CombinedMultiDict, MultiDict
from wtforms.fields import FileField  # flask_wtf's upload fields, one file or many, derive from it

UNTYPABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
UNTYPABLE_MESSAGE = _l("Remove the invisible control characters from this text.")


class Form(FlaskForm):
    """A Flask-WTF form (CSRF included) whose text fields refuse control characters."""

    class Meta(FlaskForm.Meta):
        def wrap_formdata(self, form, formdata):
            """The posted text, and the posted files for upload fields only (no JSON body)."""
            if formdata is _Auto and request.is_json:
                return None
            data = super().wrap_formdata(form, formdata)
            if not isinstance(data, CombinedMultiDict):
                return data
            files, text = data.dicts
            uploads = {field.name for field in form if isinstance(field, FileField)}
            wrapped = MultiDict(text)
            for name in uploads & set(files):
                wrapped.setlist(name, files.getlist(name))
            return wrapped

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        for field in self:
            # One message at a time: a field already refused (the roster's one-line names,
            # say) says so in its own words.
            if not field.errors and isinstance(field.data, str) and UNTYPABLE.search(field.data):
                field.errors = [*field.errors, UNTYPABLE_MESSAGE]
                valid = False
        return valid
