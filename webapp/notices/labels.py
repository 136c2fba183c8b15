"""What each notice kind is called on the pages (translated when shown)."""

from flask_babel import lazy_gettext as _l

KIND_LABELS = {
    "verification": _l("Account verification"),
    "registration_conflict_email": _l("Registration not completed (e-mail already registered)"),
    "registration_conflict_id": _l("Registration not completed (ID already registered)"),
    "password_reset": _l("Password reset"),
    "email_change_link": _l("New e-mail address to confirm"),
    "email_taken": _l("E-mail address not changed (already registered)"),
    "email_changed": _l("E-mail address changed"),
    "application_received": _l("Application received"),
    "application_approved": _l("Application approved"),
    "application_rejected": _l("Application not approved"),
    "review_overdue": _l("Application review overdue (to supervisors)"),
    "staff_welcome": _l("New staff account: set the password"),
    "review_digest": _l("Daily review digest (to reviewers)"),
    "post_approved": _l("Post approved"),
    "post_rejected": _l("Post not approved"),
    "post_delivered": _l("Post delivered"),
    "photo_refused": _l("Photo could not be used"),
    "suspension_started": _l("Posting suspended"),
    "suspension_lifted": _l("Posting restored"),
    "inmate_reply": _l("Reply of the person in custody"),
    "institution_post": _l("New institution contact book post"),
}
