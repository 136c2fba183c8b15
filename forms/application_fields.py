"""Choices, labels and helpers shared by the application forms (forms/application.py)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import SelectChoice, SelectMultipleField, widgets

RELATIONSHIP_PAIRS = [
    ("spouse", _l("Spouse")),
    ("parent", _l("Parent")),
    ("child", _l("Child")),
    ("sibling", _l("Brother or sister")),
    ("grandparent", _l("Grandparent")),
    ("grandchild", _l("Grandchild")),
    ("relative", _l("Other relative within the third degree")),
    ("in_law", _l("In-law within the second degree")),
    ("cohabitant", _l("Family living together")),
    ("institution", _l("Government, village chief or institution staff (special project)")),
]
RELATIONSHIP_LABELS = dict(RELATIONSHIP_PAIRS)
# No relationship is chosen for the family: the list opens on "Please choose".
RELATIONSHIP_CHOICES = [SelectChoice("", _l("Please choose"))] + [
    SelectChoice(code, label) for code, label in RELATIONSHIP_PAIRS
]

PROOF_LABELS = {
    "id_document": _l("Identity document (JPG, PNG or PDF, up to 10 MB)"),
    "relationship_proof": _l("Relationship proof, e.g. household registration transcript"),
    "applicant_photo": _l("A clear front photo of yourself"),
}

REVIEW_REASON_PAIRS = [
    ("", _l("— choose a reason —")),
    ("proof_unclear", _l("The proofs are unclear or incomplete.")),
    ("relationship_unproven", _l("The proofs do not show the relationship.")),
    ("not_eligible", _l("The relationship does not meet this facility's rules.")),
    ("identity_mismatch", _l("The identity document does not match the account.")),
]
REVIEW_REASON_TEXT = dict(REVIEW_REASON_PAIRS)
REVIEW_REASONS = [SelectChoice(code, label) for code, label in REVIEW_REASON_PAIRS]


class MultiCheckboxField(SelectMultipleField):
    """A list of checkboxes (the forms macro renders it as a fieldset)."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


def compose_reason(template: str | None, text: str | None, templates=REVIEW_REASON_TEXT) -> str:
    """The reason the family reads: the chosen template (in the page's language), then the
    reviewer's own words. An unknown template code (a retired one) is left out."""
    known = bool(template) and template in templates
    parts = [str(templates[template]) if known else "", (text or "").strip()]
    return "\n".join(p for p in parts if p)


def reason_in_languages(template: str | None, templates=REVIEW_REASON_TEXT) -> dict:
    """locale -> the template written out in that language (empty without a template): what
    the mail to the family needs, composed where the catalogs are at hand."""
    from flask_babel import force_locale

    from domain.notice_render import FAMILY_LOCALES, LOCALES

    if not template:
        return {}
    texts = {}
    for locale in (*LOCALES, *FAMILY_LOCALES):
        with force_locale(locale):
            texts[locale] = str(templates[template])
    return texts


def store_proofs(app, account_id: int, fields: dict) -> dict:
    """Store each uploaded proof; kind -> stored file id (kinds left empty are skipped)."""
    from domain.files import storage_dir_for, store_upload

    session = app.extensions["db"].session
    storage = storage_dir_for(app.extensions["settings"].instance_path)
    stored = {}
    for kind, field in fields.items():
        if field.data and getattr(field.data, "filename", ""):
            field.data.stream.seek(0)
            stored[kind] = store_upload(
                session, storage, field.data, owner_account_id=account_id
            ).id
    return stored
