"""Template filters and the values every page can read."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from flask import Flask, g, request, url_for
from flask_login import current_user

from ..enums import DISMISS_REASON_LABELS, STANCE_LABELS, ClaimStatus
from ..policy import ROLE_LABELS, can
from ..rendering import render_markdown
from . import events
from .hosts import external_url

STATUS_LABELS = {
    ClaimStatus.LOGGED: "Logged",
    ClaimStatus.RESEARCHING: "Researching",
    ClaimStatus.IN_REVIEW: "In review",
    ClaimStatus.PUBLISHED: "Published",
    ClaimStatus.DISMISSED: "Dismissed",
}


def format_date(value: date | datetime | None, fmt: str = "%-d %B %Y") -> str:
    if value is None:
        return ""
    return value.strftime(fmt)


def format_datetime(value: datetime | None) -> str:
    if value is None:
        return ""
    return value.strftime("%-d %b %Y, %H:%M") + (" UTC" if value.tzinfo else "")


def ngettext(singular: str, plural: str, num: int, **variables: Any) -> str:
    """The singular or plural wording for ``num``, with ``%(num)s`` filled in.

    Flask-Babel's ``ngettext`` has this signature, so a translated build only swaps
    the function: ``ngettext("%(num)s candidate claim", "%(num)s candidate claims", n)``.
    """
    variables.setdefault("num", f"{num:,}" if isinstance(num, int) else num)
    return (singular if num == 1 else plural) % variables


def language_name(code: str | None) -> str:
    from ..services.claims import LANGUAGES

    return LANGUAGES.get(code or "", code or "")


def url_with(**changes: Any) -> str:
    """The current URL with some query arguments changed (for filters and pages)."""
    args = request.args.to_dict()
    args.update({k: v for k, v in changes.items() if v is not None})
    for k, v in changes.items():
        if v is None:
            args.pop(k, None)
    values: dict[str, Any] = {**(request.view_args or {}), **args}
    return url_for(request.endpoint or "public.home", **values)


def init_app(app: Flask) -> None:
    app.jinja_env.filters["markdown"] = render_markdown
    app.jinja_env.filters["date"] = format_date
    app.jinja_env.filters["datetime"] = format_datetime
    app.jinja_env.filters["status_label"] = lambda s: STATUS_LABELS.get(s, s)
    app.jinja_env.filters["role_label"] = lambda r: ROLE_LABELS.get(r, r)
    app.jinja_env.filters["language_name"] = language_name
    app.jinja_env.filters["stance_label"] = lambda s: STANCE_LABELS.get(s, s)
    app.jinja_env.filters["reason_label"] = lambda r: DISMISS_REASON_LABELS.get(r, r)
    app.jinja_env.filters["event_phrase"] = events.phrase
    app.jinja_env.filters["event_sentence"] = events.sentence
    app.jinja_env.globals["url_with"] = url_with
    app.jinja_env.globals["ngettext"] = ngettext
    app.jinja_env.globals["external_url"] = external_url
    # Templates name statuses through the enum, never as strings of their own.
    app.jinja_env.globals["ClaimStatus"] = ClaimStatus
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True

    @app.context_processor
    def inject() -> dict[str, Any]:
        from ..services.notifications import desk_badges
        from ..services.settings import get_settings

        live = current_user.is_authenticated and not g.get("database_down")
        badges = desk_badges(current_user) if live else None
        return {
            "can": lambda perm: can(current_user, perm),
            "site": get_settings(),
            "badges": badges,
        }
