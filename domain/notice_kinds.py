"""Every kind of notice the service sends: its preference group and the placeholders it may use.

The list is the contract between the code that sends a notice (it supplies exactly these
values) and the people who edit its text (a template may use only these names), so a facility's
wording can change without code and without breaking a send.
"""

from __future__ import annotations

from dataclasses import dataclass

# Preference groups: what a family chooses channels for (one choice per group).
ACCOUNT = "account"
APPLICATION = "application"
POST = "post"
SUSPENSION = "suspension"
REPLY = "reply"
INSTITUTION_POST = "institution_post"
STAFF = "staff"  # staff notices: e-mail only, no preference
FAMILY_GROUPS = (ACCOUNT, APPLICATION, POST, SUSPENSION, REPLY, INSTITUTION_POST)


@dataclass(frozen=True)
class NoticeKind:
    """One notice: its key (template file name), preference group and allowed placeholders."""

    key: str
    group: str
    placeholders: tuple[str, ...]


KINDS: dict[str, NoticeKind] = {
    kind.key: kind
    for kind in (
        NoticeKind("verification", ACCOUNT, ("name", "link", "minutes")),
        NoticeKind("registration_conflict_email", ACCOUNT, ("name", "link")),
        NoticeKind("registration_conflict_id", ACCOUNT, ("name", "link")),
        NoticeKind("password_reset", ACCOUNT, ("name", "link")),
        NoticeKind("email_change_link", ACCOUNT, ("name", "link")),
        NoticeKind("email_taken", ACCOUNT, ("link",)),
        NoticeKind("email_changed", ACCOUNT, ("name", "address")),
        NoticeKind("application_received", APPLICATION, ("name", "label", "facility", "link")),
        NoticeKind("application_approved", APPLICATION, ("name", "label", "facility", "link")),
        NoticeKind(
            "application_rejected",
            APPLICATION,
            ("name", "label", "facility", "reason", "steps", "link"),
        ),
        NoticeKind("review_overdue", STAFF, ("label", "facility", "link")),
        NoticeKind("staff_welcome", STAFF, ("name", "facility", "role", "link")),
        NoticeKind(
            "review_digest",
            STAFF,
            ("name", "facility", "date", "open_count", "overdue_count", "tasks", "link"),
        ),
        NoticeKind("post_approved", POST, ("name", "title", "label", "link")),
        NoticeKind("post_rejected", POST, ("name", "title", "label", "reason", "link")),
        NoticeKind("post_delivered", POST, ("name", "title", "label", "when", "link")),
        NoticeKind("photo_refused", POST, ("name", "title", "link")),
        NoticeKind(
            "suspension_started", SUSPENSION, ("name", "facility", "rejections", "until", "link")
        ),
        NoticeKind("suspension_lifted", SUSPENSION, ("name", "facility", "reason", "link")),
        NoticeKind("inmate_reply", REPLY, ("name", "label", "link")),
        NoticeKind("institution_post", INSTITUTION_POST, ("name", "facility", "title", "link")),
    )
}


def kind(key: str) -> NoticeKind:
    """The kind named `key` (KeyError for an unknown one: a programming error)."""
    return KINDS[key]
