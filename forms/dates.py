"""Days and times a facility's calendar can hold.

Python's calendar ends at 0001-01-01 and 9999-12-31, and the app turns a Taiwan day into UTC
(eight hours earlier) or takes the day after a last day: at either end that overflows, and the
request failed as a whole. A date outside these years is a typo, so it is refused beside its field.
"""

from __future__ import annotations

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from wtforms.validators import ValidationError

FIRST_DAY = date(1900, 1, 1)
LAST_DAY = date(9998, 12, 31)


def in_calendar(form, field) -> None:
    """A DateField or DateTimeLocalField validator: the day lies from FIRST_DAY to LAST_DAY."""
    value = field.data
    if value is None:
        return
    day = value.date() if isinstance(value, datetime) else value
    if not FIRST_DAY <= day <= LAST_DAY:
        raise ValidationError(
            _l("Enter a date from %(first)s to %(last)s.", first=FIRST_DAY, last=LAST_DAY)
        )
