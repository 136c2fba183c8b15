"""What the inbox page was asked for (tab, filters, sort, page), read from its query string."""

from __future__ import annotations

from dataclasses import dataclass, replace

from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import MultiDict

from workflows import Actor, clock
from workflows.inbox import SORTS, TABS, InboxQuery, normalise_search

from ..paging import page_arg

DEFAULTS = {
    "tab": "all",
    "process": "",
    "task": "",
    "q": "",
    "overdue": "",
    "sort": "due",
    "page": 1,
}

TAB_LABELS = {"mine": _l("Assigned to me"), "unassigned": _l("Unassigned"), "all": _l("All open")}
SORT_LABELS = {"due": _l("By due date"), "age": _l("Oldest first")}
# Process ids as staff read them (a test checks every process in bpmn/ has one).
PROCESS_LABELS = {
    "service_application": _l("Service application"),
    "registration": _l("Registration"),
    "post_review": _l("Family contact book"),
    "suspension": _l("Suspension"),
    "inmate_reply": _l("Inmate reply"),
    "institution_post": _l("Institution contact book"),
    "proof_retention": _l("Retention of proofs"),
    "upload_retention": _l("Retention of uploads never filed"),
    "posting_policy": _l("Posting policy"),
}


def process_label(process_id: str):
    """The name of a process in the page's language."""
    return PROCESS_LABELS.get(process_id, process_id)


@dataclass(frozen=True)
class InboxFilters:
    """The query-string state of the inbox; `task` is "<process id>:<task id>"."""

    tab: str = "all"
    process: str = ""
    task: str = ""
    q: str = ""
    overdue: str = ""  # "1": only tasks past their deadline (a supervisor's escalations)
    sort: str = "due"
    page: int = 1

    @classmethod
    def from_args(cls, args: MultiDict) -> InboxFilters:
        """Read the query string; unknown or malformed values fall back to the defaults."""
        tab, sort = args.get("tab", "all"), args.get("sort", "due")
        return cls(
            tab=tab if tab in TABS else "all",
            process=args.get("process", "")[:100],
            task=args.get("task", "")[:201],
            q=normalise_search(args.get("q", ""))[:50],
            overdue="1" if args.get("overdue") == "1" else "",
            sort=sort if sort in SORTS else "due",
            page=page_arg(args),
        )

    def query(self, actor: Actor) -> InboxQuery:
        """The engine-side query for this actor: the task filter names its process too."""
        process_id, bpmn_id = self.process or None, None
        if self.task:
            task_process, _, bpmn_id = self.task.partition(":")
            process_id = process_id or task_process or None
        return InboxQuery.for_actor(
            actor,
            tab=self.tab,
            process_id=process_id,
            bpmn_id=bpmn_id or None,
            search=self.q or None,
            overdue_at=clock.now() if self.overdue else None,
            sort=self.sort,
            page=self.page,
        )

    def params(self, **changes) -> dict:
        """Query-string values that differ from the defaults, for links that keep the filters.

        Changing anything but the page goes back to page 1.
        """
        changed = replace(self, **changes)
        if "page" not in changes:
            changed = replace(changed, page=1)
        return {k: v for k, v in vars(changed).items() if v != DEFAULTS[k]}

    @property
    def filtered(self) -> bool:
        """True when any filter or search narrows the list (the page offers to clear them)."""
        return bool(self.process or self.task or self.q or self.overdue)
