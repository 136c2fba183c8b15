"""Who may see an uploaded file: a chain of policies, one or more per feature.

Each feature that links files to its records (applications, posts, messages) registers a
policy; the serving view asks them in order. A file no policy grants is answered as missing,
so file ids cannot be probed.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy.orm import Session

from workflows.actors import Actor

# A policy answers True (may view), False (may not: ask no further) or None (not its file).
FileAccessPolicy = Callable[[Session, int, Actor], "bool | None"]
_policies: list[FileAccessPolicy] = []


def register_file_access(policy: FileAccessPolicy) -> FileAccessPolicy:
    """Add a policy (once; usable as a decorator). Policies are asked in registration order."""
    if policy not in _policies:
        _policies.append(policy)
    return policy


def may_view(session: Session, file_id: int, viewer: Actor) -> bool:
    """Whether `viewer` may see the file: the first policy with an answer decides, else no."""
    for policy in list(_policies):
        answer = policy(session, file_id, viewer)
        if answer is not None:
            return answer
    return False
