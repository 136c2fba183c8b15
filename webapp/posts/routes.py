"""`/posts` (發佈家庭聯絡簿: the family's posts in three tabs) and `/posts/new`."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import or_, select
from wtforms import SelectChoice

from domain.post_start import POST_PROCESS, start_post_process
from domain.posts import PostStatus, posts_of
from domain.replies import replies_in
from domain.roster import Inmate
from forms.post import NewPostForm
from workflows import clock
from workflows.family_tasks import family_steps
from workflows.models import HumanTask, InstanceStatus, ProcessInstance

from ..access import family_only, own_instance
from ..actors import current_actor
from ..extensions import get_db, get_engine
from ..taskpages.flow import CLOSED_LANDINGS, LANDINGS, after_completion
from . import bp
from .overview import TABS, active_books, book_lines, posting_refusals, tab_counts
from .texts import refusal_reason, refusal_text

PROCESS = POST_PROCESS


@bp.route("/posts")
@family_only
def index():
    """The family's posts: 待審核 / 審核通過 / 審核未通過, with delivery and reasons."""
    tab = request.args.get("tab", "pending")
    if tab not in TABS:
        tab = "pending"
    session = get_db().session
    posts = posts_of(session, current_user.id, TABS[tab])
    books = active_books(session, current_user.id)
    return render_template(
        "posts/index.html",
        windows=_windows(session, books),
        tab=tab,
        posts=posts,
        counts=tab_counts(session, current_user.id),
        labels=_recipient_labels(session, {p.inmate_id for p in posts}),
        retry_tasks=_retry_tasks(session, posts),
        replies=replies_in(session, [b.id for b in books]),
        has_books=bool(books),
    )


@bp.route("/posts/new", methods=["GET", "POST"])
@family_only
def new():
    """Choose the person (one active contact book each); the post process starts on POST."""
    session = get_db().session
    books = active_books(session, current_user.id)
    refused = posting_refusals(session, books)
    form = NewPostForm()
    form.book.choices = [
        _choice(line, refused.get(line.book.id)) for line in book_lines(session, books)
    ]
    open_books = [b for b in books if b.id not in refused]
    if len(open_books) == 1 and not form.is_submitted():
        form.book.data = str(open_books[0].id)
    if not form.validate_on_submit():
        return render_template("posts/new.html", form=form, books=books, any_open=bool(open_books))
    # A stale page may still send a refused book: its process refuses it and says why.
    book = next((b for b in books if str(b.id) == form.book.data), None)
    if book is None:
        abort(404)
    draft = _open_draft(session, book.id)
    if draft is not None:  # one draft per book: back to the one already started
        return redirect(url_for("taskpages.task_page", task_id=draft.task_guid))
    actor = current_actor()
    return after_completion(start_post_process(session, get_engine(), actor, book), actor)


@bp.route("/posts/outcome/<int:instance_id>")
@family_only
def outcome(instance_id: int):
    """Where the family lands: why nothing was filed, or the list with a confirmation."""
    instance = own_instance(instance_id)
    refusal = _refusal(instance)
    if refusal is None:
        flash(_("Your post has been sent. The facility reviews it before it is delivered."))
        return redirect(url_for("posts.index"))
    code, until, days, closed, unsent = refusal
    if code == "draft_expired":
        return render_template("posts/expired.html", closed=closed)
    return render_template(
        "posts/refused.html",
        reason=refusal_reason(code, days),
        code=code,
        until=until,
        closed=closed,
        unsent=unsent,
    )


LANDINGS[PROCESS] = lambda instance: url_for("posts.outcome", instance_id=instance.id)
CLOSED_LANDINGS[PROCESS] = LANDINGS[PROCESS]  # an expired draft: the outcome page says so


def _open_draft(session, book_id: int) -> HumanTask | None:
    """The signed-in family's open compose task for this book whose post was never sent, so
    choosing the book again continues it instead of leaving a second draft open. A post sent
    and back with the family (refused photo) is not a draft: it has its own retry link. A
    draft past its deadline is not continued, even before the tick has closed it."""
    rows = session.scalars(
        family_steps(
            current_user.id,
            HumanTask.process_id == PROCESS,
            HumanTask.bpmn_id == "compose",
            or_(HumanTask.due_at.is_(None), HumanTask.due_at > clock.now()),
        )
    ).all()
    engine = get_engine()
    return next((r for r in rows if _is_draft_for(engine.task_data(session, r), book_id)), None)


def _is_draft_for(task_data: dict, book_id: int) -> bool:
    return task_data.get("book_id") == book_id and not task_data.get("post_id")


def _refusal(instance: ProcessInstance):
    """(reason code, until ISO or None, interval days, closed, unsent) when the process ended
    with nothing filed. `closed` is the text of a post that was back with the family and is now
    closed; `unsent` the text just written and refused when filed (another post went first), so
    the family gets it back instead of losing it."""
    if instance.status != InstanceStatus.COMPLETED:
        return None
    data = get_engine().final_data(instance)
    filing = data.get("filing") or {}
    if data.get("post_id") and filing.get("filed"):
        return None
    written = data.get("post") if filing.get("reason") else None
    closed, unsent = (written, None) if filing.get("closed") else (None, written)
    for found in (filing, data.get("posting") or {}):
        if found.get("reason"):
            return found["reason"], found.get("until"), data.get("interval_days"), closed, unsent
    return "book_inactive", None, None, None, None


def _choice(line, refused: tuple | None) -> SelectChoice:
    """A book in the chooser; one the family may not post in now is disabled, with why and
    from when (a suspension, a restriction, the interval), before the family starts writing."""
    value = str(line.book.id)
    if refused is None:
        return SelectChoice(value, line.label)
    label = f"{line.label} · {refusal_text(*refused)}"
    return SelectChoice(value, label, render_kw={"disabled": True})


def _windows(session, books) -> list[tuple[str, str | None]]:
    """Each active book's label, with why and until when while posting in it is refused."""
    refused = posting_refusals(session, books)
    return [
        (line.label, refusal_text(*refused[line.book.id]) if line.book.id in refused else None)
        for line in book_lines(session, books)
    ]


def _recipient_labels(session, inmate_ids) -> dict[int, str]:
    if not inmate_ids:
        return {}
    rows = session.scalars(select(Inmate).where(Inmate.id.in_(inmate_ids)))
    return {inmate.id: inmate.display_label for inmate in rows}


def _retry_tasks(session, posts) -> dict[int, str]:
    """post id -> the family's open compose task, for posts whose photo was refused."""
    refused = {p.instance_id: p.id for p in posts if p.status == PostStatus.PHOTO_REFUSED}
    if not refused:
        return {}
    rows = session.scalars(family_steps(current_user.id, HumanTask.instance_id.in_(refused)))
    return {refused[row.instance_id]: row.task_guid for row in rows}
