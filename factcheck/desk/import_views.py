"""Article import and the candidate review screen."""

from __future__ import annotations

from flask import current_app, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import format_decimal, ngettext
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response

from ..errors import DomainError
from ..extensions import db, limiter
from ..extraction.scoring import WORTH_CHECKING
from ..forms import ActionForm
from ..limits import bounded_int, is_id
from ..models import Article, ImportCandidate, Source
from ..policy import Perm, require
from ..reads.common import get_or_404
from ..services import importing, matching, monitor
from ..web.once import AlreadySubmitted, form_once, record, sent_before
from ..web.refusals import show_refusal
from . import bp, candidate_actions
from .forms import CandidateForm, ImportForm
from .routes import actor
from .triage import PAGE_SIZE, SIMILAR_ON_PAGE, marked_paragraphs


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
    if form.validate_on_submit() and _only_url(form):
        # A web page is fetched by the background worker, never inside this request.
        try:
            with form_once(form, "import.url") as key:
                job = monitor.queue_url_import(actor(), form.url.data or "", form.source.data)
                record(key, url_for("desk.job", job_id=job.id))
        except AlreadySubmitted as exc:
            return sent_before(exc)
        except DomainError as exc:
            show_refusal(exc, form)
        else:
            flash(_("The article is being fetched and imported in the background."), "info")
            return redirect(url_for("desk.job", job_id=job.id))
    elif form.is_submitted() and not form.errors:
        try:
            with form_once(form, "import.text") as key:
                result = _import_from(form)
                if result is not None:
                    record(key, url_for("desk.review_article", article_id=result.article.id))
                elif key is not None:
                    raise NothingToImport()
        except AlreadySubmitted as exc:
            return sent_before(exc)
        except NothingToImport:
            form.form_errors.append("Paste the article, upload a file or give its web address.")
        except DomainError as exc:
            show_refusal(exc, form)
        else:
            if result is not None:
                if result.change is not None:
                    flash(result.change.summary(), "info")
                elif result.already_imported:
                    flash(_("This article was imported before; here are its candidates."), "info")
                else:
                    flash(
                        ngettext(
                            "Imported “%(title)s” with %(num)s candidate claim.",
                            "Imported “%(title)s” with %(num)s candidate claims.",
                            len(result.candidates),
                            title=result.article.title,
                        ),
                        "success",
                    )
                return redirect(url_for("desk.review_article", article_id=result.article.id))
            form.form_errors.append(_("Paste the article, upload a file or give its web address."))
    sources = db.session.scalars(select(Source.name).order_by(Source.name).limit(500)).all()
    return render_template("desk/import.html", form=form, sources=sources)


class NothingToImport(Exception):
    """The form named no article: its one-time key stays unused."""


def _only_url(form: ImportForm) -> bool:
    upload = form.file.data
    return bool((form.url.data or "").strip()) and not (upload and getattr(upload, "filename", ""))


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
    """The triage screen: candidates best first beside the article text."""
    article = get_or_404(Article, article_id)
    require(actor(), Perm.IMPORT_ARTICLE)
    # A re-imported article with a changed text offers only what is new in it.
    every_version = request.args.get("all") == "1" or article.text_version == 1
    candidates = importing.candidates_for(
        article.id, None if every_version else article.text_version
    )
    page = max(1, request.args.get("page", 1, type=bounded_int) or 1)
    pages = max(1, -(-len(candidates) // PAGE_SIZE))
    page = min(page, pages)
    shown = candidates[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    forms = {
        c.id: CandidateForm(
            formdata=None,
            version=c.version,
            text=c.text,
            speaker=c.speaker_name or "",
            speaker_title=c.speaker_title or "",
        )
        for c in shown
    }
    # Claim matching costs a few statements per candidate: the best pending ones
    # of the page get it here (their editor offers "same as #N" or "said again");
    # the claim form and accepting still check every claim.
    pending_shown = [c for c in shown if c.state == "pending"][:SIMILAR_ON_PAGE]
    matches = {c.id: matching.similar(c.text, external=False) for c in pending_shown}
    similar = {cid: [(m.claim, m.score) for m in found] for cid, found in matches.items()}
    below = sum(1 for c in candidates if c.state == "pending" and c.score < WORTH_CHECKING)
    return render_template(
        "desk/import_review.html",
        article=article,
        candidates=shown,
        total=len(candidates),
        pending=sum(1 for c in candidates if c.state == "pending"),
        below=below,
        threshold=WORTH_CHECKING,
        every_version=every_version,
        page=page,
        pages=pages,
        paragraphs=marked_paragraphs(article.body, shown, whole=request.args.get("text") == "all"),
        forms=forms,
        similar=similar,
        matches=matches,
        focus=request.args.get("focus", type=bounded_int),
        action_form=ActionForm(),
    )


@bp.post("/articles/<int:article_id>/discard-below")
def discard_below(article_id: int) -> Response:
    article = get_or_404(Article, article_id)
    form = ActionForm()
    if form.validate_on_submit():
        count = importing.discard_below(actor(), article)
        flash(
            ngettext(
                "Discarded %(num)s candidate scoring below %(threshold)s.",
                "Discarded %(num)s candidates scoring below %(threshold)s.",
                count,
                threshold=format_decimal(WORTH_CHECKING, "0.00"),
            ),
            "info",
        )
    else:
        flash(_("The form expired; try again."), "error")
    return redirect(url_for("desk.review_article", article_id=article.id))


def _back(candidate: ImportCandidate) -> str:
    """Back to the triage screen with the handled card in view, its message beside it."""
    return (
        url_for("desk.review_article", article_id=candidate.article_id, focus=candidate.id)
        + f"#candidate-{candidate.id}"
    )


@bp.post("/candidates/<int:candidate_id>/accept")
def accept_candidate(candidate_id: int) -> Response | str:
    candidate = get_or_404(ImportCandidate, candidate_id)
    form = CandidateForm()
    back = _back(candidate)
    if not form.validate_on_submit():
        problems = "; ".join(
            f"{getattr(form, k).label.text}: {' '.join(str(e) for e in v)}"
            for k, v in form.errors.items()
        )
        flash(_("Could not accept: %(problems)s", problems=problems), "error")
        return redirect(back)
    candidate_actions.accept(
        candidate,
        form.version.data,
        text=form.text.data or "",
        speaker=form.speaker.data or "",
        speaker_title=form.speaker_title.data,
        same_as=form.same_as.data,
    )
    return redirect(back)


@bp.post("/candidates/<int:candidate_id>/discard")
def discard_candidate(candidate_id: int) -> Response:
    candidate = get_or_404(ImportCandidate, candidate_id)
    form = CandidateForm()
    candidate_actions.discard(candidate, form.version.data)
    return redirect(_back(candidate))


@bp.get("/claims/similar")
def similar() -> Response:
    """Similar existing claims for the claim form (claim matching)."""
    text = (request.args.get("text") or "")[:1000]
    if len(text.strip()) < 10:
        return jsonify([])
    exclude = request.args.get("exclude", type=bounded_int)
    found = matching.similar(text, exclude=exclude if is_id(exclude) else None)
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
