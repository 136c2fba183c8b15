"""What the family reads for each ineligibility reason code, and the steps of an application."""

from flask_babel import lazy_gettext as _l

INELIGIBLE_REASONS = {
    "relationship_not_allowed": _l(
        "This facility does not accept applications for this relationship."
    ),
    "no_children_under_18": _l(
        "At this facility the contact book is for persons with children under 18, and the "
        "roster shows none."
    ),
    "restricted": _l(
        "The person cannot use the contact book at present (a court or prosecutor's order, a "
        "disciplinary measure, isolation or a protection room). Please ask the facility."
    ),
    "already_applied": _l(
        "You already have an application or an active contact book for this person."
    ),
    "book_taken": _l(
        "Another family member already has an application or a contact book for this person: "
        "one contact book per person in custody."
    ),
}

# An unfinished application's open step (BPMN id) -> the label its page shows.
STEP_LABELS = {
    "choose_person": _l("Step 1 of 2: the person in custody"),
    "provide_details": _l("Step 2 of 2: confirm and send the proofs"),
}
