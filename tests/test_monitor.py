"""The monitor: jobs, watched feeds against a local site, the monitor page, alerts.

Jobs run in-process here (Huey's immediate mode); test_monitor_worker.py runs them
in real worker processes. Every address is on 127.0.0.1.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterator

import pytest
import sqlalchemy as sa

from factcheck.extensions import db
from factcheck.models import (
    Article,
    CandidateMatch,
    Feed,
    FeedItem,
    ImportCandidate,
    Job,
    Notification,
)

from .monitor_site import BILLION_LAUGHS, Site, article_html, atom, rss, serve


@pytest.fixture
def site(app) -> Iterator[Site]:
    app.config.update(IMPORT_ALLOW_PRIVATE_ADDRESSES=True, IMPORT_FETCH_TIMEOUT=1.0)
    site, server = serve()
    yield site
    server.shutdown()
    server.server_close()


def count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model)) or 0


def articles_feed(site: Site, path: str, numbers: range, **options) -> str:
    items = [(f"Harbour report {n}", site.add(f"/a/{n}.html", article_html(n))) for n in numbers]
    return site.add(path, rss(items), content_type="application/rss+xml", **options)


def make_due() -> None:
    db.session.execute(sa.update(Feed).values(next_poll_at=None))
    db.session.commit()


# --- feeds from the command line ---------------------------------------------------


def test_feeds_add_imports_each_new_article_once_and_polls_politely(app, runner, site):
    url = articles_feed(site, "/feed.xml", range(3), etag='"v1"')
    result = runner.invoke(args=["feeds", "add", url, "--source", "Saltmere Courier"])
    assert result.exit_code == 0, result.output
    assert "Watching feed #1" in result.output and "first poll queued as job" in result.output
    assert count(Article) == 3 and count(FeedItem) == 3
    assert {j.state for j in db.session.scalars(sa.select(Job))} == {"done"}
    assert all(site.hits[f"/a/{n}.html"] == 1 for n in range(3))
    listed = runner.invoke(args=["feeds", "list"])
    assert "3 new of 3 items" in listed.output and "Saltmere Courier" in listed.output

    # Not due yet: nothing is fetched.
    assert "No feed is due." in runner.invoke(args=["feeds", "poll"]).output
    assert site.hits["/feed.xml"] == 1
    # Due, unchanged: a conditional GET answered 304.
    make_due()
    polled = runner.invoke(args=["feeds", "poll"])
    assert "not modified" in polled.output and site.conditional_hits["/feed.xml"] == 1
    # A new item beside the old ones: only the new article is fetched and imported.
    articles_feed(site, "/feed.xml", range(4), etag='"v2"')
    make_due()
    polled = runner.invoke(args=["feeds", "poll"])
    assert "1 new" in polled.output, polled.output
    assert count(Article) == 4 and site.hits["/a/3.html"] == 1
    assert all(site.hits[f"/a/{n}.html"] == 1 for n in range(3))


def test_same_article_in_two_feeds_is_recognised(app, runner, site):
    shared = site.add("/a/shared.html", article_html(7))
    one = site.add("/one.xml", rss([("Shared", shared)]), content_type="application/rss+xml")
    two = site.add("/two.xml", atom([("Shared", shared)]), content_type="application/atom+xml")
    for url in (one, two):
        assert (
            runner.invoke(args=["feeds", "add", url, "--source", "Saltmere Courier"]).exit_code == 0
        )
    assert count(Article) == 1 and site.hits["/a/shared.html"] == 1
    jobs = db.session.scalars(sa.select(Job).where(Job.kind == "import_url").order_by(Job.id))
    assert [j.result["already_imported"] for j in jobs] == [False, True]
    items = db.session.scalars(sa.select(FeedItem)).all()
    assert [(i.state, i.article_id) for i in items] == [("imported", 1), ("imported", 1)]


def test_feeds_add_refuses_bad_input_and_changes_nothing(app, runner):
    for args, message in [
        (["feeds", "add", "ftp://example.org/feed", "--source", "X"], "http:// or https://"),
        (["feeds", "add", "http://127.0.0.1:9/f.xml", "--source", " "], "Name the outlet"),
        (
            ["feeds", "add", "http://127.0.0.1:9/f.xml", "--source", "X", "--interval", "0"],
            "Poll every",
        ),
    ]:
        result = runner.invoke(args=args)
        assert result.exit_code == 1 and message in result.output, result.output
    assert count(Feed) == 0 and count(Job) == 0


@pytest.mark.parametrize(
    ("version", "builder"),
    [("0.91", rss), ("0.92", rss), ("2.0", rss), ("atom", atom)],
)
def test_rss_09x_to_2_and_atom_are_read(app, version, builder):
    from factcheck.services.feeds import parse_feed

    items = [("One", "http://127.0.0.1/1"), ("Two", "http://127.0.0.1/2")]
    body = (builder(items, version=version) if builder is rss else builder(items)).encode()
    entries, title = parse_feed(body)
    assert [e["url"] for e in entries] == ["http://127.0.0.1/1", "http://127.0.0.1/2"]
    assert title


def test_hostile_feeds_are_each_recorded_as_their_own_error(app, runner, site):
    app.config.update(IMPORT_FETCH_TIMEOUT=0.5, IMPORT_MAX_BYTES=200_000, JOB_MAX_ATTEMPTS=1)
    bad = {
        "invalid": site.add(
            "/invalid.xml", "<rss><channel><item>unclosed", content_type="text/xml"
        ),
        "laughs": site.add("/laughs.xml", BILLION_LAUGHS, content_type="application/rss+xml"),
        "huge": site.add("/huge.xml", content_type="application/rss+xml", endless=True),
        "loop": site.add("/loop.xml", redirect="/loop.xml"),
        "slow": site.add("/slow.xml", rss([]), content_type="text/xml", delay=2),
        "html": site.add("/page.html", "<html><body>Not a feed</body></html>"),
    }
    good = articles_feed(site, "/good.xml", range(2))
    for url in [*bad.values(), good]:
        assert runner.invoke(args=["feeds", "add", url, "--source", "Valley Post"]).exit_code == 0
    feeds = {f.url: f for f in db.session.scalars(sa.select(Feed))}
    assert feeds[good].last_status == "ok" and count(Article) == 2
    expected = {
        "invalid": "not well-formed XML",
        "laughs": "declares XML entities",
        "huge": "larger than",
        "loop": "redirect",
        "slow": "did not send the page within",
        "html": "not an RSS or Atom feed",
    }
    for name, url in bad.items():
        feed = feeds[url]
        assert feed.last_status == "error" and feed.error_count == 1, name
        assert expected[name] in (feed.last_error or ""), (name, feed.last_error)
    failed = db.session.scalars(sa.select(Job).where(Job.state == "failed")).all()
    assert len(failed) == len(bad) and all(j.error for j in failed)
    # A second round: the good feed still works beside them; errors are counted.
    make_due()
    polled = runner.invoke(args=["feeds", "poll"])
    assert polled.exit_code == 0 and f"{len(bad)} failed" in polled.output
    db.session.expire_all()
    assert db.session.get(Feed, feeds[bad["loop"]].id).error_count == 2
    listed = runner.invoke(args=["feeds", "list"]).output
    assert "error (2 in a row)" in listed


# --- jobs: retries, backoff, idempotency ------------------------------------------------


def test_a_failing_import_is_retried_then_shown_failed_with_its_reason(app, login_as, site):
    url = site.add("/down.html", article_html(1), fail_first=99)
    client = login_as("fact_checker")
    resp = client.post("/desk/articles/import", data={"url": url})
    assert resp.status_code == 302 and "/desk/jobs/" in resp.headers["Location"]
    job = db.session.scalars(sa.select(Job)).one()
    assert (job.state, job.attempts, job.max_attempts) == ("failed", 3, 3)
    assert "503" in job.error and site.hits["/down.html"] == 3
    page = client.get(resp.headers["Location"]).get_data(as_text=True)
    assert "failed" in page and "503" in page and "3 of 3" in page
    assert count(Article) == 0


def test_a_job_that_fails_once_then_succeeds_imports_once(app, login_as, site):
    url = site.add("/flaky.html", article_html(2), fail_first=1)
    client = login_as("fact_checker")
    resp = client.post("/desk/articles/import", data={"url": url, "source": "Saltmere Courier"})
    job = db.session.scalars(sa.select(Job)).one()
    assert (job.state, job.attempts) == ("done", 2) and job.result["candidates"] >= 1
    page = client.get(resp.headers["Location"]).get_data(as_text=True)
    assert "Review the candidates" in page
    # The same URL again, or the same job delivered twice: nothing is imported twice.
    client.post("/desk/articles/import", data={"url": url})
    from factcheck.jobs.tasks import run_job

    run_job(job.id)
    assert count(Article) == 1 and site.hits["/flaky.html"] == 2


def test_refusals_fail_at_once_without_retrying(app, login_as, site):
    client = login_as("fact_checker")
    site.add("/doc.pdf", b"%PDF-1.4", content_type="application/pdf")
    client.post("/desk/articles/import", data={"url": site.url + "/doc.pdf"})
    job = db.session.scalars(sa.select(Job)).one()
    assert (job.state, job.attempts) == ("failed", 1) and "application/pdf" in job.error
    app.config["IMPORT_ALLOW_PRIVATE_ADDRESSES"] = False
    client.post("/desk/articles/import", data={"url": site.url + "/other.html"})
    job = db.session.scalars(sa.select(Job).order_by(Job.id.desc())).first()
    assert job.state == "failed" and "inside our own network" in job.error
    resp = client.post("/desk/articles/import", data={"url": "ftp://example.org/a"})
    assert resp.status_code == 200 and b"http:// or https://" in resp.data
    assert count(Job) == 2 and count(Article) == 0


def test_backoff_grows_by_four_from_the_configured_base(app):
    from factcheck.services.jobs import backoff

    app.config["JOB_RETRY_BASE_SECONDS"] = 30
    assert [backoff(n) for n in (1, 2, 3)] == [30, 120, 480]


def test_reindex_runs_as_a_job_for_admins_only(app, login_as, make_claim):
    make_claim("published")
    assert login_as("editor").post("/desk/jobs/reindex").status_code == 403
    resp = login_as("admin").post("/desk/jobs/reindex")
    job = db.session.scalars(sa.select(Job)).one()
    assert job.kind == "reindex" and job.state == "done" and job.result["indexed"] == 1
    assert resp.headers["Location"].endswith(f"/desk/jobs/{job.id}")


def test_jobs_page_shows_states_and_counts(app, login_as, site):
    client = login_as("fact_checker")
    client.post("/desk/articles/import", data={"url": site.add("/ok.html", article_html(3))})
    client.post("/desk/articles/import", data={"url": site.url + "/gone.html"})
    page = client.get("/desk/jobs").get_data(as_text=True)
    assert "done: 1" in page and "failed: 1" in page and "404" in page
    assert "Harbour report 3" in page


# --- the monitor page, watch lists and alerts ------------------------------------------------


REPEATED = "the harbour budget grew by 14 percent in 2024, to 44 million euros"


@pytest.fixture
def watched_world(app, make_claim, users, site, runner):
    """A published fact-check, a watched speaker, and a feed repeating the claim."""
    from factcheck.services import catalog, monitor

    published = make_claim(
        "published",
        text="The harbour budget grew by 14 percent in 2024, to 44 million euros.",
        speaker="Mayor Odile Varga",
    )
    catalog.create_speaker(users["fact_checker"], "Kasper Lunde")
    db.session.commit()
    monitor.watch_speaker(users["fact_checker"], "kasper lunde")
    items = [
        (
            "Repeat",
            site.add("/a/r.html", article_html(4, speaker="Mayor Odile Varga", statement=REPEATED)),
        ),
        ("Watched", site.add("/a/w.html", article_html(5, speaker="Minister Kasper Lunde"))),
        ("Other", site.add("/a/o.html", article_html(6, speaker="Dr. Mira Solt"))),
    ]
    url = site.add("/feed.xml", rss(items), content_type="application/rss+xml")
    assert runner.invoke(args=["feeds", "add", url, "--source", "Saltmere Courier"]).exit_code == 0
    return published


def test_repeat_and_watched_speaker_raise_notifications_with_links(
    app, users, login_as, watched_world
):
    checker, editor = users["fact_checker"], users["editor"]
    notes = db.session.scalars(sa.select(Notification).order_by(Notification.id)).all()
    repeat_notes = [n for n in notes if n.message.startswith("Repeat of fact-check")]
    watched_notes = [n for n in notes if n.message.startswith("New check-worthy statement")]
    assert {n.user_id for n in repeat_notes} >= {editor.id}
    assert all(n.claim_id == watched_world.id for n in repeat_notes)
    assert watched_notes and {n.user_id for n in watched_notes} == {checker.id}
    assert "Kasper Lunde" in watched_notes[0].message
    page = login_as("fact_checker").get("/account/notifications").get_data(as_text=True)
    assert watched_notes[0].link in page
    assert login_as("fact_checker").get(watched_notes[0].link.split("#")[0]).status_code == 200
    # Nobody else watches the minister; nobody hears about the unwatched speaker.
    assert not any("Mira Solt" in n.message for n in notes)


def test_monitor_page_lists_candidates_best_first_with_filters(app, users, login_as, watched_world):
    client = login_as("fact_checker")
    page = client.get("/desk/monitor").get_data(as_text=True)
    assert "Repeat of published fact-check" in page and f"#{watched_world.id}" in page
    scores = [
        c.score
        for c in db.session.scalars(
            sa.select(ImportCandidate).order_by(
                ImportCandidate.score.desc(), ImportCandidate.id.desc()
            )
        )
    ]
    shown = [
        float(s) for s in __import__("re").findall(r'title="Check-worthiness">([0-9.]+)<', page)
    ]
    assert shown == sorted(shown, reverse=True) and len(shown) == len(scores)

    only_repeats = client.get("/desk/monitor?repeats=y").get_data(as_text=True)
    assert "Odile Varga" in only_repeats and "Mira Solt" not in only_repeats
    watched = client.get("/desk/monitor?watched=y").get_data(as_text=True)
    assert "Kasper Lunde" in watched and "Odile Varga" not in watched
    by_speaker = client.get("/desk/monitor?speaker=solt").get_data(as_text=True)
    assert "Mira Solt" in by_speaker and "Kasper Lunde" not in by_speaker
    none = client.get("/desk/monitor?source=no-such-outlet").get_data(as_text=True)
    assert "No pending candidates match" in none
    high = client.get("/desk/monitor?min_score=0.99").get_data(as_text=True)
    assert "Check-worthiness" not in high
    bad = client.get("/desk/monitor?min_score=7")
    assert bad.status_code == 200 and b"Number must be between" in bad.data


def test_monitor_triage_accepts_as_repeat_and_discards(app, users, login_as, watched_world):
    client = login_as("fact_checker")
    match = db.session.scalars(
        sa.select(CandidateMatch).where(CandidateMatch.match == "same")
    ).first()
    candidate = db.session.get(ImportCandidate, match.candidate_id)
    resp = client.post(
        f"/desk/monitor/candidates/{candidate.id}/accept",
        data={
            "version": candidate.version,
            "same_as": watched_world.id,
            "next": "/desk/monitor?repeats=y",
        },
    )
    assert resp.status_code == 302 and resp.headers["Location"].endswith("/desk/monitor?repeats=y")
    db.session.refresh(candidate)
    assert candidate.state == "accepted" and candidate.claim_id == watched_world.id
    other = db.session.scalars(
        sa.select(ImportCandidate).where(ImportCandidate.state == "pending")
    ).first()
    resp = client.post(
        f"/desk/monitor/candidates/{other.id}/discard",
        data={"version": other.version, "next": "https://evil.example/desk/monitor"},
    )
    assert resp.headers["Location"].endswith("/desk/monitor")  # never an outside address
    db.session.refresh(other)
    assert other.state == "discarded"


def test_monitor_page_runs_a_fixed_number_of_statements(app, login_as, watched_world):
    from sqlalchemy import event

    client = login_as("fact_checker")
    client.get("/desk/monitor")
    statements: list[str] = []

    def record(conn, cursor, statement, *args):  # type: ignore[no-untyped-def]
        statements.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        client.get("/desk/monitor")
    finally:
        event.remove(engine, "before_cursor_execute", record)
    assert len(statements) <= 14, statements


def test_watchlist_pages(app, users, login_as, watched_world):
    client = login_as("fact_checker")
    page = client.get("/desk/watchlist").get_data(as_text=True)
    assert "Kasper Lunde" in page
    resp = client.post("/desk/watchlist", data={"speaker": "Nobody Knownname"})
    assert resp.status_code == 200 and b"Choose a known speaker" in resp.data
    resp = client.post("/desk/watchlist", data={"speaker": "Mayor Odile Varga"})
    assert resp.status_code == 302
    speaker_id = db.session.scalar(
        sa.text("SELECT id FROM speakers WHERE name = 'Mayor Odile Varga'")
    )
    assert client.post(f"/desk/watchlist/{speaker_id}/remove").status_code == 302
    resp = client.post(f"/desk/watchlist/{speaker_id}/remove", follow_redirects=True)
    assert b"not on your watch list" in resp.data


def test_webhook_posts_signed_json_to_the_admins_url(app, users, site, runner, make_claim):
    from factcheck.services import settings

    settings.ensure_settings().webhook_url = site.url + "/hook"
    db.session.commit()
    make_claim(
        "published",
        text="The harbour budget grew by 14 percent in 2024, to 44 million euros.",
        speaker="Mayor Odile Varga",
    )
    article = site.add(
        "/a/r.html", article_html(4, speaker="Mayor Odile Varga", statement=REPEATED)
    )
    feed = site.add("/feed.xml", rss([("Repeat", article)]), content_type="application/rss+xml")
    assert runner.invoke(args=["feeds", "add", feed, "--source", "Saltmere Courier"]).exit_code == 0
    assert len(site.posts) == 1
    path, headers, body = site.posts[0]
    assert path == "/hook" and headers["Content-Type"] == "application/json"
    payload = json.loads(body)
    assert payload["event"] == "repeat" and payload["repeat_of"]["claim_id"] == 1
    assert payload["link"].startswith("http") and "/desk/articles/" in payload["link"]
    secret = hmac.new(
        b"test-secret-key-not-for-production", b"factcheck-webhook", hashlib.sha256
    ).digest()
    timestamp = headers["X-Factcheck-Timestamp"]
    expected = hmac.new(secret, timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    assert headers["X-Factcheck-Signature"] == "sha256=" + expected
    job = db.session.scalars(sa.select(Job).where(Job.kind == "webhook")).one()
    assert job.state == "done" and job.result == {"status": 200}


def test_admin_sets_and_clears_the_webhook_url(app, login_as):
    client = login_as("admin")
    base = {
        "version": 0,
        "site_name": "Factcheck",
        "organization_name": "Desk",
        "organization_url": "http://127.0.0.1:5000/",
        "approvals_required": 1,
        "session_idle_minutes": 60,
        "session_max_hours": 12,
        "tip_email_days": 90,
    }
    resp = client.post("/admin/settings", data={**base, "webhook_url": "javascript:alert(1)"})
    assert resp.status_code == 400
    resp = client.post("/admin/settings", data={**base, "webhook_url": "http://127.0.0.1:9/hook"})
    assert resp.status_code == 302
    from factcheck.services.settings import get_settings

    db.session.expire_all()
    assert get_settings().webhook_url == "http://127.0.0.1:9/hook"


# --- the feeds page ------------------------------------------------------------------------------


def test_feeds_page_adds_pauses_sets_interval_and_polls(app, login_as, site):
    url = articles_feed(site, "/feed.xml", range(1))
    client = login_as("fact_checker")
    resp = client.post(
        "/desk/feeds", data={"url": url, "source": "Saltmere Courier", "interval_minutes": 15}
    )
    assert resp.status_code == 302
    feed = db.session.scalars(sa.select(Feed)).one()
    assert feed.interval_minutes == 15 and feed.last_status == "ok" and count(Article) == 1
    page = client.get("/desk/feeds").get_data(as_text=True)
    assert "1 new of 1 items" in page
    again = client.post("/desk/feeds", data={"url": url, "source": "X", "interval_minutes": 15})
    assert again.status_code == 200 and b"Already watched" in again.data
    bad = client.post("/desk/feeds", data={"url": url + "2", "source": "X", "interval_minutes": 1})
    assert bad.status_code == 200 and count(Feed) == 1
    resp = client.post(f"/desk/feeds/{feed.id}", data={"active": "0", "interval_minutes": 60})
    db.session.refresh(feed)
    assert resp.status_code == 302 and not feed.active and feed.interval_minutes == 60
    make_due()
    from factcheck.services import feeds

    assert feeds.queue_due_polls() == []  # paused feeds are not polled
    resp = client.post(f"/desk/feeds/{feed.id}/poll")
    job = db.session.scalars(sa.select(Job).order_by(Job.id.desc())).first()
    assert job.kind == "poll_feed" and job.result == {"feed_id": feed.id, "skipped": "paused"}
    assert resp.headers["Location"].endswith(f"/desk/jobs/{job.id}")


def test_search_reindex_in_the_background_is_a_job(app, runner, make_claim):
    make_claim("published")
    result = runner.invoke(args=["search", "reindex", "--background"])
    assert result.exit_code == 0 and "Queued as job #1" in result.output
    job = db.session.get(Job, 1)
    assert job.kind == "reindex" and job.state == "done" and job.result["indexed"] == 1


def test_worker_refuses_to_start_in_immediate_mode(app, runner):
    result = runner.invoke(args=["worker"])
    assert result.exit_code == 1 and "JOBS_IMMEDIATE is set" in result.output


def test_entity_declarations_are_refused_in_utf16_too(app):
    from factcheck.services.feeds import FeedError, parse_feed

    with pytest.raises(FeedError, match="declares XML entities"):
        parse_feed(BILLION_LAUGHS.replace("utf-8", "utf-16").encode("utf-16"))


def test_an_item_whose_article_fails_is_marked_failed_and_the_feed_stays_ok(app, runner, site):
    good = site.add("/a/1.html", article_html(1))
    feed = site.add(
        "/feed.xml",
        rss([("Gone", site.url + "/a/gone.html"), ("Fine", good)]),
        content_type="application/rss+xml",
    )
    assert runner.invoke(args=["feeds", "add", feed, "--source", "Saltmere Courier"]).exit_code == 0
    items = {i.url: i for i in db.session.scalars(sa.select(FeedItem))}
    assert items[site.url + "/a/gone.html"].state == "failed"
    assert items[good].state == "imported" and items[good].article_id is not None
    assert db.session.scalars(sa.select(Feed)).one().last_status == "ok"


def test_a_job_left_running_by_a_dead_worker_is_run_again(app, site):
    from datetime import timedelta

    from factcheck.models.base import utcnow
    from factcheck.services import jobs

    url = site.add("/a/1.html", article_html(1))
    job = Job(
        kind="import_url",
        key=url,
        label="stuck",
        params={"url": url, "source": None},
        state="running",
        attempts=1,
        max_attempts=3,
        started_at=utcnow() - timedelta(hours=2),
    )
    db.session.add(job)
    db.session.commit()
    assert jobs.release_stale(60) == 1
    db.session.refresh(job)
    assert (job.state, job.attempts) == ("done", 2) and count(Article) == 1


def test_the_global_fetch_rate_limit_holds_fetches_back(app, login_as, site):
    app.config.update(MONITOR_FETCH_RATE="1/minute", MONITOR_RATE_WAIT=0)
    client = login_as("fact_checker")
    client.post("/desk/articles/import", data={"url": site.add("/a/1.html", article_html(1))})
    client.post("/desk/articles/import", data={"url": site.add("/a/2.html", article_html(2))})
    first, second = db.session.scalars(sa.select(Job).order_by(Job.id)).all()
    assert first.state == "done" and second.state == "failed"
    assert "rate limit" in second.error and site.hits["/a/2.html"] == 0
