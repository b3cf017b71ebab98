"""Readers' tips on the desk: groups by demand, and what to do with each group."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response
from wtforms import SelectField, StringField
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from ..errors import DomainError
from ..forms import BoundedIntegerField, VersionedForm
from ..limits import CLAIM_TEXT_MAX, MAX_ID
from ..policy import Perm, can, require
from ..services import tips as tip_service
from ..web.refusals import show_refusal
from . import bp
from .claim_views import _claim_input, _datalists
from .forms import ClaimForm
from .routes import actor

PER_PAGE = 20
MAX_PAGE = 10_000


class AnswerForm(VersionedForm):
    claim_id = BoundedIntegerField(
        _l("Published fact-check #"),
        validators=[InputRequired(message=_l("Give the claim's number.")), NumberRange(1, MAX_ID)],
    )


class DismissForm(VersionedForm):
    reason = SelectField(
        _l("Reason"),
        choices=[
            ("", _l("Choose a reason")),
            *((key, _l(label)) for key, label in tip_service.DISMISS_LABELS.items()),
        ],
        validators=[InputRequired(message=_l("Choose a reason."))],
    )
    note = StringField(_l("Note for the desk"), validators=[Optional(), Length(max=500)])


class TipFilterForm(FlaskForm):
    class Meta:
        csrf = False

    state = SelectField(
        _l("Show"),
        choices=[(key, _l(label)) for key, label in tip_service.GROUP_STATES.items()],
        default="open",
    )
    sort = SelectField(
        _l("Sort by"),
        choices=[("demand", _l("Most asked")), ("newest", _l("Newest"))],
        default="demand",
    )


def _page() -> int:
    raw = request.args.get("page", "1")
    return int(raw) if raw.isdigit() and 0 < len(raw) <= 6 and int(raw) <= MAX_PAGE else 1


@bp.get("/tips")
def tips() -> str:
    require(actor(), Perm.READ_TIPS)
    filters = TipFilterForm(request.args)
    state = filters.state.data if filters.state.data in tip_service.GROUP_STATES else "open"
    sort = filters.sort.data if filters.sort.data in tip_service.SORTS else "demand"
    page = _page()
    rows, has_next = tip_service.groups_page(
        actor(), state=state, sort=sort, page=page, per_page=PER_PAGE
    )
    return render_template(
        "desk/tips.html",
        rows=rows,
        filters=filters,
        state=state,
        page=page,
        has_next=has_next,
        show_emails=can(actor(), Perm.READ_TIP_EMAILS),
        can_answer=can(actor(), Perm.ANSWER_TIPS),
        answer_form=AnswerForm(formdata=None),
        dismiss_form=DismissForm(formdata=None),
        states=tip_service.GROUP_STATES,
        reasons=tip_service.DISMISS_LABELS,
    )


def _back(group_id: int) -> Response:
    return redirect(url_for("desk.tips", _anchor=f"group-{group_id}"), 303)


@bp.route("/tips/<int:group_id>/claim", methods=["GET", "POST"])
def tip_claim(group_id: int) -> str | Response:
    """Log a claim for a group of tips: the claim form, prefilled from the newest wording."""
    require(actor(), Perm.LOG_CLAIM)
    group = tip_service.get_group(group_id)
    form = ClaimForm()
    if request.method == "GET":
        form.version.data = group.version
        form.text.data = group.text[:CLAIM_TEXT_MAX]
        seen = tip_service.newest_link(group.id)
        if seen:
            form.article_url.data = seen
    elif form.validate_on_submit():
        try:
            claim = tip_service.log_claim_for(actor(), group, _claim_input(form), form.version.data)
        except DomainError as exc:
            # A conflict (the group was handled meanwhile) goes back to the list.
            show_refusal(exc, None if exc.status == 409 else form)
            if exc.status == 409:
                return _back(group.id)
        else:
            flash(
                ngettext(
                    "Claim #%(id)s logged for %(num)s reader; their status page now says "
                    "it is being checked.",
                    "Claim #%(id)s logged for %(num)s readers; their status pages now say "
                    "it is being checked.",
                    group.tip_count,
                    id=claim.id,
                ),
                "success",
            )
            return redirect(url_for("desk.claim", claim_id=claim.id), 303)
    return render_template(
        "desk/claim_form.html", form=form, claim=None, tip_group=group, **_datalists()
    )


@bp.post("/tips/<int:group_id>/answer")
def tip_answer(group_id: int) -> Response:
    require(actor(), Perm.ANSWER_TIPS)
    group = tip_service.get_group(group_id)
    form = AnswerForm()
    if not form.validate_on_submit():
        flash(_("Give the number of a published fact-check."), "error")
        return _back(group.id)
    try:
        tip_service.answer_with(actor(), group, form.claim_id.data, form.version.data)
    except DomainError as exc:
        show_refusal(exc)
    else:
        flash(_("Answered with fact-check #%(id)s.", id=form.claim_id.data), "success")
    return _back(group.id)


@bp.post("/tips/<int:group_id>/dismiss")
def tip_dismiss(group_id: int) -> Response:
    require(actor(), Perm.ANSWER_TIPS)
    group = tip_service.get_group(group_id)
    form = DismissForm()
    if not form.validate_on_submit():
        flash(_("Choose a reason for not taking these tips up."), "error")
        return _back(group.id)
    try:
        tip_service.dismiss(actor(), group, form.reason.data, form.note.data, form.version.data)
    except DomainError as exc:
        show_refusal(exc)
    else:
        flash(_("Not taken up; the readers' status pages say so."), "success")
    return _back(group.id)
