"""The links a signed-in user sees in the header, contributed by each blueprint.

Each feature adds its own entry (`add_nav_item`), with a rule saying who sees it, so the layout
never has to know which blueprints exist.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import Flask, current_app
from flask_login import current_user

from . import bp


@dataclass(frozen=True)
class NavItem:
    """One header link: where it goes, what it says, and who sees it."""

    endpoint: str
    label: Any  # a lazy_gettext string, translated when rendered
    visible: Callable[[Any], bool]


def _signed_in(user: Any) -> bool:
    return bool(user.is_authenticated)


def add_nav_item(
    app: Flask, endpoint: str, label: Any, visible: Callable[[Any], bool] = _signed_in
) -> None:
    """Add a header link; `visible(user)` decides who sees it (default: any signed-in user)."""
    app.extensions.setdefault("nav", []).append(NavItem(endpoint, label, visible))


def nav_items() -> list[NavItem]:
    """The header links the current user may see, in the order they were added."""
    return [item for item in current_app.extensions.get("nav", []) if item.visible(current_user)]


@bp.app_context_processor
def navigation_context() -> dict:
    """Give every template the `nav_items()` function."""
    return {"nav_items": nav_items}
