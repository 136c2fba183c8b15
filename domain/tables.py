"""Every module that defines tables, in one list: load them all and the schema is whole.

A table is known to `Base.metadata` only once its module is imported. Whatever reads the whole
schema needs them all: the migrations, the tests' database, and the question which columns
refer to an uploaded file (`domain.file_references`), which must not miss a table only because
nothing had imported its module yet. A test checks that every table-defining module of
`domain` and `workflows` is named here.
"""

from __future__ import annotations

from importlib import import_module

TABLE_MODULES = (
    "domain.account_tokens",
    "domain.accounts",
    "domain.announcements",
    "domain.api_tokens",
    "domain.applications",
    "domain.audit",
    "domain.document_views",
    "domain.files",
    "domain.institution_posts",
    "domain.key_rotation",
    "domain.login_sessions",
    "domain.notice_preferences",
    "domain.notice_templates",
    "domain.notifications",
    "domain.posts",
    "domain.replies",
    "domain.roster",
    "domain.special_projects",
    "domain.suspensions",
    "workflows.models",
)


def load_all_tables() -> None:
    """Import every table-defining module, so each table is on `Base.metadata`."""
    for name in TABLE_MODULES:
        import_module(name)
