"""Keeps secrets out of the task history (hashes, ciphertexts and passwords are blanked) and
task data out of the logs."""

from __future__ import annotations

import logging

SECRET_SUFFIXES = ("_hash", "_encrypted", "password", "password_confirm", "csrf_token")
REDACTED = "[redacted]"


def redact(value):
    """A copy of `value` with every secret-looking key's value replaced."""
    if isinstance(value, dict):
        return {
            k: REDACTED if str(k).endswith(SECRET_SUFFIXES) else redact(v) for k, v in value.items()
        }
    if isinstance(value, list):
        return [redact(v) for v in value]
    return value


# Every logger SpiffWorkflow 3.2 writes to.
SPIFF_LOGGERS = ("spiff.task", "spiff.workflow", "spiff.data", "spiff.dmn")


def keep_task_data_out_of_logs() -> None:
    """SpiffWorkflow logs every task's state change at INFO, and a logger of its left below
    INFO attaches the task's whole data to each record: the form just sent, a national ID, a
    password. No formatter here prints those extras, but a JSON formatter or an error tracker
    would ship them. At WARNING its loggers attach no data, and the per-task lines stay out of
    an INFO log."""
    for name in SPIFF_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)
