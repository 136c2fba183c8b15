"""Starting a post: one instance of the post process per post, on the variant of the facility
where the person is held (bpmn/facilities/<code>/ may override the process for it)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from workflows import Actor, WorkflowEngine
from workflows.models import ProcessInstance

from .accounts import Facility
from .applications import ContactBook
from .roster import Inmate

POST_PROCESS = "post_review"


def start_post_process(
    session: Session, engine: WorkflowEngine, actor: Actor, book: ContactBook
) -> ProcessInstance:
    """A new post for this contact book, started by its family (its first page: compose)."""
    facility = session.get(Facility, session.get(Inmate, book.inmate_id).facility_id)
    return engine.start(
        session,
        POST_PROCESS,
        actor,
        {"account_id": book.account_id, "book_id": book.id},
        variant=facility.code,
        facility_id=facility.id,
    )
