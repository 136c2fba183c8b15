"""Translated texts for the family's post pages."""

from flask_babel import format_date, format_datetime
from flask_babel import gettext as _
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


def refusal_text(code: str, until) -> str:
    """Why posting in a book is not possible now, and from when it is (if that is known)."""
    if until is None:
        return str(REFUSAL_REASONS.get(code, code))
    date = format_date(until)
    if code == "suspended":
        return _("Suspended until %(date)s", date=date)
    if code == "restricted":
        return _("The person cannot receive posts until %(date)s.", date=date)
    moment = format_datetime(until)
    return _("One post per period: you can post again from %(date)s.", date=moment)
