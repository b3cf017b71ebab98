"""Speakers and sources on the desk: list, edit, aliases, merge, type-ahead."""

from __future__ import annotations

from typing import Any

from flask import flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select
from werkzeug.wrappers import Response

from ..errors import DomainError, StaleEdit
from ..extensions import db
from ..forms import ActionForm
from ..models import Source, Speaker, User
from ..policy import Perm, require
from ..reads import profiles
from ..reads.common import find, get_or_404
from ..services import catalog
from ..web.refusals import discard_refused, show_refusal
from . import bp
from .conflicts import conflict_page, saved_values
from .forms import MergeForm, SourceForm, SpeakerForm
from .routes import actor


@bp.get("/speakers")
def speakers() -> str:
    q = (request.args.get("q") or "").strip()
    rows = catalog.suggest_speakers(q, limit=200) if q else profiles.by_name(Speaker, 500)
    counts = profiles.claim_counts(Speaker, [r.id for r in rows], staff=True)
    return render_template("desk/speakers.html", speakers=rows, q=q, counts=counts)


@bp.get("/speakers/suggest")
def suggest_speakers() -> Response:
    """Type-ahead: names and aliases matching what was typed."""
    rows = catalog.suggest_speakers(request.args.get("q", "")[:100], limit=10)
    return jsonify([{"id": s.id, "name": s.name, "title": s.title, "slug": s.slug} for s in rows])


@bp.route("/speakers/<int:speaker_id>/edit", methods=["GET", "POST"])
def edit_speaker(speaker_id: int) -> str | Response | tuple[str, int]:
    speaker = get_or_404(Speaker, speaker_id)
    if request.method == "GET":
        form = SpeakerForm(obj=speaker, aliases="\n".join(a.name for a in speaker.aliases))
        _start_from_pending(form, speaker)
    else:
        form = SpeakerForm()
    if form.validate_on_submit():
        values = {f.name: f.data for f in form if f.name not in ("csrf_token", "version")}
        values["aliases"] = [
            line for line in (form.aliases.data or "").splitlines() if line.strip()
        ]
        try:
            catalog.update_speaker(actor(), speaker, form.version.data, values)
        except StaleEdit as exc:
            discard_refused(exc)
            fresh = get_or_404(Speaker, speaker_id)
            exc.current = fresh
            current = saved_values(form, fresh, aliases="\n".join(a.name for a in fresh.aliases))
            return conflict_page(
                exc,
                form,
                what=f"speaker {fresh.name}",
                current=current,
                back=url_for("desk.speakers"),
            )
        except DomainError as exc:
            show_refusal(exc, form)
        else:
            _flash_saved("Speaker", speaker)
            return redirect(url_for("desk.speakers"))
    return render_template(
        "desk/speaker_form.html", form=form, speaker=speaker, **_pending(speaker)
    )


def _start_from_pending(form: Any, row: Speaker | Source) -> None:
    """An edit waiting for approval is where the next edit starts."""
    for name, value in (row.pending_changes or {}).items():
        if name in form:
            form[name].data = "\n".join(value) if isinstance(value, list) else value


def _pending(row: Speaker | Source) -> dict[str, Any]:
    """The change waiting on a public profile and whether this person may approve it."""
    return {
        "pending": row.pending_changes,
        "pending_by": find(User, row.pending_by_id),
        "approve_refusal": catalog.pending.approval_refusal(actor(), row),
        "action_form": ActionForm(),
    }


def _flash_saved(kind: str, row: Speaker | Source) -> None:
    if row.pending_changes and row.pending_by_id == actor().id:
        flash(
            f"{kind} has published fact-checks: your change waits for another editor's "
            "approval; the public reads the approved version until then.",
            "success",
        )
    else:
        flash(f"{kind} saved.", "success")


def _approve_change(row: Speaker | Source, approve: Any, back: str) -> Response:
    require(actor(), Perm.APPROVE)
    form = ActionForm()
    if form.validate_on_submit():
        try:
            approve(actor(), row, request.form.get("version", type=int))
        except StaleEdit as exc:
            show_refusal(
                exc, message=_("Someone changed this while you were looking; nothing was done.")
            )
        except DomainError as exc:
            show_refusal(exc)
        else:
            flash(_("Change approved; it is public now."), "success")
    return redirect(back)


@bp.post("/speakers/<int:speaker_id>/approve-change")
def approve_speaker_change(speaker_id: int) -> Response:
    speaker = get_or_404(Speaker, speaker_id)
    back = url_for("desk.edit_speaker", speaker_id=speaker_id)
    return _approve_change(speaker, catalog.approve_speaker_change, back)


def _merge(model: Any, merge_fn: Any, kind: str) -> str | Response:
    require(actor(), Perm.MERGE)
    rows = db.session.execute(select(model.id, model.name).order_by(model.name)).all()
    form = MergeForm()
    form.survivor.choices = [(r.id, r.name) for r in rows]
    form.duplicate.choices = [(r.id, r.name) for r in rows]
    if form.validate_on_submit():
        survivor = get_or_404(model, form.survivor.data)
        duplicate = get_or_404(model, form.duplicate.data)
        name = duplicate.name
        try:
            merge_fn(actor(), survivor, duplicate)
        except DomainError as exc:
            show_refusal(exc, form)
        else:
            flash(
                _(
                    "Merged %(old)s into %(new)s; the old address redirects.",
                    old=name,
                    new=survivor.name,
                ),
                "success",
            )
            return redirect(url_for(f"desk.{kind}s"))
    return render_template("desk/merge.html", form=form, kind=kind)


@bp.route("/speakers/merge", methods=["GET", "POST"])
def merge_speakers() -> str | Response:
    return _merge(Speaker, catalog.merge_speakers, "speaker")


@bp.get("/sources")
def sources() -> str:
    rows = profiles.by_name(Source)
    counts = profiles.claim_counts(Source, [r.id for r in rows], staff=True)
    return render_template("desk/sources.html", sources=rows, counts=counts)


@bp.route("/sources/<int:source_id>/edit", methods=["GET", "POST"])
def edit_source(source_id: int) -> str | Response | tuple[str, int]:
    source = get_or_404(Source, source_id)
    if request.method == "GET":
        form = SourceForm(obj=source)
        _start_from_pending(form, source)
    else:
        form = SourceForm()
    if form.validate_on_submit():
        values = {f.name: f.data for f in form if f.name not in ("csrf_token", "version")}
        try:
            catalog.update_source(actor(), source, form.version.data, values)
        except StaleEdit as exc:
            discard_refused(exc)
            fresh = get_or_404(Source, source_id)
            exc.current = fresh
            return conflict_page(
                exc,
                form,
                what=f"source {fresh.name}",
                current=saved_values(form, fresh),
                back=url_for("desk.sources"),
            )
        except DomainError as exc:
            show_refusal(exc, form)
        else:
            _flash_saved("Source", source)
            return redirect(url_for("desk.sources"))
    return render_template("desk/source_form.html", form=form, source=source, **_pending(source))


@bp.post("/sources/<int:source_id>/approve-change")
def approve_source_change(source_id: int) -> Response:
    source = get_or_404(Source, source_id)
    back = url_for("desk.edit_source", source_id=source_id)
    return _approve_change(source, catalog.approve_source_change, back)


@bp.route("/sources/merge", methods=["GET", "POST"])
def merge_sources() -> str | Response:
    return _merge(Source, catalog.merge_sources, "source")
