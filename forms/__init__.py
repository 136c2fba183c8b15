"""WTForms classes for user tasks, found by the form key a BPMN user task names.

The form protocol. Every registered class is a `forms.base.Form` (a Flask-WTF form) and

- MAY define `prepare(self, task_data: dict) -> None`, called after construction with the
  task's current data, to fit the form to the task (a facility's text limit, the choices of
  a select, a hint);
- MUST define `task_data(self) -> dict`, called after `validate()` succeeded, returning the
  JSON-safe data to merge into the workflow task: no CSRF token, no submit button, dates as
  ISO strings, and never a plain password or national ID (hash or encrypt them here).

Each module of this package registers its own classes with `@register_form("Key")`; the
look-ups below import every module of the package first, so a new module needs no wiring.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable

FORMS: dict[str, type] = {}

_discovered = False


def register_form(key: str) -> Callable[[type], type]:
    """Class decorator: make the form available to user tasks whose form key is `key`."""

    def decorate(form_class: type) -> type:
        existing = FORMS.get(key)
        # The same class seen again (a module reloaded) replaces itself; another class may not.
        same = existing is not None and (existing.__module__, existing.__qualname__) == (
            form_class.__module__,
            form_class.__qualname__,
        )
        if existing is not None and not same:
            raise ValueError(f"form key {key!r} is already registered by {existing.__name__}")
        if not callable(getattr(form_class, "task_data", None)):
            raise TypeError(f"{form_class.__name__} must define task_data(self) -> dict")
        FORMS[key] = form_class
        return form_class

    return decorate


def _discover() -> None:
    """Import every module of this package once, so their @register_form decorators run."""
    global _discovered
    if _discovered:
        return
    for module in pkgutil.iter_modules(__path__):
        if not module.name.startswith("_"):
            importlib.import_module(f"{__name__}.{module.name}")
    _discovered = True


def get_form_class(key: str) -> type:
    """The form class registered under `key`; KeyError if there is none."""
    _discover()
    try:
        return FORMS[key]
    except KeyError:
        raise KeyError(f"no form registered under {key!r}") from None


def known_form_keys() -> frozenset[str]:
    """Every registered form key (BPMN validation checks user tasks against these)."""
    _discover()
    return frozenset(FORMS)
