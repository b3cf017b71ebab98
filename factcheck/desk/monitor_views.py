"""The monitor: newest candidates across imports, watched feeds, jobs and the watch list."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select
from werkzeug.wrappers import Response

from ..errors import DomainError
from ..extensions import db
from ..limits import bounded_int
from ..models import Feed, ImportCandidate, Job, Source, Speaker
from ..policy import Perm, require
from ..reads.common import get_or_404
from ..services import feeds, jobs, monitor
from ..web.once import AlreadySubmitted, form_once, record, sent_before
from ..web.refusals import show_refusal
from . import bp, candidate_actions
from .monitor_forms import FeedForm, FeedUpdateForm, MonitorFilterForm, WatchForm
from .routes import actor


def _back_to_monitor() -> str:
    """The monitor page with the filters the person had (only a /desk/monitor address)."""
    wanted = request.form.get("next") or ""
    parts = urlsplit(wanted)
    if not parts.scheme and not parts.netloc and parts.path == url_for("desk.monitor"):
        return wanted
    return url_for("desk.monitor")


def monitor_page() -> str:
    form = MonitorFilterForm(request.args)
    sources = db.session.execute(
        select(Source.slug, Source.name).order_by(Source.name).limit(500)
    ).all()
    form.source.choices = [("", _("All sources"))] + [(slug, name) for slug, name in sources]
    wanted = monitor.MonitorFilter()
    if form.validate():
        wanted = monitor.MonitorFilter(
            speaker=(form.speaker.data or "").strip(),
            source=form.source.data or "",
            min_score=float(form.min_score.data or 0),
            repeats_only=bool(form.repeats.data),
            watched_only=bool(form.watched.data),
        )
    rows = monitor.monitor_candidates(actor(), wanted)
    return render_template(
        "desk/monitor.html",
        form=form,
        rows=rows,
        feeds=feeds.all_feeds(),
        jobs=jobs.recent(10),
        here=request.full_path.rstrip("?"),
    )


bp.add_url_rule("/monitor", "monitor", monitor_page)


@bp.post("/monitor/candidates/<int:candidate_id>/accept")
def monitor_accept(candidate_id: int) -> Response:
    candidate = get_or_404(ImportCandidate, candidate_id)
    require(actor(), Perm.LOG_CLAIM)
    candidate_actions.accept(
        candidate,
        request.form.get("version", type=bounded_int),
        text=candidate.text,
        speaker=candidate.speaker_name or "",
        speaker_title=candidate.speaker_title,
        same_as=request.form.get("same_as", type=bounded_int),
    )
    return redirect(_back_to_monitor())


@bp.post("/monitor/candidates/<int:candidate_id>/discard")
def monitor_discard(candidate_id: int) -> Response:
    candidate = get_or_404(ImportCandidate, candidate_id)
    candidate_actions.discard(candidate, request.form.get("version", type=bounded_int))
    return redirect(_back_to_monitor())


# --- feeds -----------------------------------------------------------------------


@bp.route("/feeds", methods=["GET", "POST"])
def feeds_page() -> str | Response:
    form = FeedForm()
    if form.validate_on_submit():
        try:
            with form_once(form, "feed.add") as key:
                feed = feeds.add_feed(
                    actor(),
                    form.url.data or "",
                    form.source.data or "",
                    interval_minutes=form.interval_minutes.data or 30,
                )
                record(key, url_for("desk.feeds_page"))
        except AlreadySubmitted as exc:
            return sent_before(exc)
        except DomainError as exc:
            show_refusal(exc, form)
        else:
            job = feeds.queue_poll(feed, actor())
            flash(
                _("Watching %(url)s; the first poll is job #%(id)s.", url=feed.url, id=job.id),
                "success",
            )
            return redirect(url_for("desk.feeds_page"))
    elif request.method == "GET":
        require(actor(), Perm.IMPORT_ARTICLE)
    rows = feeds.all_feeds()
    forms = {
        f.id: FeedUpdateForm(
            formdata=None, active="1" if f.active else "0", interval_minutes=f.interval_minutes
        )
        for f in rows
    }
    sources = db.session.scalars(select(Source.name).order_by(Source.name).limit(500)).all()
    return render_template("desk/feeds.html", form=form, feeds=rows, forms=forms, sources=sources)


@bp.post("/feeds/<int:feed_id>")
def update_feed(feed_id: int) -> Response:
    feed = get_or_404(Feed, feed_id)
    form = FeedUpdateForm()
    if not form.validate_on_submit():
        require(actor(), Perm.IMPORT_ARTICLE)
        problems = "; ".join(
            f"{getattr(form, k).label.text}: {' '.join(str(e) for e in v)}"
            for k, v in form.errors.items()
        )
        flash(_("Not saved: %(problems)s", problems=problems), "error")
        return redirect(url_for("desk.feeds_page"))
    feeds.update_feed(
        actor(),
        feed,
        active=form.active.data == "1",
        interval_minutes=form.interval_minutes.data,
    )
    flash(_("Feed saved."), "success")
    return redirect(url_for("desk.feeds_page"))


@bp.post("/feeds/<int:feed_id>/poll")
def poll_feed(feed_id: int) -> Response:
    feed = get_or_404(Feed, feed_id)
    require(actor(), Perm.IMPORT_ARTICLE)
    job = feeds.queue_poll(feed, actor())
    return redirect(url_for("desk.job", job_id=job.id))


# --- jobs ------------------------------------------------------------------------


@bp.get("/jobs")
def jobs_page() -> str:
    state = request.args.get("state") or None
    if state not in (None, "queued", "running", "done", "failed"):
        state = None
    return render_template(
        "desk/jobs.html", jobs=jobs.recent(100, state=state), counts=jobs.counts(), state=state
    )


@bp.get("/jobs/<int:job_id>")
def job(job_id: int) -> str:
    row = get_or_404(Job, job_id)
    return render_template("desk/job.html", job=row)


@bp.post("/jobs/reindex")
def queue_reindex() -> Response:
    job = monitor.queue_reindex(actor())
    flash(_("The search index is being rebuilt in the background."), "info")
    return redirect(url_for("desk.job", job_id=job.id))


# --- the watch list ------------------------------------------------------------------


@bp.route("/watchlist", methods=["GET", "POST"])
def watchlist() -> str | Response:
    form = WatchForm()
    if form.validate_on_submit():
        try:
            speaker = monitor.watch_speaker(actor(), form.speaker.data or "")
        except DomainError as exc:
            show_refusal(exc, form)
        else:
            flash(_("Watching %(name)s.", name=speaker.name), "success")
            return redirect(url_for("desk.watchlist"))
    names = db.session.scalars(select(Speaker.name).order_by(Speaker.name).limit(500)).all()
    return render_template(
        "desk/watchlist.html",
        form=form,
        speakers=monitor.watched_speakers(actor()),
        names=names,
    )


@bp.post("/watchlist/<int:speaker_id>/remove")
def unwatch(speaker_id: int) -> Response:
    try:
        monitor.unwatch_speaker(actor(), speaker_id)
    except DomainError as exc:
        show_refusal(exc)
    else:
        flash(_("Removed from your watch list."), "info")
    return redirect(url_for("desk.watchlist"))
