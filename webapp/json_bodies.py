"""JSON request bodies: one nested deeper than the parser recurses is malformed, not a 500."""

from __future__ import annotations

from typing import Any

from flask.json.provider import DefaultJSONProvider


class JSONProvider(DefaultJSONProvider):
    """Flask's JSON, with a body nested past Python's recursion limit read as malformed.

    Python's parser raises RecursionError there, which Werkzeug's `get_json` does not handle:
    a few hundred kilobytes of brackets sent to the task API were a server error, with its
    traceback in the log. As a ValueError it is what any malformed body is: None from
    `get_json(silent=True)`, else a 400.
    """

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        try:
            return super().loads(s, **kwargs)
        except RecursionError as exc:
            raise ValueError("JSON nested too deeply") from exc
