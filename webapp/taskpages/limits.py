"""Limits on sending one form again and again, for steps whose answer tells about others.

A family naming a person learns whether the facility's roster holds that call number (a masked
name, whether a book is taken there): sent without end, the step would list the roster, and its
instance would grow with every try. Feature blueprints register a limit per form key; the task
page, the task API and a process's first form refuse sends beyond it with 429.
"""

from __future__ import annotations

from flask import abort
from limits import parse

from workflows import Actor

from ..extensions import limiter

# Form key -> a limit in Flask-Limiter's notation ("30 per hour"), per person.
TASK_LIMITS: dict[str, str] = {}


def count_send(form_key: str, actor: Actor) -> None:
    """Count one valid send of the form by this person; 429 once past its limit."""
    limit = TASK_LIMITS.get(form_key)
    if limit is None or not limiter.enabled:
        return
    who = f"account:{actor.account_id}" if actor.account_id else f"session:{actor.session_key}"
    if not limiter.limiter.hit(parse(limit), "task-form", form_key, who):
        abort(429)
