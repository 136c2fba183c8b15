"""Demo rows of the institution contact book and the announcements, for `seed-demo`.

Separate from `seed_demo`: tests build their own posts and notices. Idempotent: a facility that
already has a post, or a national notice that exists, is left alone. The texts are content staff
write, so they are Traditional Chinese only: the language switch translates the pages, not them.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from workflows.clock import clock

from .accounts import Account, Facility, find_by_email
from .announcements import Announcement
from .institution_posts import InstitutionPost, InstitutionPostStatus, month_of

POST_TITLE = "{name} 懇親活動"
POST_BODY = "本機關將於下月第二個週六上午舉辦懇親活動，歡迎家屬報名參加，名額有限，請洽輔導科。"
NOTICE_TITLE = "電子家庭聯絡簿 系統維護公告"
NOTICE_BODY = "系統將於每月第一個週日 02:00–04:00 進行例行維護，期間暫停服務。"


def seed_demo_notices(session: Session) -> None:
    """One published institution post per facility, one current national announcement."""
    now = clock.now()
    for facility in session.scalars(select(Facility).order_by(Facility.id)):
        if session.scalar(
            select(InstitutionPost.id).where(InstitutionPost.facility_id == facility.id)
        ):
            continue
        admin = session.scalar(
            select(Account.id).where(
                Account.facility_id == facility.id, Account.role == "facility_admin"
            )
        )
        if admin is None:
            continue
        session.add(
            InstitutionPost(
                facility_id=facility.id,
                author_id=admin,
                title=POST_TITLE.format(name=facility.name_zh),
                body=POST_BODY,
                status=InstitutionPostStatus.PUBLISHED,
                submitted_at=now,
                published_at=now,
                published_month=month_of(now),
            )
        )
    owner = find_by_email(session, "owner@example.tw")
    exists = session.scalar(select(Announcement.id).where(Announcement.title == NOTICE_TITLE))
    if owner is not None and not exists:
        session.add(
            Announcement(
                facility_id=None,
                title=NOTICE_TITLE,
                body=NOTICE_BODY,
                publish_at=now,
                expires_at=now + timedelta(days=365),
                author_id=owner.id,
                updated_at=now,
            )
        )
    session.flush()
