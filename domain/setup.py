"""Start-up of the domain layer: keys and addresses, and the operations BPMN may call."""

from __future__ import annotations

from . import crypto, file_crypto, links
from .settings import Settings


def configure(settings: Settings) -> None:
    """Give the domain its keys and public address (web app, workers and CLI call this)."""
    crypto.configure(
        settings.id_encryption_key, settings.id_hash_key, settings.id_encryption_old_keys
    )
    file_crypto.configure(settings.file_encryption_key, settings.file_encryption_old_keys)
    links.configure(settings.secret_key, settings.base_url)


def register_operations() -> None:
    """Import every module whose functions BPMN scripts call, so they are registered."""
    from . import (  # noqa: F401
        application_ops,
        institution_ops,
        post_ops,
        registration,
        reply_ops,
        suspension_ops,
    )
