"""Replies of the person in custody (收容人回覆), entered by staff where the facility allows it.

The person inside normally only receives; a facility that switches replies on in its policy
(a family-support activity) lets staff type the reply in, with an optional scanned page.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, Text, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from workflows.db import Base, UTCDateTime


class InmateReply(Base):
    """One reply to a family, in its contact book."""

    __tablename__ = "inmate_reply"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    book_id: Mapped[int] = mapped_column(ForeignKey("contact_book.id"), index=True)
    post_id: Mapped[int | None] = mapped_column(ForeignKey("post.id"))
    body: Mapped[str] = mapped_column(Text)
    scan_file_id: Mapped[int | None] = mapped_column(ForeignKey("stored_file.id"), index=True)
    entered_by: Mapped[int] = mapped_column(ForeignKey("account.id"))
    entered_at: Mapped[datetime] = mapped_column(UTCDateTime())


def replies_in(session: Session, book_ids: list[int]) -> list[InmateReply]:
    """The replies in these contact books, newest first."""
    if not book_ids:
        return []
    return list(
        session.scalars(
            select(InmateReply)
            .where(InmateReply.book_id.in_(book_ids))
            .order_by(InmateReply.entered_at.desc())
        )
    )
