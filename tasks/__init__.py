"""Background jobs (dramatiq actors): sending notices, and later photos and timer ticks.

Importing this package sets up the broker from BROKER_URL and declares every actor, so
`dramatiq tasks` runs a standalone worker: `BROKER_URL=redis://127.0.0.1:6379/0 dramatiq tasks`.
"""

from . import (
    broker,  # noqa: F401  (first: actors bind to the broker set here)
    mail,  # noqa: F401
    photos,  # noqa: F401
    posts,  # noqa: F401
)
