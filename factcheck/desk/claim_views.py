"""Claims on the desk: list, create, edit, evidence, verdict, review, transitions."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from markupsafe import Markup
from werkzeug.wrappers import Response

from ..errors import DomainError, StaleEdit
from ..forms import ActionForm
from ..models import Claim, Evidence, Rating, Source, Speaker
from ..reads import claims as claim_reads
from ..reads import profiles
from ..reads.common import get_or_404
from ..rendering import render_markdown
from ..services import claims as claim_service
from ..services import reviews, tips, verdicts
from ..services.appearances import appearance_context
from ..services.export import csv_download
from ..services.settings import get_settings
from ..web.once import AlreadySubmitted, form_once, record, sent_before
from ..web.refusals import discard_refused, show_refusal
from ..workflow import Action, parse_action
from . import bp
from .conflicts import conflict_page, saved_values, typed_values
from .filters import DeskFilters
from .forms import ClaimForm, EvidenceForm, TransitionForm, VerdictForm
from .routes import actor

DESK_PER_PAGE = 25


def _claim_input(form: ClaimForm) -> claim_service.ClaimInput:
    return claim_service.ClaimInput(
        text=form.text.data or "",
        speaker=form.speaker.data or "",
        speaker_title=form.speaker_title.data,
        speaker_affiliation=form.speaker_affiliation.data,
        quote=form.quote.data,
        context=form.context.data,
        stated_on=form.stated_on.data,
        source=form.source.data,
        article_id=form.article_id.data,
        article_title=form.article_title.data,
        article_url=form.article_url.data,
        tags=[t for t in (form.tags.data or "").split(",") if t.strip()],
        language=form.language.data or "en",
        internal_notes=form.internal_notes.data,
    )


def _datalists() -> dict[str, Any]:
    return {
        "speakers": profiles.name_suggestions(Speaker),
        "sources": profiles.name_suggestions(Source),
    }


@bp.get("/claims")
def claims() -> str:
    filters = DeskFilters.from_args(request.args)
    # Counted up to a thousand claims past the page, as the public list and the API are:
    # an exact count of every published claim was a scan of the archive on each visit.
    page = claim_reads.claims_page(
        filters.claim_filter(actor()),
        filters.page,
        DESK_PER_PAGE,
        "updated",
        claim_reads.desk_row_loads(),
    )
    return render_template(
        "desk/claims.html",
        page=page,
        filters=filters,
        users=claim_reads.desk_users(),
        speakers=profiles.desk_choices(Speaker, filters.speaker),
        sources=profiles.desk_choices(Source, filters.source),
    )


@bp.get("/claims.csv")
def export_claims() -> Response:
    """The filtered desk list as CSV, safe to open in a spreadsheet."""
    filters = DeskFilters.from_args(request.args)
    body, headers = csv_download(claim_reads.export_rows(filters.claim_filter(actor())))
    return Response(body, mimetype="text/csv", headers=headers)


@bp.route("/claims/new", methods=["GET", "POST"])
def new_claim() -> str | Response:
    form = ClaimForm()
    if form.validate_on_submit():
        try:
            with form_once(form, "claim.create") as key:
                claim = claim_service.log_claim(actor(), _claim_input(form))
                record(key, url_for("desk.claim", claim_id=claim.id))
        except AlreadySubmitted as exc:
            return sent_before(exc)
        except DomainError as exc:
            show_refusal(exc, form)
        else:
            flash(_("Claim #%(id)s logged.", id=claim.id), "success")
            return redirect(url_for("desk.claim", claim_id=claim.id))
    return render_template("desk/claim_form.html", form=form, claim=None, **_datalists())


@bp.get("/claims/<int:claim_id>")
def claim(claim_id: int) -> str:
    claim = claim_service.get_claim(claim_id)
    user = actor()
    revisions = verdicts.revisions(claim.id)
    pending = [
        v
        for v in revisions
        if not claim.published_verdict or v.revision > claim.published_verdict.revision
    ]
    return render_template(
        "desk/claim.html",
        claim=claim,
        evidence=claim_service.evidence_for(claim.id, include_removed=True),
        revisions=revisions,
        draft=pending[-1] if pending else None,
        published=claim.published_verdict,
        actions=reviews.available_actions(user, claim),
        claim_changes=verdicts.pending_claim_changes(claim),
        transition_form=_transition_form(claim),
        timeline=claim_service.timeline(claim.id),
        action_form=ActionForm(),
        can_draft=verdicts.can_draft(user, claim),
        **appearance_context(user, claim),
        tip_demand=tips.demand_for([claim.id]).get(claim.id, 0),
    )


def _transition_form(claim: Claim) -> TransitionForm:
    form = TransitionForm(
        formdata=None,
        version=claim.version,
        assignee=str(claim.assignee_id) if claim.assignee_id else "",
    )
    form.assignee.choices = [("", _("Choose a fact-checker"))] + [
        (str(u.id), u.name) for u in claim_reads.desk_users()
    ]
    return form


@bp.route("/claims/<int:claim_id>/edit", methods=["GET", "POST"])
def edit_claim(claim_id: int) -> str | Response | tuple[str, int]:
    claim = claim_service.get_claim(claim_id)
    if request.method == "GET":
        form = ClaimForm(
            obj=claim,
            speaker=claim.speaker.name,
            source=claim.source.name if claim.source else "",
            article_title=claim.article.title if claim.article else "",
            article_url=claim.article.url if claim.article else "",
            tags=", ".join(t.name for t in claim.tags),
        )
        _show_proposed(form, claim)
    else:
        form = ClaimForm()
    if form.validate_on_submit():
        try:
            claim_service.update_claim(
                actor(), claim, form.version.data, _claim_input(form), typed_values(form)
            )
        except StaleEdit as exc:
            discard_refused(exc)
            fresh = claim_service.get_claim(claim_id)
            exc.current = fresh
            return conflict_page(
                exc,
                form,
                what=f"claim #{claim_id}",
                current=_claim_snapshot(fresh),
                back=url_for("desk.claim", claim_id=claim_id),
            )
        except DomainError as exc:
            show_refusal(exc, form)
        else:
            if claim.is_public:
                flash(
                    _(
                        "Saved. Changes to what the public reads wait in the correction until "
                        "another editor approves it; internal notes are saved at once."
                    ),
                    "success",
                )
            else:
                flash(_("Claim saved."), "success")
            return redirect(url_for("desk.claim", claim_id=claim_id))
    return render_template("desk/claim_form.html", form=form, claim=claim, **_datalists())


def _show_proposed(form: ClaimForm, claim: Claim) -> None:
    """During a correction the form starts from the proposed public fields, not the approved."""
    proposed = verdicts.pending_claim_changes(claim) or {}
    fields, labels = proposed.get("fields") or {}, proposed.get("labels") or {}
    for name in ("text", "quote", "context", "language"):
        if name in fields:
            getattr(form, name).data = fields[name]
    if "stated_on" in fields:
        form.stated_on.data = (
            date.fromisoformat(fields["stated_on"]) if fields["stated_on"] else None
        )
    if "speaker_id" in fields:
        form.speaker.data = labels.get("speaker") or ""
    if "source_id" in fields:
        form.source.data = labels.get("source") or ""
    if "article_id" in fields:
        form.article_id.data = fields["article_id"]
    if "tags" in fields:
        form.tags.data = ", ".join(fields["tags"])


def _claim_snapshot(claim: Claim) -> dict[str, Any]:
    return {
        "Claim, as checked": claim.text,
        "Verbatim quote": claim.quote,
        "Context or occasion": claim.context,
        "Date stated": claim.stated_on,
        "Speaker": claim.speaker.name,
        "Source (outlet)": claim.source.name if claim.source else None,
        "Tags": ", ".join(t.name for t in claim.tags),
        "Language": claim.language,
        "Internal notes": claim.internal_notes,
    }


# --- evidence ---------------------------------------------------------------


def _evidence_input(form: EvidenceForm) -> claim_service.EvidenceInput:
    return claim_service.EvidenceInput(
        stance=form.stance.data or "",
        url=form.url.data,
        citation=form.citation.data,
        title=form.title.data,
        publisher=form.publisher.data,
        excerpt=form.excerpt.data,
        archived_url=form.archived_url.data,
    )


@bp.route("/claims/<int:claim_id>/evidence/new", methods=["GET", "POST"])
def add_evidence(claim_id: int) -> str | Response:
    claim = claim_service.get_claim(claim_id)
    form = EvidenceForm()
    if form.validate_on_submit():
        try:
            with form_once(form, "evidence.add") as key:
                claim_service.add_evidence(actor(), claim, _evidence_input(form))
                record(key, url_for("desk.claim", claim_id=claim_id) + "#evidence")
        except AlreadySubmitted as exc:
            return sent_before(exc)
        except DomainError as exc:
            show_refusal(exc, form)
        else:
            flash(_("Evidence added.") + _waits(claim), "success")
            return redirect(url_for("desk.claim", claim_id=claim_id) + "#evidence")
    return render_template("desk/evidence_form.html", form=form, claim=claim, evidence=None)


def _waits(claim: Claim) -> str:
    """What a reader of a published claim's evidence sees until the next approval."""
    if not claim.is_public:
        return ""
    return " " + str(
        _(
            "The public page shows the evidence as it was published until a correction "
            "is approved by another editor."
        )
    )


