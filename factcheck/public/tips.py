"""Readers' tips on the public site: /tips/new and the status link /tips/<token>.

Never cached and never indexed: a status page is reached only by its secret link.
"""

from __future__ import annotations

from typing import Any

from flask import flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_babel.speaklater import LazyString
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response
from wtforms import EmailField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from ..errors import ValidationFailed
from ..services import tips as tip_service
from ..services.settings import get_settings
from ..web.i18n import current_locale, format_number
from ..web.refusals import show_refusal
from ..web.tip_limits import across_everyone, per_address
from . import bp


class TipForm(FlaskForm):
    claim = TextAreaField(
        _l("What was said?"),
        validators=[
            InputRequired(message=_l("Tell us what was said.")),
            Length(
                max=tip_service.TEXT_MAX,
                message=_l(
                    "Keep it under %(max)s characters: the claim itself is enough.",
                    max=LazyString(format_number, tip_service.TEXT_MAX),
                ),
            ),
        ],
        description=_l("The words you saw or heard, as close as you remember them."),
    )
    seen_at = StringField(
        _l("Where did you see it?"),
        validators=[
            Optional(),
            Length(
                max=tip_service.SEEN_AT_MAX,
                message=_l("Keep this under %(max)s characters.", max=tip_service.SEEN_AT_MAX),
            ),
        ],
        description=_l("A link, or a place: a TV programme, a leaflet, a speech."),
    )
    email = EmailField(
        _l("Your email (optional)"),
        validators=[
            Optional(),
            Length(max=tip_service.EMAIL_MAX, message=_l("That email address is too long.")),
        ],
    )
    # A honeypot: hidden from people, filled in by bots that fill in everything.
    website = StringField(_l("Leave this field empty"), validators=[Optional()])


def _no_store(body: str, status: int = 200) -> Response:
    resp = make_response(body, status)
    resp.headers["Cache-Control"] = "no-store"
    resp.headers["X-Robots-Tag"] = "noindex"
    return resp


def privacy_note() -> str:
    settings = get_settings()
    own = ((settings.translations or {}).get(current_locale()) or {}).get("privacy_note")
    if own:
        return str(own)  # the admins' own wording for this language
    days = settings.tip_email_days
    return str(
        ngettext(
            "What you send is read only by our newsroom and is never published. "
            "If you give an email address, only our editors can see it, we use it only to "
            "tell you about this request, and we erase it %(num)s day after you sent it.",
            "What you send is read only by our newsroom and is never published. "
            "If you give an email address, only our editors can see it, we use it only to "
            "tell you about this request, and we erase it %(num)s days after you sent it.",
            days,
        )
    )


@bp.route("/tips/new", methods=["GET", "POST"])
@per_address
@across_everyone
def new_tip() -> Response:
    form = TipForm()
    context: dict[str, Any] = {"form": form, "matches": [], "checked": False}
    if request.method == "GET":
        return _no_store(render_template("public/tip_new.html", privacy=privacy_note(), **context))
    if not form.validate_on_submit():
        return _no_store(
            render_template("public/tip_new.html", privacy=privacy_note(), **context), 400
        )
    if form.website.data:
        # A bot: it is told what a person would be told, and nothing is kept.
        return _no_store(render_template("public/tip_thanks.html"))
    data = tip_service.TipInput(
        claim=form.claim.data or "", seen_at=form.seen_at.data, email=form.email.data
    )
    if request.form.get("action") == "check":
        try:
            clean = tip_service.validate_tip(data)
        except ValidationFailed as exc:
            status = show_refusal(exc, form)
            return _no_store(
                render_template("public/tip_new.html", privacy=privacy_note(), **context), status
            )
        context.update(matches=tip_service.published_matches(clean.claim), checked=True)
        return _no_store(render_template("public/tip_new.html", privacy=privacy_note(), **context))
    try:
        submitted = tip_service.submit_tip(data, address=request.remote_addr)
    except ValidationFailed as exc:
        status = show_refusal(exc, form)
        return _no_store(
            render_template("public/tip_new.html", privacy=privacy_note(), **context), status
        )
    flash(_("Thank you. Keep the address of this page: it is the only way back to your request."))
    return redirect(url_for("public.tip_status", token=submitted.token), 303)


@bp.get("/tips/<token>")
def tip_status(token: str) -> Response:
    status = tip_service.tip_status(token)
    return _no_store(render_template("public/tip_status.html", status=status))
