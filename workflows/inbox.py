"""The staff inbox: open human tasks of one facility's lanes, read by indexed queries only.

Every query starts with `status = 'open' AND facility_id = ? AND lane IN (...)`, the leading
columns of ix_human_task_inbox and ix_human_task_search, so completed rows are never read and no
workflow is ever loaded; "assigned to me" can use ix_human_task_assignee instead.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ColumnElement, Row, Select, func, literal, null, select, union_all
from sqlalchemy.orm import Session

from .models import HumanTask, TaskStatus

if TYPE_CHECKING:
    from .actors import Actor

TABS = ("mine", "unassigned", "all")
SORTS = ("due", "age")
PER_PAGE = 25
Choice = tuple[str, str, str]  # a filter menu entry: (process_id, bpmn_id, title)


@dataclass(frozen=True)
class InboxQuery:
    """Which open tasks a staff member asked to see: their scope, one tab, filters and a page."""

    facility_id: int
    lanes: frozenset[str]
    account_id: int
    tab: str = "all"
    process_id: str | None = None
    bpmn_id: str | None = None
    search: str | None = None
    overdue_at: datetime | None = None  # only tasks whose deadline passed before this moment
    sort: str = "due"
    page: int = 1
    per_page: int = PER_PAGE

    def __post_init__(self) -> None:
        if self.tab not in TABS or self.sort not in SORTS:
            raise ValueError(f"unknown tab {self.tab!r} or sort {self.sort!r}")
        if self.page < 1 or self.per_page < 1:
            raise ValueError("page and per_page start at 1")
        if self.facility_id is None:  # "facility_id = NULL" would become IS NULL: not a scope
            raise ValueError("the inbox lists one facility's tasks")

    @classmethod
    def for_actor(cls, actor: Actor, **filters) -> InboxQuery:
        """A staff actor's query: their facility and every lane their roles work but Family."""
        lanes = actor.lanes() - {"Family"}
        return cls(
            facility_id=actor.facility_id, lanes=lanes, account_id=actor.account_id, **filters
        )


