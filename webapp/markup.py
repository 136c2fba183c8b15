"""Markdown written by the service (the personal-data notice) as safe HTML for its pages."""

from __future__ import annotations

from flask import Flask
from markdown_it import MarkdownIt
from markupsafe import Markup

# CommonMark with raw HTML off: a tag written in the source is shown as text, never run;
# markdown-it also refuses javascript: and data: links by itself.
_MARKDOWN = MarkdownIt("commonmark", {"html": False})


def markdown(text: str, shift: int = 1) -> Markup:
    """The text rendered as HTML, its headings moved `shift` levels down (at most <h6>).

    The notice starts with its own `#` title, shown inside a page that already has an <h1>.
    """
    tokens = _MARKDOWN.parse(text or "")
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            token.tag = f"h{min(int(token.tag[1]) + shift, 6)}"
    return Markup(_MARKDOWN.renderer.render(tokens, _MARKDOWN.options, {}))


def init_app(app: Flask) -> None:
    """Give templates the `markdown` filter."""
    app.add_template_filter(markdown)
