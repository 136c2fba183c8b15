"""The authorization matrix's table: every id-bearing route of the URL map with the ids of the
shared world (tests/authorization_world.py), who gets what, and what a refused request must leave
alone. tests/test_authorization.py runs it; tests/test_page_titles.py walks its pages."""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import func, select

from domain.account_tokens import AccountToken, issue_account_token
from domain.accounts import Account
from domain.announcements import Announcement
from domain.applications import Application
from domain.audit import AuditEvent
from domain.notice_templates import NoticeTemplate
from domain.notifications import Notification
from domain.posts import Post
from domain.replies import InmateReply
from domain.roster import Inmate, Restriction, local_today
from domain.special_projects import SpecialProject
from domain.suspensions import Suspension
from tests.application_support import png
from tests.authorization_world import World
from workflows.models import HumanTask, ProcessInstance, ProcessVersion

LOGIN = "login"  # a redirect to the login page (blueprints behind login_required)
DUNPIN_DESK = {"reviewer.dunpin": 200, "supervisor.dunpin": 200}
TAICHUNG_DESK = {"reviewer.taichung": 200, "supervisor.taichung": 200}


@dataclass(frozen=True)
class Case:
    """One route with real ids: who gets what, and what a refused request must leave alone."""

    name: str
    rule: str  # as app.url_map spells it
    method: str
    url: Callable[[World], str]
    allowed: dict[str, int | str]  # actor -> status, for those the route serves
    refused: int | str = 404  # everyone else
    anonymous: int | str | None = None  # a visitor, when it differs from `refused`
    data: Callable[[World, str], dict] = field(default=lambda w, actor: {})
    # What the allowed actors post instead: a request that reaches the form but changes
    # nothing, so the world stays the same for the cases after it.
    allowed_data: Callable[[World, str], dict] | None = None
    # Must read the same after the request: always after a refusal, and after an allowed one
    # unless `allowed_change` says the allowed request does change it (a claim, a deletion).
    state: Callable[[World], object] | None = None
    allowed_change: bool = False

    def expected(self, actor: str) -> int | str:
        """The status (or LOGIN) this actor must get."""
        if actor in self.allowed:
            return self.allowed[actor]
        if actor == "anonymous" and self.anonymous is not None:
            return self.anonymous
        return self.refused


def review_state(w: World) -> tuple:
    """The Dunpin review task and its application: still open, still pending."""
    task = select(HumanTask.status).where(HumanTask.task_guid == w.dunpin_review)
    application = select(Application.status).where(Application.instance_id == w.pending_instance)
    return w.scalar(task), w.scalar(application)


def step_state(w: World) -> tuple:
    """The family's unfinished step, and how many applications exist (none filed by a stranger)."""
    task = select(HumanTask.status).where(HumanTask.task_guid == w.family_step)
    return w.scalar(task), w.scalar(select(func.count(Application.id)))


def assignee(w: World) -> int | None:
    """Who holds the Dunpin review."""
    return w.scalar(select(HumanTask.assignee_id).where(HumanTask.task_guid == w.dunpin_review))


def inmate_state(w: World) -> tuple:
    """Person 1201 as the roster has them: facility, number, name, their task's facility, bans."""
    person = w.scalar(select(Inmate).where(Inmate.id == w.dunpin_inmate))
    task = select(HumanTask.facility_id).where(HumanTask.task_guid == w.dunpin_review)
    restrictions = select(func.count(Restriction.id)).where(Restriction.inmate_id == person.id)
    return (
        person.facility_id,
        person.call_number,
        person.name,
        w.scalar(task),
        w.scalar(restrictions),
    )


def restriction(restriction_id: Callable[[World], int]) -> Callable[[World], tuple | None]:
    """A probe of one restriction (None once it is deleted)."""

    def state(w: World) -> tuple | None:
        row = w.scalar(select(Restriction).where(Restriction.id == restriction_id(w)))
        return row and (row.inmate_id, row.starts_on, row.ends_on)

    return state


def delivered_at(w: World):
    """When the approved Taichung post was recorded as delivered (None: not yet)."""
    return w.scalar(select(Post.delivered_at).where(Post.id == w.approved_post))