@bp.route("/evidence/<int:evidence_id>/edit", methods=["GET", "POST"])
def edit_evidence(evidence_id: int) -> str | Response | tuple[str, int]:
    evidence = get_or_404(Evidence, evidence_id)
    claim = claim_service.get_claim(evidence.claim_id)
    form = EvidenceForm(obj=evidence) if request.method == "GET" else EvidenceForm()
    if form.validate_on_submit():
        try:
            claim_service.update_evidence(
                actor(), evidence, form.version.data, _evidence_input(form)
            )
        except StaleEdit as exc:
            discard_refused(exc)
            fresh = get_or_404(Evidence, evidence_id)
            exc.current = fresh
            current = saved_values(form, fresh)
            return conflict_page(
                exc,
                form,
                what="this evidence",
                current=current,
                back=url_for("desk.claim", claim_id=claim.id),
            )
        except DomainError as exc:
            show_refusal(exc, form)
        else:
            flash(_("Evidence saved.") + _waits(claim), "success")
            return redirect(url_for("desk.claim", claim_id=claim.id) + "#evidence")
    return render_template("desk/evidence_form.html", form=form, claim=claim, evidence=evidence)


@bp.post("/evidence/<int:evidence_id>/remove")
def remove_evidence(evidence_id: int) -> Response:
    evidence = get_or_404(Evidence, evidence_id)
    form = ActionForm()
    if form.validate_on_submit():
        version = request.form.get("version", type=int)
        claim_service.remove_evidence(actor(), evidence, version)
        flash(_("Evidence removed; it stays in the claim's history."), "success")
    return redirect(url_for("desk.claim", claim_id=evidence.claim_id) + "#evidence")


