"""Template filters and the values every page can read."""

from __future__ import annotations

from typing import Any

from flask import Flask, g, request, url_for
from flask_babel import gettext
from flask_login import current_user
from markupsafe import Markup

from ..enums import DISMISS_REASON_LABELS, STANCE_LABELS, ClaimStatus
from ..locales import N_
from ..policy import ROLE_LABELS, can
from ..rendering import explanation, render_markdown
from . import events
from .hosts import external_url

STATUS_LABELS = {
    ClaimStatus.LOGGED: N_("Logged"),
    ClaimStatus.RESEARCHING: N_("Researching"),
    ClaimStatus.IN_REVIEW: N_("In review"),
    ClaimStatus.PUBLISHED: N_("Published"),
    ClaimStatus.DISMISSED: N_("Dismissed"),
}


# What the timeline and the desk's activity list say for the commonest audit actions;
# any other action shows its code, marked as not being in any language.
ACTION_LABELS = {
    "claim.create": N_("logged the claim"),
    "claim.update": N_("edited the claim"),
    "claim.start": N_("started research"),
    "claim.assign": N_("assigned the claim"),
    "claim.submit": N_("submitted the verdict for review"),
    "claim.approve": N_("approved the verdict"),
    "claim.send_back": N_("sent the verdict back"),
    "claim.dismiss": N_("dismissed the claim"),
    "claim.correct": N_("opened a correction"),
    "verdict.save": N_("saved a verdict version"),
    "evidence.add": N_("added evidence"),
    "evidence.update": N_("edited evidence"),
    "evidence.remove": N_("removed evidence"),
    "appearance.add": N_("recorded an appearance"),
    "appearance.confirm": N_("confirmed an appearance"),
    "appearance.remove": N_("removed an appearance"),
}


def action_label(action: str) -> Markup:
    label = ACTION_LABELS.get(action)
    if label:
        # The code stays at hand in a tooltip (the audit log's own name for it).
        return Markup('<span title="%s">%s</span>') % (action, gettext(label))  # noqa: S704
    return Markup('<code lang="zxx">%s</code>') % action  # noqa: S704  (escaped by %)


def _label(labels: dict[Any, str], value: Any) -> str:
    """A label from one of the tables above, in the page's language."""
    label = labels.get(value)
    return gettext(label) if label else str(value)


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
    app.jinja_env.filters["explanation"] = explanation
    app.jinja_env.filters["action_label"] = action_label
    app.jinja_env.filters["status_label"] = lambda s: _label(STATUS_LABELS, s)
    app.jinja_env.filters["role_label"] = lambda r: _label(ROLE_LABELS, r)
    app.jinja_env.filters["stance_label"] = lambda s: _label(STANCE_LABELS, s)
    app.jinja_env.filters["reason_label"] = lambda r: _label(DISMISS_REASON_LABELS, r)
    app.jinja_env.filters["event_phrase"] = events.phrase
    app.jinja_env.filters["event_sentence"] = events.sentence
    app.jinja_env.globals["url_with"] = url_with
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