def instance_state(w: World) -> tuple:
    """The family's Dunpin application instance: its status, its row version, the retries
    logged."""
    row = w.scalar(select(ProcessInstance).where(ProcessInstance.id == w.pending_instance))
    retries = select(func.count(AuditEvent.id)).where(AuditEvent.action == "instance.retry")
    return row.status, row.lock_version, w.scalar(retries)


def family_password(w: World) -> str:
    """The family's password hash: an altered reset link must not change it."""
    return w.scalar(select(Account.password_hash).where(Account.id == w.accounts["family"]))


def family_email(w: World) -> str:
    """The family's login address: an altered e-mail change link must not change it."""
    return w.scalar(select(Account.email).where(Account.id == w.accounts["family"]))


def notice_overrides(w: World) -> list[tuple]:
    """Every facility's own notice wording: (kind, facility, Chinese subject)."""
    rows = select(NoticeTemplate.kind, NoticeTemplate.facility_id, NoticeTemplate.subject_zh)
    database = w.app.extensions["db"]
    try:
        return sorted(database.session.execute(rows).all())
    finally:
        database.remove()


def family_draft(w: World) -> int:
    """A fresh unsent application of the family (its first step open): a discard to probe."""
    from workflows import Actor

    database, engine = w.app.extensions["db"], w.app.extensions["engine"]
    family = w.accounts["family"]
    actor = Actor(account_id=family, roles=frozenset({"family"}))
    with database.transaction() as session:
        instance = engine.start(session, "service_application", actor, {"account_id": family})
        instance_id = instance.id
    database.remove()
    return instance_id


def drafts_discarded(w: World) -> int:
    return w.scalar(
        select(func.count(ProcessInstance.id)).where(
            ProcessInstance.process_id == "service_application",
            ProcessInstance.status == "cancelled",
        )
    )


def family_token(w: World) -> int:
    """The id of a personal API token of the family (made on first use)."""
    database = w.app.extensions["db"]
    family = w.accounts["family"]
    with database.transaction() as session:
        row = session.scalar(select(AccountToken).where(AccountToken.account_id == family))
        token_id = row.id if row is not None else issue_account_token(session, family, "x")[1].id
    database.remove()
    return token_id


def token_revoked(w: World) -> bool:
    """Whether the family's token is revoked: only the family may revoke it."""
    return w.scalar(select(AccountToken.revoked_at).where(AccountToken.id == family_token(w)))


def approve(w: World, actor: str) -> dict:
    """A complete decision, so a stranger's POST would take effect if it were let through."""
    return {"decision": "approve"}


def step_details(w: World, actor: str) -> dict:
    """A complete second step (fresh file objects for every request)."""
    return {
        "confirm": "y",
        "services": "contact_book",
        "id_document": (io.BytesIO(png()), "id.png"),
        "relationship_proof": (io.BytesIO(png()), "hh.png"),
    }


def self_assign(w: World, actor: str) -> dict:
    """Hand the task to oneself (a visitor names a Dunpin reviewer)."""
    return {"assignee": w.accounts.get(actor, w.accounts["reviewer.dunpin"])}


def new_restriction(w: World, actor: str) -> dict:
    """A valid restriction from today."""
    return {"kind": "court_ban", "starts_on": local_today().isoformat()}


def announcement_state(w: World) -> tuple:
    """Taichung's announcement as it stands: a stranger's edit must not touch it."""
    row = w.scalar(
        select(Announcement).where(Announcement.id == w.institution.taichung_announcement)
    )
    return row.title, row.publish_at, row.expires_at


def announcement_edit(w: World, actor: str) -> dict:
    """A complete edit that would withdraw the notice at once."""
    return {
        "title": "改了",
        "body": "改了",
        "publish_at": "2020-01-01T00:00",
        "expires_at": "2020-01-02T00:00",
    }


ADMIN_DUNPIN = "admin.dunpin"
ADMINS = {"admin.dunpin": 200, "admin.taichung": 200}
NOTICE_TEMPLATE = "/notices/templates/<kind>"
ROSTER_ITEM = "/admin/roster/<int:inmate_id>"
RESTRICTION = ROSTER_ITEM + "/restrictions/<int:restriction_id>"
STAFF_MEMBER = "/admin/staff/<int:account_id>"


