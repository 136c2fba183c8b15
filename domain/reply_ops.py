"""The operations the inmate-reply BPMN calls: open the contact book, save the reply."""

from __future__ import annotations

from workflows.operations import context, operation

from . import links
from .accounts import Account, Facility
from .applications import ContactBook
from .audit import record_step
from .notify import notify_account
from .replies import InmateReply
from .roster import Inmate


@operation
def open_reply(book_id: int, facility_id: int) -> dict:
    """The facility code and juvenile status the policy needs; only a book of this facility."""
    ctx = context()
    book = ctx.session.get(ContactBook, book_id)
    inmate = ctx.session.get(Inmate, book.inmate_id) if book is not None else None
    if book is None or book.status != "active" or inmate.facility_id != facility_id:
        return {"ok": False}
    ctx.set_owner(facility_id=facility_id)
    ctx.set_subject(inmate.subject_key, inmate.display_label, inmate.call_number)
    ctx.correlate(book_id=book_id)  # found by it when the family deletes its account
    facility = ctx.session.get(Facility, facility_id)
    return {"ok": True, "facility": facility.code, "juvenile": bool(inmate.juvenile)}


@operation
def save_reply(book_id: int, reply: dict) -> int:
    """Keep the reply in the family's book and tell the family; returns its id."""
    ctx = context()
    book = ctx.session.get(ContactBook, book_id)
    row = InmateReply(
        book_id=book.id,
        body=reply["body"],
        scan_file_id=reply.get("scan_file_id"),
        entered_by=ctx.actor.account_id,
        entered_at=ctx.now,
    )
    ctx.session.add(row)
    ctx.session.flush()
    facility_id = ctx.instance.facility_id
    record_step("reply.enter", "inmate_reply", row.id, facility_id, after={"book_id": book.id})
    family = ctx.session.get(Account, book.account_id)
    values = {
        "name": family.name,
        "label": ctx.instance.subject_label or "",
        "link": links.url("/posts"),
    }
    inmate = ctx.session.get(Inmate, book.inmate_id)
    notify_account(ctx.session, family, "inmate_reply", values, facility_id=inmate.facility_id)
    return row.id
