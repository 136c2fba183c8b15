"""Translated texts for the family's post pages."""

from flask_babel import format_date, format_datetime, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

REFUSAL_REASONS = {
    "suspended": _l(
        "Your posting right at this facility is suspended because too many posts were rejected."
    ),
    "restricted": _l(
        "The person cannot receive posts at the moment (a restriction ordered by a court, "
        "prosecutor or the facility is in force)."
    ),
    "book_inactive": _l("This contact book is not active. Apply for the service first."),
}


def refusal_reason(code: str, interval_days: int | None) -> str:
    """Why posting is refused, without a date; the interval names the facility's days (DMN),
    so the family knows how long to wait and not only that it must."""
    if code == "interval":
        return ngettext(
            "The facility allows one post every %(num)d day, and your last post is too recent.",
            "The facility allows one post every %(num)d days, and your last post is too recent.",
            interval_days,
        )
    return str(REFUSAL_REASONS.get(code, code))


def refusal_text(code: str, until, interval_days: int | None) -> str:
    """Why posting in a book is not possible now, and from when it is (if that is known)."""
    if until is None:
        return refusal_reason(code, interval_days)
    date = format_date(until)
    if code == "suspended":
        return _("Suspended until %(date)s", date=date)
    if code == "restricted":
        return _("The person cannot receive posts until %(date)s.", date=date)
    return ngettext(
        "One post every %(num)d day: you can post again from %(date)s.",
        "One post every %(num)d days: you can post again from %(date)s.",
        interval_days,
        date=format_datetime(until),
    )
