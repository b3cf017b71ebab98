"""Article import and the candidate review screen."""

from __future__ import annotations

from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from sqlalchemy import select
from werkzeug.wrappers import Response

from ..errors import DomainError, StaleEdit
from ..extensions import db
from ..forms import apply_errors
from ..models import Article, ImportCandidate, Source
from ..policy import Perm, require
from ..services import importing, monitor
from . import bp
from .forms import CandidateForm, ImportForm
from .routes import actor


@bp.route("/articles/import", methods=["GET", "POST"])
def import_article() -> str | Response:
    require(actor(), Perm.IMPORT_ARTICLE)
    form = ImportForm()
    if form.validate_on_submit() and _only_url(form):
        # A web page is fetched by the background worker, never inside this request.
        try:
            job = monitor.queue_url_import(actor(), form.url.data or "", form.source.data)
        except DomainError as exc:
            db.session.rollback()
            apply_errors(form, exc)
        else:
            flash("The article is being fetched and imported in the background.", "info")
            return redirect(url_for("desk.job", job_id=job.id))
    elif form.is_submitted() and not form.errors:
        try:
            result = _import_from(form)
        except DomainError as exc:
            db.session.rollback()
            apply_errors(form, exc)
        else:
            if result is not None:
                if result.already_imported:
                    flash("This article was imported before; here are its candidates.", "info")
                else:
                    flash(
                        f"Imported “{result.article.title}” with {len(result.candidates)} candidate claims.",
                        "success",
                    )
                return redirect(url_for("desk.review_article", article_id=result.article.id))
            form.form_errors.append("Paste the article, upload a file or give its web address.")
    sources = db.session.scalars(select(Source.name).order_by(Source.name).limit(500)).all()
    return render_template("desk/import.html", form=form, sources=sources)


def _only_url(form: ImportForm) -> bool:
    upload = form.file.data
    return bool((form.url.data or "").strip()) and not (
        upload and getattr(upload, "filename", "")
    )


def _import_from(form: ImportForm) -> importing.ImportResult | None:
    source = form.source.data
    upload = form.file.data
    if upload and getattr(upload, "filename", ""):
        return importing.import_article(
            actor(),
            upload.read(),
            filename=upload.filename,
            content_type=upload.mimetype,
            source_name=source,
        )
    if (form.text.data or "").strip():
        return importing.import_article(actor(), form.text.data or "", source_name=source)
    return None


@bp.get("/articles/<int:article_id>")
def review_article(article_id: int) -> str:
    article = db.session.get(Article, article_id)
    if article is None:
        abort(404)
    candidates = importing.candidates_for(article.id)
    forms = {
        c.id: CandidateForm(
            formdata=None,
            version=c.version,
            text=c.text,
            speaker=c.speaker_name or "",
            speaker_title=c.speaker_title or "",
        )
        for c in candidates
    }
    similar = {c.id: importing.similar_claims(c.text) for c in candidates if c.state == "pending"}
    return render_template(
        "desk/import_review.html",
        article=article,
        candidates=candidates,
        forms=forms,
        similar=similar,
    )


def _candidate_or_404(candidate_id: int) -> ImportCandidate:
    candidate = db.session.get(ImportCandidate, candidate_id)
    if candidate is None:
        abort(404)
    return candidate


@bp.post("/candidates/<int:candidate_id>/accept")
def accept_candidate(candidate_id: int) -> Response | str:
    candidate = _candidate_or_404(candidate_id)
    form = CandidateForm()
    back = (
        url_for("desk.review_article", article_id=candidate.article_id)
        + f"#candidate-{candidate.id}"
    )
    if not form.validate_on_submit():
        flash(
            "Could not accept: "
            + "; ".join(
                f"{getattr(form, k).label.text}: {' '.join(v)}" for k, v in form.errors.items()
            ),
            "error",
        )
        return redirect(back)
    try:
        claim = importing.accept_candidate(
            actor(),
            candidate,
            form.version.data,
            text=form.text.data or "",
            speaker=form.speaker.data or "",
            speaker_title=form.speaker_title.data,
            same_as=form.same_as.data,
        )
    except StaleEdit:
        db.session.rollback()
        flash(
            "Someone handled this candidate while you were looking at it; check its current state.",
            "error",
        )
    except DomainError as exc:
        if exc.status == 403:
            raise
        db.session.rollback()
        flash(exc.message, "error")
    else:
        if form.same_as.data:
            flash(
                f"Linked to the earlier claim #{claim.id} instead of logging a duplicate.",
                "success",
            )
        else:
            flash(f"Claim #{claim.id} logged.", "success")
    return redirect(back)


@bp.post("/candidates/<int:candidate_id>/discard")
def discard_candidate(candidate_id: int) -> Response:
    candidate = _candidate_or_404(candidate_id)
    form = CandidateForm()
    try:
        importing.discard_candidate(actor(), candidate, form.version.data)
    except StaleEdit:
        db.session.rollback()
        flash("Someone handled this candidate while you were looking at it.", "error")
    else:
        flash("Candidate discarded.", "info")
    return redirect(url_for("desk.review_article", article_id=candidate.article_id))


@bp.get("/claims/similar")
def similar() -> Response:
    """Similar existing claims for the claim form (claim matching)."""
    text = (request.args.get("text") or "")[:1000]
    if len(text.strip()) < 10:
        return jsonify([])
    rows = importing.similar_claims(text, exclude=request.args.get("exclude", type=int))
    return jsonify(
        [
            {
                "id": c.id,
                "text": c.text,
                "score": score,
                "status": c.status,
                "published": c.is_public,
                "url": url_for("desk.claim", claim_id=c.id),
            }
            for c, score in rows
        ]
    )