# --- verdict and workflow ---------------------------------------------------


def _rating_scale() -> list[Rating]:
    from ..services.ratings import scale

    return list(scale())


def _rating_choices() -> list[tuple[str, str]]:
    return [("", "No rating yet")] + [(r.slug, r.name) for r in _rating_scale()]


@bp.route("/claims/<int:claim_id>/verdict", methods=["GET", "POST"])
def verdict(claim_id: int) -> str | Response | tuple[str, int]:
    claim = claim_service.get_claim(claim_id)
    latest = verdicts.latest_revision(claim.id)
    if request.method == "GET":
        form = VerdictForm(
            base_revision=latest.revision if latest else 0,
            rating=latest.rating.slug if latest and latest.rating else "",
            summary=latest.summary if latest else "",
            explanation=latest.explanation if latest else "",
            correction_note=(
                latest.correction_note if latest and latest.state != "published" else ""
            ),
        )
    else:
        form = VerdictForm()
    form.rating.choices = _rating_choices()
    preview: Markup | None = None
    if form.validate_on_submit():
        if "preview" in request.form:
            preview = render_markdown(form.explanation.data)
        else:
            data = verdicts.DraftInput(
                rating=form.rating.data or None,
                summary=form.summary.data or "",
                explanation=form.explanation.data or "",
                correction_note=form.correction_note.data if claim.is_public else None,
            )
            try:
                saved = verdicts.save_draft(actor(), claim, form.base_revision.data, data)
            except StaleEdit as exc:
                discard_refused(exc)
                fresh = verdicts.latest_revision(claim_id)
                exc.current = fresh
                current = {
                    "Rating": fresh.rating.name if fresh and fresh.rating else None,
                    "One-line summary": fresh.summary if fresh else None,
                    "Explanation (Markdown)": fresh.explanation if fresh else None,
                    "Saved by": fresh.author.name if fresh else None,
                }
                return conflict_page(
                    exc,
                    form,
                    what=f"the verdict on claim #{claim_id}",
                    current=current,
                    back=url_for("desk.claim", claim_id=claim_id),
                )
            except DomainError as exc:
                show_refusal(exc, form)
            else:
                flash(_("Verdict saved as revision %(number)s.", number=saved.revision), "success")
                return redirect(url_for("desk.claim", claim_id=claim_id) + "#verdict")
    return render_template(
        "desk/verdict_form.html",
        form=form,
        claim=claim,
        latest=latest,
        preview=preview,
        can_draft=verdicts.can_draft(actor(), claim),
        scale=_rating_scale(),
        evidence=claim_service.evidence_for(claim.id),
    )


