"""Every action and object type the audit log records, with the words its page shows for them.

The catalog is the list `domain.audit.record` checks: an event whose action or object type is
not named here is refused, so a new action cannot reach the log without a label. The labels
are English message ids: the web page translates them (webapp/audit/view.py), so this module
stays free of Flask; a code found in older rows but no longer here is shown as it is. FIELDS
labels the keys of the fields before and after a change the same way.
"""

from __future__ import annotations


def N_(message: str) -> str:
    """Mark a message for extraction (pybabel -k N_) without translating it here."""
    return message


ACTIONS = {
    "account.change_role": N_("Staff member's role changed"),
    "account.create_staff": N_("Staff account created"),
    "account.disable": N_("Staff account disabled"),
    "account.enable": N_("Staff account enabled again"),
    "account.password_link": N_("Link to set the password sent to a staff member"),
    "account_token.create": N_("Personal API token created"),
    "account_token.revoke": N_("Personal API token revoked"),
    "announcement.add": N_("Announcement added"),
    "announcement.edit": N_("Announcement edited"),
    "api_token.create": N_("API token created"),
    "api_token.revoke": N_("API token revoked"),
    "application.approve": N_("Service application approved"),
    "application.reject": N_("Service application rejected"),
    "bpmn.deploy": N_("Process definitions deployed"),
    "file.expire_unfiled": N_("Uploads never filed deleted after their retention period"),
    "instance.retry": N_("Process instance retried after an incident"),
    "institution_post.approve": N_("Institution contact book post approved"),
    "institution_post.reject": N_("Institution contact book post rejected"),
    "notice_template.edit": N_("Notice template edited"),
    "notice_template.reset": N_("Notice template reset to the default"),
    "post.approve": N_("Post approved"),
    "post.close_unsent": N_("Post closed without being sent"),
    "post.deliver": N_("Post delivered"),
    "post.reject": N_("Post rejected"),
    "reply.enter": N_("Reply of the person in custody entered"),
    "restriction.add": N_("Restriction added"),
    "restriction.delete": N_("Restriction deleted"),
    "restriction.end": N_("Restriction lifted"),
    "roster.add": N_("Person added to the roster"),
    "roster.edit": N_("Roster entry edited"),
    "roster.import": N_("Roster imported"),
    "roster.transfer": N_("Person transferred to another facility"),
    "special_project.grant": N_("Special project granted"),
    "special_project.revoke": N_("Special project revoked"),
    "suspension.lift": N_("Suspension lifted"),
    "suspension.start": N_("Suspension started"),
    "task.assign": N_("Task assigned"),
}

OBJECT_TYPES = {
    "account": N_("Account"),
    "account_token": N_("Personal API token"),
    "announcement": N_("Announcement"),
    "application": N_("Service application"),
    "facility_token": N_("API token"),
    "file": N_("Uploaded file"),
    "human_task": N_("Task"),
    "inmate": N_("Person in custody"),
    "inmate_reply": N_("Reply of the person in custody"),
    "institution_post": N_("Institution contact book post"),
    "notice_template": N_("Notice template"),
    "post": N_("Family contact book post"),
    "process_instance": N_("Process instance"),
    "process_version": N_("Process version"),
    "restriction": N_("Restriction on the service"),
    "roster": N_("Roster"),
    "special_project": N_("Special project"),
    "suspension": N_("Suspension"),
}


# The fields an event's `before` and `after` name, by key. A key not here (an older row's) is
# shown as it is.
FIELDS = {
    "account_id": N_("Account"),
    "assignee_id": N_("Assigned to"),
    "body": N_("Content"),
    "body_en": N_("Text (English)"),
    "body_zh": N_("Text (Traditional Chinese)"),
    "book_id": N_("Family contact book"),
    "call_number": N_("Call number"),
    "children_under_18": N_("Has children under 18"),
    "decision": N_("Decision"),
    "email": N_("E-mail"),
    "ends_at": N_("Until"),
    "ends_on": N_("Last day"),
    "expires_at": N_("Shown until"),
    "facility_id": N_("Correctional facility"),
    "file": N_("File"),
    "file_ids": N_("Files"),
    "files": N_("Number of files"),
    "hash": N_("Version"),
    "inmate_id": N_("Person in custody"),
    "juvenile": N_("Juvenile"),
    "kept_days": N_("Days kept"),
    "kind": N_("Restriction"),
    "label": N_("Name of the token"),
    "lifted_by": N_("Lifted by"),
    "max_chars": N_("Text limit"),
    "name": N_("Name"),
    "no_interval": N_("No posting interval"),
    "note": N_("Note"),
    "processes": N_("Processes"),
    "publish_at": N_("Shown from"),
    "reason": N_("Reason"),
    "reason_code": N_("Reason code"),
    "reason_texts": N_("Reason text"),
    "rejections": N_("Rejections"),
    "restrictions_removed": N_("Restrictions removed"),
    "revoked_at": N_("Revoked"),
    "role": N_("Role"),
    "round": N_("Round"),
    "source": N_("Wording"),
    "starts_at": N_("From"),
    "starts_on": N_("First day"),
    "subject_en": N_("Subject (English)"),
    "subject_zh": N_("Subject (Traditional Chinese)"),
    "summary": N_("Summary"),
    "tasks_released": N_("Held tasks put back for the team"),
    "title": N_("Title"),
    "tokens_revoked": N_("Personal API tokens revoked"),
    "via": N_("Via"),
}


def check(action: str, object_type: str) -> None:
    """Refuse an event the catalog does not name: the log would show it without a label."""
    if action not in ACTIONS:
        raise ValueError(f"audit action {action!r} is not in domain.audit_catalog.ACTIONS")
    if object_type not in OBJECT_TYPES:
        raise ValueError(f"audit object type {object_type!r} is not in OBJECT_TYPES")
