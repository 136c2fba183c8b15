"""The institution book's and the announcements' part of the authorization world: published
posts of two facilities (one with a photo) and announcements current, expired and per facility."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from flask import Flask
from sqlalchemy import select

from domain.accounts import Facility
from domain.announcements import Announcement
from domain.files import storage_dir_for, store_bytes
from domain.institution_posts import InstitutionPost, InstitutionPostStatus, month_of
from tests.application_support import png
from workflows import clock


@dataclass
class InstitutionWorld:
    dunpin_post: int  # published at Dunpin (the family's Dunpin book is not active)
    taichung_post: int  # published at Taichung (both families' books there are active)
    dunpin_photo: int  # the Dunpin post's photo, uploaded by the Dunpin admin
    national_announcement: int  # current, national
    taichung_announcement: int  # current, Taichung's
    expired_announcement: int  # national, expired yesterday


def build_institution_world(app: Flask, accounts: dict[str, int]) -> InstitutionWorld:
    """Rows written directly: the approval process has tests of its own."""
    database, now = app.extensions["db"], clock.now()
    storage = storage_dir_for(app.extensions["settings"].instance_path)
    with database.transaction() as session:
        facility = {
            code: session.scalar(select(Facility.id).where(Facility.code == code))
            for code in ("dunpin-school", "taichung-detention")
        }
        photo = store_bytes(
            session,
            storage,
            png((5, 5, 5)),
            original_name="event.png",
            owner_account_id=accounts["admin.dunpin"],
        )

        def post(code: str, admin: str, photo_id=None) -> InstitutionPost:
            return InstitutionPost(
                facility_id=facility[code],
                author_id=accounts[admin],
                title="機關聯絡簿",
                body="內容",
                photo_file_id=photo_id,
                status=InstitutionPostStatus.PUBLISHED,
                submitted_at=now,
                published_at=now,
                published_month=month_of(now),
            )

        def notice(facility_id, author: str, days_left: int) -> Announcement:
            return Announcement(
                facility_id=facility_id,
                title="公告",
                body="內容",
                publish_at=now - timedelta(days=10),
                expires_at=now + timedelta(days=days_left),
                author_id=accounts[author],
                updated_at=now,
            )

        rows = [
            post("dunpin-school", "admin.dunpin", photo.id),
            post("taichung-detention", "admin.taichung"),
            notice(None, "owner", 30),
            notice(facility["taichung-detention"], "admin.taichung", 30),
            notice(None, "owner", -1),
        ]
        session.add_all(rows)
        session.flush()
        world = InstitutionWorld(rows[0].id, rows[1].id, photo.id, *(r.id for r in rows[2:]))
    database.remove()
    return world
