"""The links a signed-in user sees in the header, contributed by each blueprint.

Each feature adds its own entry (`add_nav_item`), with a rule saying who sees it, so the layout
never has to know which blueprints exist. An entry marked `secondary` (a page seldom opened) goes
into the header's "More" list when a user sees more links than one row of the header holds.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import Flask, current_app
from flask_login import current_user

from . import bp

# More links than this, and the secondary ones fold into "More": a facility admin's eleven links
# took two rows of a 1280 px screen besides the brand and the languages.
ROW_OF_LINKS = 7


@dataclass(frozen=True)
class NavItem:
    """One header link: where it goes, what it says, and who sees it."""

    endpoint: str
    label: Any  # a lazy_gettext string, translated when rendered
    visible: Callable[[Any], bool]
    secondary: bool = False


def _signed_in(user: Any) -> bool:
    return bool(user.is_authenticated)


def add_nav_item(
    app: Flask,
    endpoint: str,
    label: Any,
    visible: Callable[[Any], bool] = _signed_in,
    *,
    secondary: bool = False,
) -> None:
    """Add a header link; `visible(user)` decides who sees it (default: any signed-in user)."""
    app.extensions.setdefault("nav", []).append(NavItem(endpoint, label, visible, secondary))


def nav_items() -> list[NavItem]:
    """The header links the current user may see, in the order they were added."""
    return [item for item in current_app.extensions.get("nav", []) if item.visible(current_user)]


def nav_groups() -> tuple[list[NavItem], list[NavItem]]:
    """The header's links in a row, and those folded into "More" (none while few enough fit)."""
    items = nav_items()
    if len(items) <= ROW_OF_LINKS:
        return items, []
    return [i for i in items if not i.secondary], [i for i in items if i.secondary]


@bp.app_context_processor
def navigation_context() -> dict:
    """Give every template the `nav_groups()` function."""
    return {"nav_groups": nav_groups}
