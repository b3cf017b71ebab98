"""Speakers and sources on the desk: list, edit, aliases, merge, type-ahead."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select
from werkzeug.wrappers import Response

from ..errors import DomainError, StaleEdit
from ..extensions import db
from ..forms import apply_errors
from ..models import Source, Speaker
from ..policy import Perm, require
from ..reads import profiles
from ..services import catalog
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


def _speaker_or_404(speaker_id: int) -> Speaker:
    speaker = db.session.get(Speaker, speaker_id)
    if speaker is None:
        abort(404)
    return speaker


@bp.route("/speakers/<int:speaker_id>/edit", methods=["GET", "POST"])
def edit_speaker(speaker_id: int) -> str | Response | tuple[str, int]:
    speaker = _speaker_or_404(speaker_id)
    if request.method == "GET":
        form = SpeakerForm(obj=speaker, aliases="\n".join(a.name for a in speaker.aliases))
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
            db.session.rollback()
            fresh = _speaker_or_404(speaker_id)
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
            apply_errors(form, exc)
        else:
            flash(_("Speaker saved."), "success")
            return redirect(url_for("desk.speakers"))
    return render_template("desk/speaker_form.html", form=form, speaker=speaker)


def _merge(model: Any, merge_fn: Any, kind: str) -> str | Response:
    require(actor(), Perm.MERGE)
    rows = db.session.execute(select(model.id, model.name).order_by(model.name)).all()
    form = MergeForm()
    form.survivor.choices = [(r.id, r.name) for r in rows]
    form.duplicate.choices = [(r.id, r.name) for r in rows]
    if form.validate_on_submit():
        survivor = db.session.get(model, form.survivor.data)
        duplicate = db.session.get(model, form.duplicate.data)
        if survivor is None or duplicate is None:
            abort(404)
        name = duplicate.name
        try:
            merge_fn(actor(), survivor, duplicate)
        except DomainError as exc:
            apply_errors(form, exc)
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
    source = db.session.get(Source, source_id)
    if source is None:
        abort(404)
    form = SourceForm(obj=source) if request.method == "GET" else SourceForm()
    if form.validate_on_submit():
        values = {f.name: f.data for f in form if f.name not in ("csrf_token", "version")}
        try:
            catalog.update_source(actor(), source, form.version.data, values)
        except StaleEdit as exc:
            db.session.rollback()
            fresh = db.session.get(Source, source_id)
            assert fresh is not None
            exc.current = fresh
            return conflict_page(
                exc,
                form,
                what=f"source {fresh.name}",
                current=saved_values(form, fresh),
                back=url_for("desk.sources"),
            )
        except DomainError as exc:
            apply_errors(form, exc)
        else:
            flash(_("Source saved."), "success")
            return redirect(url_for("desk.sources"))
    return render_template("desk/source_form.html", form=form, source=source)


@bp.route("/sources/merge", methods=["GET", "POST"])
def merge_sources() -> str | Response:
    return _merge(Source, catalog.merge_sources, "source")
