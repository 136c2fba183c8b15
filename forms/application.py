"""The family's application forms and the reviewer's decision form (service application BPMN).

What a form asks for depends on the facility: `prepare()` reads the task data the DMN tables
filled in (which proofs, whether a special project) and drops or requires fields to match.
"""

from __future__ import annotations

from flask import current_app
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select
from wtforms import (
    BooleanField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    Optional,
    Regexp,
)

from domain.accounts import Facility
from domain.applications import PROOF_KINDS
from domain.files import StoredFile

from . import register_form
from .application_fields import (
    PROOF_LABELS,
    RELATIONSHIP_CHOICES,
    REVIEW_REASON_TEXT,
    REVIEW_REASONS,
    MultiCheckboxField,
    store_proofs,
)
from .base import Form
from .fields import ProofFileField, chosen, kept_file, strip, total_size_error
from .review import ReviewReason, decision_field, reason_field, reason_template_field


@register_form("ApplicationTargetForm")
class ApplicationTargetForm(Form):
    """Which person: facility, call number (呼號) and the applicant's relationship."""

    facility = SelectField(
        _l("Correctional facility"),
        validators=[InputRequired(_l("Choose the correctional facility."))],
    )
    call_number = StringField(
        _l("Call number of the person in custody"),
        filters=[strip],
        validators=[
            DataRequired(_l("Enter the call number.")),
            Length(max=20),
            Regexp(r"^[0-9A-Za-z-]+$", message=_l("Use digits and letters only.")),
        ],
    )
    relationship = SelectField(
        _l("Your relationship to the person"),
        choices=RELATIONSHIP_CHOICES,
        validators=[InputRequired(_l("Choose your relationship to the person."))],
    )

    def prepare(self, task_data: dict) -> None:
        """Offer the facilities; after a failed look-up, show the entries and why."""
        session = current_app.extensions["db"].session
        locale = str(get_locale())
        # No facility chosen for the family: a wrong one would send the application astray.
        self.facility.choices = [SelectChoice("", _l("Please choose"))] + [
            SelectChoice(f.code, f.name_for(locale))
            for f in session.scalars(select(Facility).order_by(Facility.id))
        ]
        if task_data.get("match", {}).get("found") is False and not self.is_submitted():
            target = task_data.get("target", {})
            self.process(data=target)
            self.call_number.errors = [_l("No such person at this facility.")]

    def task_data(self) -> dict:
        return {
            "target": {
                "facility": self.facility.data,
                "call_number": self.call_number.data,
                "relationship": self.relationship.data,
            }
        }


class _ProofsMixin:
    """File fields for the proofs; `prepare_proofs` keeps those the facility asks for."""

    id_document = ProofFileField(PROOF_LABELS["id_document"])
    relationship_proof = ProofFileField(PROOF_LABELS["relationship_proof"])
    applicant_photo = ProofFileField(PROOF_LABELS["applicant_photo"])

    def prepare_proofs(self, task_data: dict, required: bool) -> None:
        for kind in PROOF_KINDS:
            if not task_data.get(f"needs_{kind}"):
                delattr(self, kind)
            elif required:
                getattr(self, kind).flags.required = True
                getattr(self, kind).required = True

    def proof_fields(self) -> dict:
        return {k: self[k] for k in PROOF_KINDS if k in self}

    def validate(self, extra_validators=None) -> bool:
        """Validate; when anything is refused, keep the accepted files for the next attempt."""
        session = current_app.extensions["db"].session
        for field in self.proof_fields().values():
            field.kept = kept_file(session, current_user.id, field.kept_id)
        if super().validate(extra_validators) and self.validate_proofs_total():
            return True
        self.keep_accepted_files()
        return False

    def keep_accepted_files(self) -> None:
        """Store each file that passed its checks, so the family need not choose it again."""
        accepted = {k: f for k, f in self.proof_fields().items() if chosen(f.data) and not f.errors}
        session = current_app.extensions["db"].session
        for kind, file_id in store_proofs(current_app, current_user.id, accepted).items():
            accepted[kind].kept = session.get(StoredFile, file_id)

    def validate_proofs_total(self) -> bool:
        error = total_size_error(list(self.proof_fields().values()))
        if error:
            self.form_errors.append(error)
            return False
        return True

    def stored_documents(self) -> dict:
        """kind -> stored file id: the files chosen now, else those kept from an attempt before."""
        fields = self.proof_fields()
        kept = {k: f.kept.id for k, f in fields.items() if f.kept is not None}
        return {**kept, **store_proofs(current_app, current_user.id, fields)}


@register_form("ApplicationDetailsForm")
class ApplicationDetailsForm(_ProofsMixin, Form):
    """Confirm the matched person, tick the service, upload the proofs."""

    confirm = BooleanField(
        _l("This is the person I am applying for."),
        validators=[DataRequired(_l("Tick to confirm the person."))],
    )
    services = MultiCheckboxField(
        _l("Service"),
        choices=[SelectChoice("contact_book", _l("Family contact book"))],
        validators=[DataRequired(_l("Choose the family contact book."))],
    )
    organisation = StringField(
        _l("Your organisation (special project)"),
        filters=[strip],
        validators=[Optional(), Length(max=200)],
    )

    def prepare(self, task_data: dict) -> None:
        self.person_label = task_data.get("match", {}).get("label", "")
        self.prepare_proofs(task_data, required=True)
        if task_data.get("special_project"):
            self.organisation.validators = [
                DataRequired(_l("Name your organisation.")),
                Length(max=200),
            ]
            self.organisation.flags.required = True
        else:
            del self.organisation

    def task_data(self) -> dict:
        details = {
            "confirm": True,
            "services": list(self.services.data),
            "documents": self.stored_documents(),
        }
        if "organisation" in self:
            details["organisation"] = self.organisation.data
        return {"details": details}


@register_form("ApplicationCorrectionForm")
class ApplicationCorrectionForm(_ProofsMixin, Form):
    """After a rejection: new proofs where needed and a note, then back to review."""

    note = TextAreaField(
        _l("What did you correct?"),
        filters=[strip],
        validators=[DataRequired(_l("Say what you corrected.")), Length(max=1000)],
    )

    def prepare(self, task_data: dict) -> None:
        self.review = task_data.get("review", {})
        self.prepare_proofs(task_data, required=False)

    def task_data(self) -> dict:
        return {"correction": {"note": self.note.data, "documents": self.stored_documents()}}


@register_form("ApplicationReviewForm")
class ApplicationReviewForm(ReviewReason, Form):
    """Approve, or reject with a reason (a template, free text, or both) and suggested steps."""

    REASON_TEXTS = REVIEW_REASON_TEXT

    decision = decision_field()
    reason_template = reason_template_field(REVIEW_REASONS)
    reason = reason_field()
    suggested_steps = TextAreaField(
        _l("Suggested steps for the family"), filters=[strip], validators=[Length(max=1000)]
    )

    def task_data(self) -> dict:
        return {
            "review": {**self.review_data(), "suggested_steps": self.suggested_steps.data or ""}
        }
