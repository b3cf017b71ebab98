"""Article import and the candidate review screen."""

from __future__ import annotations

from flask import abort, current_app, flash, jsonify, redirect, render_template, request, url_for
from flask_limiter.util import get_remote_address
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response

from ..errors import DomainError, StaleEdit
from ..extensions import db, limiter
from ..forms import apply_errors
from ..models import Article, ImportCandidate, Source
from ..policy import Perm, require
from ..services import importing, matching
from ..services.fetching import fetch
from . import bp
from .forms import CandidateForm, ImportForm
from .routes import actor


def _import_url_limit() -> str:
    return str(current_app.config.get("IMPORT_URL_RATE_LIMIT") or "20 per 10 minutes")


def _importing_person() -> str:
    # The limiter may ask before the desk's sign-in check has run.
    person = getattr(current_user, "id", None)
    return f"import-url:{person}" if person else f"import-url-ip:{get_remote_address()}"


def _not_by_url() -> bool:
    return not (request.form.get("url") or "").strip() or bool(request.files.get("file"))


@bp.route("/articles/import", methods=["GET", "POST"])
# Each fetch costs a worker up to IMPORT_FETCH_TIMEOUT and reaches out to another site:
# counted per person (not per address), only for imports by URL.
@limiter.limit(
    _import_url_limit, key_func=_importing_person, methods=["POST"], exempt_when=_not_by_url
)
def import_article() -> str | Response:
    require(actor(), Perm.IMPORT_ARTICLE)
    form = ImportForm()
    if form.validate_on_submit():
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
    if (form.url.data or "").strip():
        fetched = fetch(form.url.data or "")
        return importing.import_article(
            actor(),
            fetched.body,
            content_type=fetched.content_type,
            url=fetched.url,
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
    matches = {
        c.id: matching.similar(c.text, external=False) for c in candidates if c.state == "pending"
    }
    similar = {cid: [(m.claim, m.score) for m in found] for cid, found in matches.items()}
    return render_template(
        "desk/import_review.html",
        article=article,
        candidates=candidates,
        forms=forms,
        similar=similar,
        matches=matches,
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
                f"Recorded as said again on claim #{claim.id} (an appearance, public once "
                "an editor confirms it) instead of logging a duplicate.",
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
    exclude = request.args.get("exclude", type=int)
    found = matching.similar(text, exclude=exclude if exclude and 0 < exclude < 2**31 else None)
    return jsonify([_suggestion_json(s) for s in found])


def _suggestion_json(suggestion: matching.Suggestion) -> dict[str, object]:
    common = {"score": suggestion.score, "match": suggestion.match.value}
    if suggestion.external is not None:
        e = suggestion.external
        return {
            **common,
            "external": True,
            "text": e.claim_text,
            "publisher": e.publisher,
            "rating": e.rating_text,
            "url": e.url,
        }
    c = suggestion.claim
    assert c is not None
    return {
        **common,
        "id": c.id,
        "text": c.text,
        "status": c.status,
        "published": c.is_public,
        "url": url_for("desk.claim", claim_id=c.id),
    }
