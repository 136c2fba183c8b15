"""Family posts: the family's list and new post, the task pages' context, delivery for staff."""

from flask import Blueprint

bp = Blueprint("posts", __name__, static_folder="static", static_url_path="/static/posts")

import domain.post_access  # noqa: E402,F401  (registers who may see a post's files)

from . import (  # noqa: E402,F401
    replies,
    routes,
    special_projects,
    suspensions,
    task_context,
)