def dunpin_admin_state(w: World) -> tuple:
    """Dunpin's admin as the staff page has them: role and status (nobody may change them:
    a stranger gets 404, the admin themselves may not lock themselves out)."""
    row = w.scalar(select(Account).where(Account.id == w.accounts[ADMIN_DUNPIN]))
    return row.role, row.status


def dunpin_admin_url(action: str = "") -> Callable[[World], str]:
    return lambda w: f"/admin/staff/{w.accounts[ADMIN_DUNPIN]}{action}"


TASK = "/tasks/<task_id>"
FEED = "/api/v1/facilities/<code>/deliveries"
TAICHUNG_FEED = "/api/v1/facilities/taichung-detention/deliveries"
API_TASK = "/api/v1/tasks/<task_id>"

CASES = [
    # Tasks: the lane's roles at the task's facility; a family task only for its family.
    # A visitor acts as a family without an account: 404 too.
    Case("dunpin review", TASK, "GET", lambda w: f"/tasks/{w.dunpin_review}", DUNPIN_DESK),
    Case("taichung review", TASK, "GET", lambda w: f"/tasks/{w.taichung_review}", TAICHUNG_DESK),
    Case("family step", TASK, "GET", lambda w: f"/tasks/{w.family_step}", {"family": 200}),
    Case(
        "decide dunpin review",
        TASK,
        "POST",
        lambda w: f"/tasks/{w.dunpin_review}",
        DUNPIN_DESK,
        data=approve,
        allowed_data=lambda w, actor: {"decision": "reject"},  # no reason: the form says so
        state=review_state,
    ),
    Case(
        "send family step",
        TASK,
        "POST",
        lambda w: f"/tasks/{w.family_step}",
        {"family": 200},
        data=step_details,
        allowed_data=lambda w, actor: {},  # nothing ticked: the form says so
        state=step_state,
    ),
    # Inbox actions: staff of the task's facility in a role of its lane; the rest 404, even
    # visitors (the inbox is not hinted at). Every allowed action here is harmless to repeat.
    *(
        Case(
            f"{action} dunpin review",
            f"/inbox/tasks/<task_guid>/{action}",
            "POST",
            lambda w, action=action: f"/inbox/tasks/{w.dunpin_review}/{action}",
            {"reviewer.dunpin": 303, "supervisor.dunpin": 303},
            data=self_assign if action == "assign" else (lambda w, actor: {}),
            state=assignee,
            allowed_change=True,
        )
        for action in ("claim", "unclaim", "assign")
    ),
    Case(  # within the facility only: the desk is told no, the task stays where it was
        "assign dunpin review to taichung",
        "/inbox/tasks/<task_guid>/assign",
        "POST",
        lambda w: f"/inbox/tasks/{w.dunpin_review}/assign",
        {"reviewer.dunpin": 303, "supervisor.dunpin": 303},
        data=lambda w, actor: {"assignee": w.accounts["reviewer.taichung"]},
        state=assignee,
    ),
    # Outcome pages: the family that started the instance; visitors are asked to log in.
    Case(
        "pending outcome",
        "/applications/outcome/<int:instance_id>",
        "GET",
        lambda w: f"/applications/outcome/{w.pending_instance}",
        {"family": 302},  # sent on to the status page
        anonymous=LOGIN,
    ),
    Case(
        "ineligible outcome",
        "/applications/outcome/<int:instance_id>",
        "GET",
        lambda w: f"/applications/outcome/{w.ineligible_instance}",
        {"family": 200},
        anonymous=LOGIN,
    ),
    Case(
        "post outcome",
        "/posts/outcome/<int:instance_id>",
        "GET",
        lambda w: f"/posts/outcome/{w.post_instance}",
        {"family": 302},  # in review: sent on to the list
        anonymous=LOGIN,
    ),
    Case(
        "post review task",
        "/tasks/<task_id>",
        "GET",
        lambda w: f"/tasks/{w.post_review}",
        TAICHUNG_DESK,
    ),
    Case(
        "post photo",
        "/files/<int:file_id>",
        "GET",
        lambda w: f"/files/{w.post_photo}",
        {"family": 200, **TAICHUNG_DESK, "admin.taichung": 200},
    ),
    # Replies of the person inside: the book's facility admins.
    Case(
        "start reply",
        "/books/<int:book_id>/reply",
        "POST",
        lambda w: f"/books/{w.taichung_book}/reply",
        {"admin.taichung": 302},  # replies are off there: nothing recorded
        anonymous=LOGIN,
        state=lambda w: w.scalar(select(func.count(InmateReply.id))),
    ),
    Case(
        "reply outcome",
        "/replies/outcome/<int:instance_id>",
        "GET",
        lambda w: f"/replies/outcome/{w.reply_instance}",
        {"admin.taichung": 302},
        anonymous=LOGIN,
    ),
    # Suspensions and special projects: staff of the facility that decided them.
    Case(
        "lift suspension",
        "/suspensions/<int:suspension_id>/lift",
        "POST",
        lambda w: f"/suspensions/{w.suspension}/lift",
        {"admin.taichung": 200, "supervisor.taichung": 200},  # the form again, with its error
        anonymous=LOGIN,
        data=lambda w, actor: {"reason": "probe"},
        allowed_data=lambda w, actor: {"reason": ""},  # refused by the form: nothing lifted
        state=lambda w: w.scalar(select(Suspension.lifted_at).where(Suspension.id == w.suspension)),
    ),
    Case(
        "revoke special project",
        "/special-projects/<int:project_id>/revoke",
        "POST",
        lambda w: f"/special-projects/{w.special_project}/revoke",
        {"supervisor.taichung": 302},
        anonymous=LOGIN,
        state=lambda w: w.scalar(
            select(SpecialProject.revoked_at).where(SpecialProject.id == w.special_project)
        ),
        allowed_change=True,
    ),
    # Delivery: the admin of the post's facility. The feed takes a facility token only: a
    # session cookie, whoever's, is no token (401, as without one). Marking delivered changes
    # the post, so it comes after every other case about it.
    Case(
        "delivery sheet",
        "/deliveries/<int:post_id>/sheet.pdf",
        "GET",
        lambda w: f"/deliveries/{w.approved_post}/sheet.pdf",
        {"admin.taichung": 200},
        anonymous=LOGIN,
    ),
    Case("feed", FEED, "GET", lambda w: TAICHUNG_FEED, {}, refused=401),
    Case(
        "feed photo",
        FEED + "/<int:post_id>/photo",
        "GET",
        lambda w: f"{TAICHUNG_FEED}/{w.approved_post}/photo",
        {},
        refused=401,
    ),
    Case(
        "feed attachment",
        FEED + "/<int:post_id>/attachment",
        "GET",
        lambda w: f"{TAICHUNG_FEED}/{w.approved_post}/attachment",
        {},
        refused=401,
    ),
    Case(
        "feed sheet",
        FEED + "/<int:post_id>/sheet.pdf",
        "GET",
        lambda w: f"{TAICHUNG_FEED}/{w.approved_post}/sheet.pdf",
        {},
        refused=401,
    ),
    Case(
        "feed ack",
        FEED + "/<int:post_id>/ack",
        "POST",
        lambda w: f"{TAICHUNG_FEED}/{w.approved_post}/ack",
        {},
        refused=401,
        state=delivered_at,
    ),
    # The task API takes a personal token only: a signed-in cookie is no one there.
    Case("api task", API_TASK, "GET", lambda w: f"/api/v1/tasks/{w.family_step}", {}, refused=401),
    Case(
        "api complete",
        API_TASK,
        "POST",
        lambda w: f"/api/v1/tasks/{w.dunpin_review}",
        {},
        refused=401,
        data=approve,
        state=review_state,
    ),
    Case(
        "discard application draft",
        "/applications/drafts/<int:instance_id>/discard",
        "POST",
        lambda w: f"/applications/drafts/{family_draft(w)}/discard",
        {"family": 302},
        anonymous=LOGIN,
        state=drafts_discarded,
        allowed_change=True,
    ),
    Case(
        "revoke api token",
        "/account/api-tokens/<int:token_id>/revoke",
        "POST",
        lambda w: f"/account/api-tokens/{family_token(w)}/revoke",
        {"family": 303},
        anonymous=LOGIN,
        state=token_revoked,
        allowed_change=True,
    ),
    Case(
        "confirm delivered",
        "/deliveries/<int:post_id>/delivered",
        "GET",
        lambda w: f"/deliveries/{w.approved_post}/delivered",
        {"admin.taichung": 200},
        anonymous=LOGIN,
        state=delivered_at,
    ),
    Case(
        "mark delivered",
        "/deliveries/<int:post_id>/delivered",
        "POST",
        lambda w: f"/deliveries/{w.approved_post}/delivered",
        {"admin.taichung": 302},
        anonymous=LOGIN,
        state=delivered_at,
        allowed_change=True,
    ),
    # Proofs: the applicant and the reviewers (not the admin) of the application's facility.
    Case(
        "dunpin proof",
        "/files/<int:file_id>",
        "GET",
        lambda w: f"/files/{w.dunpin_proof}",
        {"family": 200, **DUNPIN_DESK},
    ),
    Case(
        "taichung proof",
        "/files/<int:file_id>",
        "GET",
        lambda w: f"/files/{w.taichung_proof}",
        {"other_family": 200, **TAICHUNG_DESK},
    ),
    # Roster: the facility admin of the person's facility; visitors are asked to log in.
    Case(
        "dunpin inmate",
        ROSTER_ITEM,
        "GET",
        lambda w: f"/admin/roster/{w.dunpin_inmate}",
        {ADMIN_DUNPIN: 200},
        anonymous=LOGIN,
    ),
    Case(
        "taichung inmate",
        ROSTER_ITEM,
        "GET",
        lambda w: f"/admin/roster/{w.taichung_inmate}",
        {"admin.taichung": 200},
        anonymous=LOGIN,
    ),
    Case(
        "edit dunpin inmate",
        ROSTER_ITEM,
        "POST",
        lambda w: f"/admin/roster/{w.dunpin_inmate}",
        {ADMIN_DUNPIN: 200},
        anonymous=LOGIN,
        data=lambda w, actor: {"call_number": "1201", "name": "改了名"},
        allowed_data=lambda w, actor: {"call_number": "", "name": ""},  # refused by the form
        state=inmate_state,
    ),
    Case(
        "add restriction",
        ROSTER_ITEM + "/restrictions",
        "POST",
        lambda w: f"/admin/roster/{w.dunpin_inmate}/restrictions",
        {ADMIN_DUNPIN: 200},
        anonymous=LOGIN,
        data=new_restriction,
        allowed_data=lambda w, actor: {"kind": "court_ban", "starts_on": ""},
        state=inmate_state,
    ),
    Case(
        "end restriction",
        RESTRICTION + "/end",
        "POST",
        lambda w: f"/admin/roster/{w.restricted_inmate}/restrictions/{w.started_restriction}/end",
        {ADMIN_DUNPIN: 302},  # ends it: no other case uses this restriction's end date
        anonymous=LOGIN,
        state=restriction(lambda w: w.started_restriction),
        allowed_change=True,
    ),
    Case(
        "delete restriction",
        RESTRICTION + "/delete",
        "POST",
        lambda w: f"/admin/roster/{w.restricted_inmate}/restrictions/{w.future_restriction}/delete",
        {ADMIN_DUNPIN: 302},  # deletes it: no other case uses this restriction
        anonymous=LOGIN,
        state=restriction(lambda w: w.future_restriction),
        allowed_change=True,
    ),
    Case(  # the admin's own person in the URL, another person's restriction: 404 for all
        "delete another person's restriction",
        RESTRICTION + "/delete",
        "POST",
        lambda w: f"/admin/roster/{w.dunpin_inmate}/restrictions/{w.started_restriction}/delete",
        {},
        anonymous=LOGIN,
        state=restriction(lambda w: w.started_restriction),
    ),
    Case(
        "transfer dunpin inmate",
        ROSTER_ITEM + "/transfer",
        "POST",
        lambda w: f"/admin/roster/{w.dunpin_inmate}/transfer",
        {ADMIN_DUNPIN: 200},
        anonymous=LOGIN,
        data=lambda w, actor: {"to_facility": "taichung-detention", "confirm_transfer": "y"},
        allowed_data=lambda w, actor: {"to_facility": "taichung-detention"},  # not confirmed
        state=inmate_state,
    ),
    # Staff accounts: the facility admin of the account's facility; visitors log in.
    Case(
        "taichung staff member",
        STAFF_MEMBER,
        "GET",
        lambda w: f"/admin/staff/{w.accounts['reviewer.taichung']}",
        {"admin.taichung": 200},
        anonymous=LOGIN,
    ),
    Case(
        "dunpin staff member",
        STAFF_MEMBER,
        "GET",
        dunpin_admin_url(),
        {ADMIN_DUNPIN: 200},
        anonymous=LOGIN,
    ),
    Case(
        "change a dunpin staff member's role",
        STAFF_MEMBER,
        "POST",
        dunpin_admin_url(),
        {ADMIN_DUNPIN: 200},  # their own admin role: refused beside the field
        anonymous=LOGIN,
        data=lambda w, actor: {"role": "reviewer"},
        state=dunpin_admin_state,
    ),
    Case(
        "disable a dunpin staff account",
        STAFF_MEMBER + "/disable",
        "POST",
        dunpin_admin_url("/disable"),
        {ADMIN_DUNPIN: 302},  # their own account: refused with a message
        anonymous=LOGIN,
        state=dunpin_admin_state,
    ),
    Case(
        "enable a dunpin staff account",
        STAFF_MEMBER + "/enable",
        "POST",
        dunpin_admin_url("/enable"),
        {ADMIN_DUNPIN: 302},  # active already: "already done"
        anonymous=LOGIN,
        state=dunpin_admin_state,
    ),
    Case(
        "send a dunpin staff member a link to set the password",
        STAFF_MEMBER + "/password-link",
        "POST",
        dunpin_admin_url("/password-link"),
        {ADMIN_DUNPIN: 302},
        anonymous=LOGIN,
        allowed_data=lambda w, actor: {"last_link": "a stale page"},  # "already done"
        state=lambda w: w.scalar(select(func.count(Notification.id))),
    ),
    # Links by e-mail carry signed tokens, not ids: an altered one is refused for everyone.
    Case(
        "altered verify link",
        "/verify/<token>",
        "GET",
        lambda w: f"/verify/{w.altered_verify_token}",
        {},
        refused=400,
    ),
    Case(
        "altered verify link",
        "/verify/<token>",
        "POST",
        lambda w: f"/verify/{w.altered_verify_token}",
        {},
        refused=400,
    ),
    Case(  # the same answer for any token, so none can be probed; nothing is mailed
        "altered verify link resend",
        "/verify/<token>/resend",
        "POST",
        lambda w: f"/verify/{w.altered_verify_token}/resend",
        {},
        refused=302,
        state=lambda w: w.scalar(select(func.count(Notification.id))),
    ),
    Case(
        "altered reset link",
        "/password/reset/<token>",
        "GET",
        lambda w: f"/password/reset/{w.altered_reset_token}",
        {},
        refused=400,
    ),
    Case(
        "altered reset link",
        "/password/reset/<token>",
        "POST",
        lambda w: f"/password/reset/{w.altered_reset_token}",
        {},
        refused=400,
        data=lambda w, actor: {
            "password": "Taken-over-2026",
            "password_confirm": "Taken-over-2026",
        },
        state=family_password,
    ),
    # The institution book: the facility's families (active books) and staff; Dunpin's has
    # none of the family's active books, so only its staff read it.
    Case(
        "taichung institution post",
        "/institution-book/<int:post_id>",
        "GET",
        lambda w: f"/institution-book/{w.institution.taichung_post}",
        {"family": 200, "other_family": 200, **TAICHUNG_DESK, "admin.taichung": 200},
        anonymous=LOGIN,
    ),
    Case(
        "dunpin institution post",
        "/institution-book/<int:post_id>",
        "GET",
        lambda w: f"/institution-book/{w.institution.dunpin_post}",
        {**DUNPIN_DESK, ADMIN_DUNPIN: 200},
        anonymous=LOGIN,
    ),
    Case(
        "dunpin institution photo",
        "/files/<int:file_id>",
        "GET",
        lambda w: f"/files/{w.institution.dunpin_photo}",
        {**DUNPIN_DESK, ADMIN_DUNPIN: 200},
    ),
    # Announcements: current ones are public; past ones are gone for everyone; each is edited
    # by its keeper only (national: the process owner; a facility's: its admin).
    Case(
        "current announcement",
        "/announcements/<int:announcement_id>",
        "GET",
        lambda w: f"/announcements/{w.institution.taichung_announcement}",
        {},
        refused=200,
    ),
    Case(
        "expired announcement",
        "/announcements/<int:announcement_id>",
        "GET",
        lambda w: f"/announcements/{w.institution.expired_announcement}",
        {},
    ),
    Case(
        "edit national announcement",
        "/admin/announcements/<int:announcement_id>/edit",
        "GET",
        lambda w: f"/admin/announcements/{w.institution.national_announcement}/edit",
        {"owner": 200},
        anonymous=LOGIN,
    ),
    Case(
        "edit taichung announcement",
        "/admin/announcements/<int:announcement_id>/edit",
        "POST",
        lambda w: f"/admin/announcements/{w.institution.taichung_announcement}/edit",
        {"admin.taichung": 200},
        anonymous=LOGIN,
        data=announcement_edit,
        allowed_data=lambda w, actor: {"title": ""},  # refused by the form: nothing saved
        state=announcement_state,
    ),
    *(
        Case(  # the new address is never set by an altered link, whoever opens it
            "altered e-mail change link",
            "/account/email/<token>",
            method,
            lambda w: f"/account/email/{w.altered_email_token}",
            {},
            refused=400,
            state=family_email,
        )
        for method in ("GET", "POST")
    ),
    # Notice templates: a facility admin changes only the wording of their own facility, so
    # any admin may open a kind (their own facility's); the rest 404, visitors log in.
    Case(
        "notice template",
        NOTICE_TEMPLATE,
        "GET",
        lambda w: "/notices/templates/inmate_reply",
        ADMINS,
        anonymous=LOGIN,
    ),
    Case(
        "save notice template",
        NOTICE_TEMPLATE,
        "POST",
        lambda w: "/notices/templates/inmate_reply",
        ADMINS,
        anonymous=LOGIN,
        data=lambda w, actor: {
            "subject_zh": "改",
            "body_zh": "{name}",
            "subject_en": "Changed",
            "body_en": "{name}",
        },
        allowed_data=lambda w, actor: {"subject_zh": ""},  # refused by the form
        state=notice_overrides,
    ),
    Case(
        "reset notice template",
        NOTICE_TEMPLATE + "/reset",
        "POST",
        lambda w: "/notices/templates/inmate_reply/reset",
        {"admin.dunpin": 302, "admin.taichung": 302},
        anonymous=LOGIN,
        state=notice_overrides,
        allowed_change=True,  # Taichung's admin drops Taichung's wording
    ),
    # The process owner's pages: every facility's instances and versions, no one else's.
    Case(
        "process instance",
        "/processes/instances/<int:instance_id>",
        "GET",
        lambda w: f"/processes/instances/{w.pending_instance}",
        {"owner": 200},
        anonymous=LOGIN,
    ),
    Case(  # not an incident: the owner is told so; nothing runs, nothing is logged
        "retry process instance",
        "/processes/instances/<int:instance_id>/retry",
        "POST",
        lambda w: f"/processes/instances/{w.pending_instance}/retry",
        {"owner": 303},
        anonymous=LOGIN,
        state=instance_state,
    ),
    Case(
        "process version",
        "/processes/versions/<version_hash>",
        "GET",
        lambda w: f"/processes/versions/{w.scalar(select(ProcessVersion.hash))}",
        {"owner": 200},
        anonymous=LOGIN,
    ),
    # Not an id: the language switch is public and the same for everyone (a GET only asks).
    Case("language switch", "/lang/<code>", "GET", lambda w: "/lang/zh_Hant", {}, refused=200),
    Case("language switch", "/lang/<code>", "POST", lambda w: "/lang/zh_Hant", {}, refused=302),
]
