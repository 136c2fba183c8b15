"""The roster of persons in custody (收容人), as far as the service needs to know them.

A family finds a person by facility and call number (呼號) and sees only a masked name, so a
guessed call number reveals no one's full name.
"""

from __future__ import annotations

from sqlalchemy import Boolean, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from workflows.db import Base

MASK_CHAR = "〇"


def masked_name(name: str | None) -> str:
    """The name as families see it: first character kept, the rest hidden (李大明 → 李〇〇)."""
    name = (name or "").strip()
    return name[:1] + MASK_CHAR * (len(name) - 1) if name else ""


class Inmate(Base):
    """A person in custody at one facility, known there by a call number."""

    __tablename__ = "inmate"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    facility_id: Mapped[int] = mapped_column(ForeignKey("facility.id"), index=True)
    call_number: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(100))
    # Facility rules differ for juveniles (e.g. Yunlin: posts every 2 days instead of 10).
    juvenile: Mapped[bool] = mapped_column(Boolean, default=False)
    # Taichung admits applications only for persons with children under 18.
    children_under_18: Mapped[bool] = mapped_column(Boolean, default=False)

    __table_args__ = (UniqueConstraint("facility_id", "call_number"),)

    @property
    def display_label(self) -> str:
        """Call number and masked name, as the application form confirms it: '0609 李〇〇'."""
        return f"{self.call_number} {masked_name(self.name)}"
