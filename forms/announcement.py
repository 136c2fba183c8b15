"""The announcement editor's form: title, body and the window it is shown in (Taipei time).

Times are entered as the editor's wall clock in Taiwan and kept in UTC; the expiry must come
after the publish time, or the notice would never be shown.
"""

from __future__ import annotations

from datetime import UTC, datetime

from flask_babel import lazy_gettext as _l
from wtforms import DateTimeLocalField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, ValidationError

from domain.announcements import BODY_MAX, TITLE_MAX
from domain.roster import TAIPEI

from .base import Form
from .dates import in_calendar
from .fields import strip

FORMAT = "%Y-%m-%dT%H:%M"


def taipei_local(moment: datetime) -> datetime:
    """A stored UTC time as the naive Taipei wall-clock time the input shows."""
    return moment.astimezone(TAIPEI).replace(tzinfo=None, second=0, microsecond=0)


def as_utc(local: datetime) -> datetime:
    """A naive Taipei wall-clock time from the input, as an aware UTC time."""
    return local.replace(tzinfo=TAIPEI).astimezone(UTC)


class AnnouncementForm(Form):
    """One notice; national or of the editor's facility is decided by the editor's role."""

    title = StringField(
        _l("Title"),
        filters=[strip],
        validators=[DataRequired(_l("Enter a title.")), Length(max=TITLE_MAX)],
    )
    body = TextAreaField(
        _l("Content"),
        filters=[strip],
        validators=[DataRequired(_l("Write the content.")), Length(max=BODY_MAX)],
    )
    publish_at = DateTimeLocalField(
        _l("Shown from (Taiwan time)"),
        format=FORMAT,
        validators=[InputRequired(_l("Enter when it is shown from.")), in_calendar],
    )
    expires_at = DateTimeLocalField(
        _l("Shown until (Taiwan time)"),
        format=FORMAT,
        validators=[InputRequired(_l("Enter when it expires.")), in_calendar],
    )

    def validate_expires_at(self, field) -> None:
        if self.publish_at.data and field.data and field.data <= self.publish_at.data:
            raise ValidationError(_l("The expiry must come after the publish time."))

    def fill(self, row) -> None:
        """Write the entries onto a notice (times in UTC)."""
        row.title, row.body = self.title.data, self.body.data
        row.publish_at, row.expires_at = as_utc(self.publish_at.data), as_utc(self.expires_at.data)
