"""Translated texts for the family's post pages."""

from flask_babel import lazy_gettext as _l

REFUSAL_REASONS = {
    "interval": _l("The facility allows one post per period, and your last post is too recent."),
    "suspended": _l(
        "Your posting right at this facility is suspended because too many posts were rejected."
    ),
    "restricted": _l(
        "The person cannot receive posts at the moment (a restriction ordered by a court, "
        "prosecutor or the facility is in force)."
    ),
    "book_inactive": _l("This contact book is not active. Apply for the service first."),
}
