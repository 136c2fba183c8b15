"""Mailed link tokens kept out of access logs.

A verification, password-reset or e-mail-change link carries its signed token in the path;
the server's access log writes every path it answers. The tokens are single-use and expire,
but whoever reads the log meanwhile could use one, so the access loggers of the development
server (werkzeug) and of gunicorn write `[token]` in its place.
"""

from __future__ import annotations

import logging
import re

ACCESS_LOGGERS = ("werkzeug", "gunicorn.access")
# Every route whose path holds a mailed token (webapp/auth, webapp/account/contact.py).
_TOKEN_IN_PATH = re.compile(r"(/(?:verify|password/reset|account/email)/)[^/?#\s\"]+")


def redact_link_tokens(text: str) -> str:
    """`text` with the token of every mailed-link path replaced by `[token]`."""
    return _TOKEN_IN_PATH.sub(r"\1[token]", text)


class LinkTokenFilter(logging.Filter):
    """Rewrites a record's message without the tokens of mailed links."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = redact_link_tokens(message)
        if redacted != message:
            record.msg, record.args = redacted, ()
        return True


def init_app(_app) -> None:
    """Attach the filter to the access loggers (once per process)."""
    for name in ACCESS_LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(f, LinkTokenFilter) for f in logger.filters):
            logger.addFilter(LinkTokenFilter())