@bp.get("/claims/<int:claim_id>/review")
def review(claim_id: int) -> str:
    claim = claim_service.get_claim(claim_id)
    pending = verdicts.pending_revisions(claim)
    draft = pending[-1] if pending else None
    return render_template(
        "desk/review.html",
        claim=claim,
        draft=draft,
        diff=verdicts.diff_against_previous(claim, draft) if draft else [],
        evidence=claim_service.evidence_for(claim.id),
        transition_form=_transition_form(claim),
        approvals_required=get_settings().approvals_required,
        actions={c.action.value: c for c in reviews.available_actions(actor(), claim)},
        claim_changes=verdicts.pending_claim_changes(claim),
        current=claim_service.public_values(claim),
    )


@bp.post("/claims/<int:claim_id>/transition")
def transition(claim_id: int) -> Response | tuple[str, int]:
    claim = claim_service.get_claim(claim_id)
    form = TransitionForm()
    form.assignee.choices = [("", "")] + [(str(u.id), u.name) for u in claim_reads.desk_users()]
    if not form.validate_on_submit():
        problems = "; ".join(f"{k}: {' '.join(str(e) for e in v)}" for k, v in form.errors.items())
        flash(_("The action could not be read: %(problems)s", problems=problems), "error")
        return redirect(url_for("desk.claim", claim_id=claim_id))
    action = parse_action(form.action.data or "")
    try:
        reviews.transition(
            actor(),
            claim,
            action,
            version=form.version.data,
            comment=form.comment.data or "",
            reason=form.reason.data or "",
            duplicate_of=form.duplicate_of.data,
            assignee_id=int(form.assignee.data) if (form.assignee.data or "").isdigit() else None,
        )
    except StaleEdit as exc:
        show_refusal(
            exc,
            message=_(
                "Someone changed this claim while you were looking at it; nothing was done. Check its current state and try again."
            ),
        )
    except DomainError as exc:
        show_refusal(exc)
    else:
        flash(_done_message(action, claim), "success")
    return redirect(url_for("desk.claim", claim_id=claim_id))


def _done_message(action: Action, claim: Claim) -> str:
    if action is Action.APPROVE and claim.status != "published":
        return "Approval recorded; the verdict needs another editor's approval to publish."
    return {
        Action.START: "Research started.",
        Action.ASSIGN: "Claim assigned.",
        Action.SUBMIT: "Submitted for review.",
        Action.APPROVE: "Approved and published.",
        Action.SEND_BACK: "Sent back to research.",
        Action.DISMISS: "Claim dismissed.",
        Action.CORRECT: "Correction opened; the published verdict stays public until the update is approved.",
    }[action]
