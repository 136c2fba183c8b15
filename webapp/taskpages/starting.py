"""Starting a process from its first form, so a page shows that form before any instance exists.

Visitors who only look create nothing; the instance starts when the first form is valid. A POST
that also carries the next step's fields (a one-page client) completes both steps at once.
"""

from __future__ import annotations

from flask import request

from workflows.models import HumanTask

from ..actors import current_actor
from ..extensions import get_db, get_engine
from .flow import after_completion, build_form
from .limits import count_send
from .routes import render_task


def start_from_first_form(process_id: str, action: str, data: dict | None = None, **start_options):
    """Render the process's first form, or on a valid POST start it and complete that step."""
    session, engine, actor = get_db().session, get_engine(), current_actor()
    key, title = engine.start_form(session, process_id)
    probe = HumanTask(form_key=key, task_guid="", title=title)
    form = build_form(probe, data or {})
    if not form.validate_on_submit():
        return render_task(probe, form, data or {}, action=action)
    count_send(key, actor)
    instance = engine.start(session, process_id, actor, data, **start_options)
    first = engine.next_task(session, instance.id, actor)
    instance = engine.complete(session, first.task_guid, actor, form.task_data())
    following = engine.next_task(session, instance.id, actor)
    if following is not None and _carries_fields_of(following):
        task_data = engine.task_data(session, following)
        details = build_form(following, task_data)
        if not details.validate():
            return render_task(following, details, task_data)
        instance = engine.complete(session, following.task_guid, actor, details.task_data())
    return after_completion(instance, actor)


def _carries_fields_of(row: HumanTask) -> bool:
    """True when the request also holds the next step's fields (beyond the CSRF token)."""
    from forms import get_form_class

    names = {name for name in get_form_class(row.form_key)()._fields if name != "csrf_token"}
    return bool(names) and names <= set(request.form) | set(request.files)
