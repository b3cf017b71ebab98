"""Claim tracking on the desk: appearances (record, confirm, remove) and the wider archive."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from ..errors import Conflict, DomainError, ValidationFailed
from ..forms import ActionForm
from ..models import Appearance
from ..policy import Perm, can, require
from ..reads.common import get_or_404
from ..services import appearances, external, jobs
from ..services import claims as claim_service
from ..web.once import AlreadySubmitted, form_once, record, sent_before
from ..web.refusals import show_refusal
from . import bp
from .forms import AppearanceForm, ClaimReviewIngestForm
from .routes import actor


@bp.route("/claims/<int:claim_id>/appearances/new", methods=["GET", "POST"])
def add_appearance(claim_id: int) -> str | Response:
    claim = claim_service.get_claim(claim_id)
    require(actor(), Perm.ADD_APPEARANCE)
    form = AppearanceForm()
    if form.validate_on_submit():
        try:
            with form_once(form, "appearance.add") as key:
                appearances.add_appearance(
                    actor(),
                    claim,
                    appearances.AppearanceInput(
                        title=form.title.data or "",
                        url=form.url.data,
                        speaker=form.speaker.data or "",
                        said_on=form.said_on.data,
                        text=form.text.data,
                    ),
                )
                record(key, url_for("desk.claim", claim_id=claim.id) + "#appearances")
        except AlreadySubmitted as exc:
            return sent_before(exc)
        except DomainError as exc:
            show_refusal(exc, form)
        else:
            flash(
                _("Appearance recorded; it shows publicly once another editor confirms it."),
                "success",
            )
            return redirect(url_for("desk.claim", claim_id=claim.id) + "#appearances")
    elif not form.is_submitted():
        form.speaker.data = claim.speaker.name
    return render_template("desk/appearance_form.html", form=form, claim=claim)


@bp.post("/appearances/<int:appearance_id>/confirm")
def confirm_appearance(appearance_id: int) -> Response:
    appearance = get_or_404(Appearance, appearance_id)
    if ActionForm().validate_on_submit():
        try:
            appearances.confirm_appearance(actor(), appearance)
        except Conflict as exc:
            show_refusal(exc)
        else:
            flash(_("Appearance confirmed: it is public now."), "success")
    return redirect(url_for("desk.claim", claim_id=appearance.claim_id) + "#appearances")


@bp.post("/appearances/<int:appearance_id>/remove")
def remove_appearance(appearance_id: int) -> Response:
    appearance = get_or_404(Appearance, appearance_id)
    claim_id = appearance.claim_id
    if ActionForm().validate_on_submit():
        try:
            appearances.remove_appearance(actor(), appearance)
        except Conflict as exc:
            show_refusal(exc)
        else:
            flash(_("Appearance removed."), "info")
    return redirect(url_for("desk.claim", claim_id=claim_id) + "#appearances")


@bp.route("/external", methods=["GET", "POST"])
def external_factchecks() -> str | Response:
    """Search other organisations' fact-checks; ingest more from a file or URL (as a job)."""
    user = actor()
    form = ClaimReviewIngestForm()
    may_ingest = can(user, Perm.IMPORT_ARTICLE)
    if request.method == "POST":
        require(user, Perm.IMPORT_ARTICLE)
        # An upload may be as large as an ingest allows (the form's own limit is smaller).
        request.max_content_length = external.max_bytes() + 64 * 1024
        if form.validate_on_submit():
            upload = form.file.data
            url = (form.url.data or "").strip()
            try:
                if upload and getattr(upload, "filename", ""):
                    job = external.queue_ingest(
                        user, data=upload.read(external.max_bytes() + 1), filename=upload.filename
                    )
                elif url:
                    job = external.queue_ingest(user, url=url)
                else:
                    message = _("Choose a file or give a web address.")
                    raise ValidationFailed(message, fields={"file": message})
            except DomainError as exc:
                show_refusal(exc, form)
            else:
                flash(_("The ClaimReview ingest is queued; this page shows how it goes."), "info")
                return redirect(url_for("desk.job", job_id=job.id))
    query = (request.args.get("q") or "").strip()[:200]
    rows = external.search(query) if query else []
    return render_template(
        "desk/external.html",
        q=query,
        rows=rows,
        limit=external.SEARCH_LIMIT,
        form=form,
        may_ingest=may_ingest,
        recent_jobs=jobs.recent(5, kind="claimreview_ingest") if may_ingest else [],
    )
