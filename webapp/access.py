"""View decorators shared by the feature blueprints: who may open a page at all."""

from __future__ import annotations

from functools import wraps

from flask import abort
from flask_login import current_user, login_required

from workflows.models import ProcessInstance

from .extensions import get_db


def family_only(view):
    """Families only; anyone else gets a 404 (the page does not exist for them)."""

    @wraps(view)
    @login_required
    def wrapped(*args, **kwargs):
        if current_user.role != "family":
            abort(404)
        return view(*args, **kwargs)

    return wrapped


def own_instance(instance_id: int):
    """A process instance the signed-in family started; 404 for anyone else's (or none)."""
    instance = get_db().session.get(ProcessInstance, instance_id)
    if instance is None or instance.owner_account_id != current_user.id:
        abort(404)
    return instance


def staff_only(*roles: str):
    """Staff of these roles only (404 for anyone else); their facility is checked per object."""

    def decorate(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if current_user.role not in roles:
                abort(404)
            return view(*args, **kwargs)

        return wrapped

    return decorate