@dataclass(frozen=True)
class Page:
    """One page of inbox rows and how many rows the whole list holds.

    Each row holds every human_task column under its attribute name, read-only: a page is only
    shown, and plain rows load in half the time of ORM objects.
    """

    rows: list[Row]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        """Number of pages (at least 1, so an empty inbox is "page 1 of 1")."""
        return max(1, -(-self.total // self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


def normalise_search(term: str | None) -> str:
    """The call number as stored: full-width digits (０６０９) made ASCII, spaces trimmed."""
    return unicodedata.normalize("NFKC", term or "").strip()


def _next_digit_prefix(prefix: str) -> str | None:
    """The smallest digit string above every string starting with `prefix` ("0609" -> "061").

    Bounds made of digits keep the range right under any collation (digits always weigh);
    None when there is no upper bound ("999").
    """
    stripped = prefix.rstrip("9")
    if not stripped:
        return None
    return stripped[:-1] + chr(ord(stripped[-1]) + 1)


def _search_conditions(term: str | None) -> list[ColumnElement[bool]]:
    """Call number: a digit term matches as a prefix (an index range), anything else exactly."""
    term = normalise_search(term)
    if not term:
        return []
    key = HumanTask.search_key
    if not (term.isascii() and term.isdigit()):
        return [key == term]
    conditions = [key >= term, func.substr(key, 1, len(term)) == term]
    upper = _next_digit_prefix(term)
    if upper is not None:
        conditions.append(key < upper)
    return conditions


def _open(facility_id: int) -> list[ColumnElement[bool]]:
    return [HumanTask.status == TaskStatus.OPEN, HumanTask.facility_id == facility_id]


def _filters(q: InboxQuery) -> list[ColumnElement[bool]]:
    """Open tasks of the facility, with the process, task and call-number filters (any lane)."""
    conditions = _open(q.facility_id)
    if q.process_id:
        conditions.append(HumanTask.process_id == q.process_id)
    if q.bpmn_id:
        conditions.append(HumanTask.bpmn_id == q.bpmn_id)
    if q.overdue_at is not None:
        conditions.append(HumanTask.due_at < q.overdue_at)
    return conditions + _search_conditions(q.search)


def _scope(q: InboxQuery) -> list[ColumnElement[bool]]:
    """The filters, in the query's lanes."""
    return [*_filters(q), HumanTask.lane.in_(sorted(q.lanes))]


def _tab(q: InboxQuery) -> list[ColumnElement[bool]]:
    if q.tab == "mine":
        return [HumanTask.assignee_id == q.account_id]
    if q.tab == "unassigned":
        return [HumanTask.assignee_id.is_(None)]
    return []


def _order(sort: str) -> list:
    """'due': soonest deadline first, tasks without one last, then oldest; 'age': oldest first."""
    oldest = [HumanTask.created_at.asc(), HumanTask.id.asc()]
    if sort == "due":
        return [HumanTask.due_at.asc().nulls_last(), *oldest]
    return oldest


def _page(q: InboxQuery) -> Select:
    """The statement of one page of rows, in the query's order."""
    order, offset, lanes = _order(q.sort), (q.page - 1) * q.per_page, sorted(q.lanes)
    conditions = _filters(q) + _tab(q)
    if q.sort == "due" and len(lanes) > 1 and q.tab != "mine" and not q.search:
        # Several lanes (a supervisor's): walk ix_human_task_inbox in due order once per lane
        # and merge those few rows, rather than sort every open task of the facility. ("Mine"
        # and a search are narrowed by their own index to a few rows: those just sort.)
        per_lane = [
            select(HumanTask.id)
            .where(*conditions, HumanTask.lane == lane)
            .order_by(*order)
            .limit(offset + q.per_page)
            .subquery()
            for lane in lanes
        ]
        conditions = [HumanTask.id.in_(union_all(*(select(s.c.id) for s in per_lane)))]
    else:
        conditions.append(HumanTask.lane.in_(lanes))
    return (
        select(*HumanTask.__table__.columns)
        .where(*conditions)
        .order_by(*order)
        .limit(q.per_page)
        .offset(offset)
    )


def list_tasks(session: Session, q: InboxQuery, total: int | None = None) -> Page:
    """One page of the tab's rows; pass `total` when tab_counts already counted it."""
    if total is None:
        total = session.scalar(
            select(func.count()).select_from(HumanTask).where(*_scope(q), *_tab(q))
        )
    return Page(list(session.execute(_page(q)).all()), total, q.page, q.per_page)


def _counters(q: InboxQuery) -> list:
    """Rows assigned to me, unassigned, and all: the three tabs, in TABS order."""
    return [
        func.count().filter(HumanTask.assignee_id == q.account_id),
        func.count().filter(HumanTask.assignee_id.is_(None)),
        func.count(),
    ]


def tab_counts(session: Session, q: InboxQuery) -> dict[str, int]:
    """Rows per tab under the same filters, counted in one pass over the index range."""
    row = session.execute(select(*_counters(q)).select_from(HumanTask).where(*_scope(q))).one()
    return dict(zip(TABS, row, strict=True))


def filter_choices(session: Session, facility_id: int, lanes: frozenset[str]) -> list[Choice]:
    """Distinct (process_id, bpmn_id, title) of the open tasks in scope, for filter menus."""
    rows = session.execute(
        select(HumanTask.process_id, HumanTask.bpmn_id, HumanTask.title)
        .where(*_open(facility_id), HumanTask.lane.in_(sorted(lanes)))
        .distinct()
        .order_by(HumanTask.process_id, HumanTask.title, HumanTask.bpmn_id)
    ).all()
    return [tuple(r) for r in rows]


def tab_counts_and_choices(session: Session, q: InboxQuery) -> tuple[dict[str, int], list[Choice]]:
    """tab_counts and filter_choices together: one pass over the scope when there is no search.

    The first page of every inbox needs both; grouping the counts by (process, task) gives the
    menus for free, and the counts of a process or task filter are sums of its groups.
    """
    if q.search:
        return _searched_counts_and_choices(session, q)
    keys = (HumanTask.process_id, HumanTask.bpmn_id, HumanTask.title)
    rows = session.execute(
        select(*keys, *_counters(q))
        .where(*_open(q.facility_id), HumanTask.lane.in_(sorted(q.lanes)))
        .group_by(*keys)
    ).all()
    counts = dict.fromkeys(TABS, 0)
    for process_id, bpmn_id, _title, *numbers in rows:
        if q.process_id in (None, process_id) and q.bpmn_id in (None, bpmn_id):
            for tab, number in zip(TABS, numbers, strict=True):
                counts[tab] += number
    choices = sorted({tuple(r[:3]) for r in rows}, key=lambda c: (c[0], c[2], c[1]))
    return counts, choices


def _searched_counts_and_choices(
    session: Session, q: InboxQuery
) -> tuple[dict[str, int], list[Choice]]:
    """A search's tab counts and the menus, which a search does not narrow, in one statement.

    Each branch of the UNION ALL reads its own index (the counts the call-number range, the
    menus the covering one), as tab_counts and filter_choices do, in one round trip instead of
    two. The counts come as the one row without a process id.
    """
    menus = (
        select(HumanTask.process_id, HumanTask.bpmn_id, HumanTask.title, *[literal(0)] * len(TABS))
        .where(*_open(q.facility_id), HumanTask.lane.in_(sorted(q.lanes)))
        .distinct()
    )
    counts = select(null(), null(), null(), *_counters(q)).where(*_scope(q))
    both = union_all(menus, counts)
    process_id, bpmn_id, title = list(both.selected_columns)[:3]
    rows = session.execute(both.order_by(process_id, title, bpmn_id)).all()
    [numbers] = [r[3:] for r in rows if r[0] is None]
    choices = [tuple(r[:3]) for r in rows if r[0] is not None]
    return dict(zip(TABS, numbers, strict=True)), choices
