"""Markdown to safe HTML: Python-Markdown renders, nh3 (ammonia) sanitizes."""

from __future__ import annotations

from typing import Protocol

import markdown as md
import nh3
from markupsafe import Markup

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "b", "i", "a", "ul", "ol", "li", "blockquote", "code", "pre",
    "h2", "h3", "h4", "hr", "table", "thead", "tbody", "tr", "th", "td", "sup", "sub",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"align"}, "td": {"align"}}


def render_markdown(text: str | None) -> Markup:
    """Render user Markdown; raw HTML, scripts and unsafe URLs never survive."""
    if not text:
        return Markup("")
    html = md.markdown(text, extensions=["extra", "sane_lists"], output_format="html")
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )
    return Markup(clean)  # noqa: S704  (sanitized by nh3 just above)


class _Explained(Protocol):
    explanation: str
    explanation_html: str | None


def explanation(verdict: _Explained) -> Markup:
    """A verdict's explanation as safe HTML: kept from its publication, else rendered now."""
    if verdict.explanation_html is not None:
        return Markup(verdict.explanation_html)  # noqa: S704  (sanitized when it was stored)
    return render_markdown(verdict.explanation)
