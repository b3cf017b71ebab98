"""The wider archive: `factcheck claimreview ingest` and matching against other fact-checkers."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import sqlalchemy as sa

from factcheck.extensions import db
from factcheck.models import ExternalFactCheck, ExternalFactCheckWord

# Fictional organisations and claims, written for these tests.
REVIEWS = [
    {
        "@type": "ClaimReview",
        "url": "https://valleyverify.example.org/checks/bridge-cost",
        "claimReviewed": "The new bridge in Port Ostra cost 41 million euros.",
        "datePublished": "2025-02-01",
        "author": {"@type": "Organization", "name": "Valley Verify"},
        "itemReviewed": {"@type": "Claim", "author": {"@type": "Person", "name": "Ivo Brenn"}},
        "reviewRating": {"@type": "Rating", "alternateName": "Mostly false"},
    },
    {
        "@type": "ClaimReview",
        "url": "https://valleyverify.example.org/checks/tram-riders",
        "claimReviewed": "Tram ridership in Brellin grew by 18 percent in two years.",
        "datePublished": "2025-01-12T09:00:00+00:00",
        "author": {"@type": "Organization", "name": "Valley Verify"},
        "itemReviewed": {"@type": "Claim", "author": {"@type": "Person", "name": "Ada Brine"}},
        "reviewRating": {"@type": "Rating", "alternateName": "True"},
    },
    {
        "@type": "ClaimReview",
        "url": "https://northcheck.example.net/2025/harbour-fees",
        "claimReviewed": "Harbour fees in Saltmere doubled last year.",
        "author": {"@type": "Organization", "name": "North Check"},
        "reviewRating": {"@type": "Rating", "name": "Misleading"},
    },
]


def data_feed(reviews: list[dict]) -> dict:
    return {
        "@context": "https://schema.org",
        "@type": "DataFeed",
        "dataFeedElement": [{"@type": "DataFeedItem", "item": [r]} for r in reviews],
    }


def page_with(reviews: list[dict]) -> str:
    scripts = "".join(
        f'<script type="application/ld+json">{json.dumps({"@context": "https://schema.org", **r})}</script>'
        for r in reviews
    )
    return f"<!doctype html><html><head><title>Checks</title>{scripts}</head><body><p>Hi</p></body></html>"


def count() -> int:
    db.session.expire_all()
    return db.session.scalar(sa.select(sa.func.count(ExternalFactCheck.id)))


def ingest(runner, tmp_path, name: str, content: str):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    return runner.invoke(args=["claimreview", "ingest", str(path)])


def test_a_data_feed_ingests_and_ingesting_again_updates_in_place(runner, tmp_path):
    result = ingest(runner, tmp_path, "feed.json", json.dumps(data_feed(REVIEWS)))
    assert result.exit_code == 0, result.output
    assert "Ingested 3 ClaimReviews: 3 new, 0 updated." in result.output
    bridge = db.session.scalars(
        sa.select(ExternalFactCheck).where(ExternalFactCheck.url.like("%bridge-cost"))
    ).one()
    assert (bridge.publisher, bridge.claimant, bridge.rating_text, str(bridge.reviewed_on)) == (
        "Valley Verify",
        "Ivo Brenn",
        "Mostly false",
        "2025-02-01",
    )

    changed = [dict(REVIEWS[0], reviewRating={"alternateName": "False"}), *REVIEWS[1:]]
    result = ingest(runner, tmp_path, "feed.json", json.dumps(data_feed(changed)))
    assert "3 ClaimReviews: 0 new, 3 updated." in result.output
    assert count() == 3
    assert db.session.get(ExternalFactCheck, bridge.id).rating_text == "False"


def test_a_json_ld_file_and_an_html_page_ingest(runner, tmp_path):
    single = {"@context": "https://schema.org", **REVIEWS[2]}
    assert "1 new" in ingest(runner, tmp_path, "one.jsonld", json.dumps(single)).output
    result = ingest(runner, tmp_path, "page.html", page_with(REVIEWS[:2]))
    assert result.exit_code == 0, result.output
    assert "2 new" in result.output
    assert count() == 3


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("bad.json", '{"@type": "DataFeed", "dataFeedElement": [', "not valid JSON-LD"),
        ("empty.html", "<html><body><p>No reviews here.</p></body></html>", "No ClaimReview"),
        ("other.json", json.dumps({"@type": "NewsArticle", "headline": "x"}), "No ClaimReview"),
        (
            "half.json",
            json.dumps(data_feed([REVIEWS[0], {**REVIEWS[1], "url": ""}])),
            "ClaimReview #2 has no url; nothing was loaded",
        ),
        (
            "noclaim.json",
            json.dumps(data_feed([REVIEWS[0], {**REVIEWS[1], "claimReviewed": None}])),
            "has no claimReviewed",
        ),
        ("deep.json", "[" * 100_000 + "]" * 100_000, "nested too deeply"),
        (
            "deep.html",
            '<html><script type="application/ld+json">' + "[" * 100_000 + "</script></html>",
            "nested too deeply",
        ),
    ],
)
def test_bad_input_gets_a_clear_message_and_loads_nothing(runner, tmp_path, name, content, message):
    result = ingest(runner, tmp_path, name, content)
    assert result.exit_code == 1
    assert message in result.output
    assert "Traceback" not in result.output
    assert count() == 0


def test_a_file_over_the_limit_is_refused(app, runner, tmp_path):
    app.config["CLAIMREVIEW_MAX_BYTES"] = 1000
    result = ingest(runner, tmp_path, "feed.json", json.dumps(data_feed(REVIEWS * 5)))
    assert result.exit_code == 1 and "larger than the 1,000 byte limit" in result.output
    assert count() == 0
    result = runner.invoke(args=["claimreview", "ingest", str(tmp_path / "missing.json")])
    assert result.exit_code == 1 and "There is no file" in result.output


class _Feeds(BaseHTTPRequestHandler):
    routes: dict[str, tuple[str, bytes]] = {}

    def do_GET(self) -> None:  # noqa: N802
        ctype, body = self.routes.get(self.path, ("text/plain", b"missing"))
        self.send_response(200 if self.path in self.routes else 404)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def feed_site():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Feeds)
    _Feeds.routes = {
        "/feed.json": ("application/json", json.dumps(data_feed(REVIEWS)).encode()),
        "/check.html": ("text/html; charset=utf-8", page_with(REVIEWS[:1]).encode()),
        "/image.png": ("image/png", b"\x89PNG"),
    }
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_ingest_by_url_uses_the_import_fetcher_and_its_address_checks(app, runner, feed_site):
    refused = runner.invoke(args=["claimreview", "ingest", f"{feed_site}/feed.json"])
    assert refused.exit_code == 1 and "inside our own network" in refused.output
    app.config.update(IMPORT_ALLOW_PRIVATE_ADDRESSES=True, IMPORT_FETCH_TIMEOUT=2)
    for path, expected in [("/feed.json", "3 new"), ("/check.html", "0 new, 1 updated")]:
        result = runner.invoke(args=["claimreview", "ingest", feed_site + path])
        assert result.exit_code == 0 and expected in result.output, result.output
    result = runner.invoke(args=["claimreview", "ingest", f"{feed_site}/image.png"])
    assert (
        result.exit_code == 1 and "serves image/png, not JSON-LD or an HTML page" in result.output
    )
    assert count() == 3


def test_matching_suggests_other_organisations_fact_checks(
    client, runner, tmp_path, make_claim, login_as, api_token
):
    ingest(runner, tmp_path, "feed.json", json.dumps(data_feed(REVIEWS)))
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ExternalFactCheckWord)) > 5
    ours = make_claim("published", text="Port Ostra's new bridge cost €41m.", speaker="Ivo Brenn")

    items = client.get(f"/api/v1/claims/{ours.id}/similar").get_json()["items"]
    [external] = [i for i in items if "external" in i]
    assert external["match"] == "same"
    assert external["external"] == {
        "id": external["external"]["id"],
        "url": "https://valleyverify.example.org/checks/bridge-cost",
        "publisher": "Valley Verify",
        "claim": "The new bridge in Port Ostra cost 41 million euros.",
        "claimant": "Ivo Brenn",
        "rating": "Mostly false",
        "date": "2025-02-01",
    }
    assert "claim" not in external

    desk = login_as("fact_checker")
    rows = desk.get(
        "/desk/claims/similar?text=Tram ridership in Brellin grew 18% in two years"
    ).get_json()
    assert [(r["publisher"], r["match"]) for r in rows if r.get("external")] == [
        ("Valley Verify", "same")
    ]
    page = desk.get("/desk/external?q=Brellin tram ridership").get_data(as_text=True)
    assert "Tram ridership in Brellin grew by 18 percent" in page and "Ada Brine" in page
    assert "Port Ostra" not in page
    assert "No other organisation" in desk.get("/desk/external?q=volcano").get_data(as_text=True)
    assert client.get("/desk/external?q=bridge").status_code == 302  # the desk only


# --- ingest as a job: the desk's upload or URL, and `claimreview ingest --queue` ---------


def upload(client, content: str, name: str = "feed.json"):
    import io

    return client.post(
        "/desk/external",
        data={"file": (io.BytesIO(content.encode()), name), "url": ""},
        content_type="multipart/form-data",
    )


def test_the_desk_uploads_a_data_feed_as_a_job_and_its_page_tells_the_result(app, login_as):
    from factcheck.models import Job, JobPayload

    client = login_as("fact_checker")
    page = client.get("/desk/external").get_data(as_text=True)
    assert "Load ClaimReviews" in page and 'type="file"' in page
    resp = upload(client, json.dumps(data_feed(REVIEWS)))
    assert resp.status_code == 302 and "/desk/jobs/" in resp.headers["Location"]
    job = db.session.scalars(sa.select(Job).where(Job.kind == "claimreview_ingest")).one()
    assert job.state == "done" and job.result["added"] == 3
    assert db.session.get(JobPayload, job.id) is None  # the upload is not kept once loaded
    shown = client.get(resp.headers["Location"]).get_data(as_text=True)
    assert "Loaded 3 ClaimReviews from feed.json: 3 new, 0 updated." in shown
    assert count() == 3
    # The page lists recent loads, and the search finds what was loaded.
    page = client.get("/desk/external", query_string={"q": "bridge Port Ostra"}).get_data(
        as_text=True
    )
    assert f"#{job.id} done" in page and "Valley Verify" in page


def test_a_bad_upload_fails_the_job_with_its_reason_and_loads_nothing(app, login_as):
    from factcheck.models import Job

    client = login_as("editor")
    half = json.dumps(data_feed([REVIEWS[0], {**REVIEWS[1], "claimReviewed": ""}]))
    resp = upload(client, half)
    job = db.session.scalars(sa.select(Job)).one()
    assert job.state == "failed" and job.attempts == 1  # a refusal is not retried
    assert "has no claimReviewed; nothing was loaded" in job.error
    assert "nothing was loaded" in client.get(resp.headers["Location"]).get_data(as_text=True)
    assert count() == 0
    # Neither a file nor an address: said on the form, nothing queued.
    resp = client.post("/desk/external", data={"url": ""})
    assert resp.status_code == 200 and b"Choose a file or give a web address" in resp.data
    resp = upload(client, "x", name="feed.exe")
    assert resp.status_code == 200 and b"Upload a .json, .jsonld or .html file" in resp.data
    assert db.session.scalar(sa.select(sa.func.count(Job.id))) == 1


def test_only_staff_load_claimreviews(app, client, users, login_as):
    from factcheck.models import Job

    resp = upload(client, json.dumps(data_feed(REVIEWS)))  # anonymous
    assert resp.status_code == 302 and "/login" in resp.headers["Location"]
    assert client.get("/desk/external").status_code == 302
    for role in ("fact_checker", "editor", "admin"):
        assert login_as(role).get("/desk/external").status_code == 200
    assert db.session.scalar(sa.select(sa.func.count(Job.id))) == 0 and count() == 0


def test_the_desk_ingests_a_url_through_a_job_with_the_fetchers_checks(app, login_as, feed_site):
    from factcheck.models import Job

    client = login_as("fact_checker")
    resp = client.post("/desk/external", data={"url": f"{feed_site}/feed.json"})
    job = db.session.scalars(sa.select(Job)).one()
    assert job.state == "failed" and "inside our own network" in job.error
    app.config.update(IMPORT_ALLOW_PRIVATE_ADDRESSES=True, IMPORT_FETCH_TIMEOUT=2)
    resp = client.post("/desk/external", data={"url": f"{feed_site}/feed.json"})
    done = db.session.get(Job, int(resp.headers["Location"].rsplit("/", 1)[1]))
    assert done.state == "done" and done.result["added"] == 3 and count() == 3


def test_a_retried_ingest_job_loads_nothing_twice(app, users, monkeypatch):
    """The first attempt stores the reviews, then fails before the job is marked done
    (a worker lost, a database hiccup); the retry reads the same file again and
    updates the rows in place: no review and no search word is there twice."""
    from factcheck.models import Job
    from factcheck.services import external, jobs

    real_ingest = external.ingest
    attempts: list[int] = []

    def ingest_then_fail_once(reviews):
        report = real_ingest(reviews)
        attempts.append(report.added)
        if len(attempts) == 1:
            raise ConnectionError("the database went away after the commit")
        return report

    monkeypatch.setattr(external, "ingest", ingest_then_fail_once)
    with jobs.inline():
        job = external.queue_ingest(
            users["editor"], data=json.dumps(data_feed(REVIEWS)).encode(), filename="feed.json"
        )
    db.session.expire_all()
    job = db.session.get(Job, job.id)
    assert (job.state, job.attempts) == ("done", 2)
    assert attempts == [3, 0]  # the retry added nothing: all three were updated in place
    assert job.result == {"ingested": 3, "added": 0, "updated": 3, "source": "feed.json"}
    assert count() == 3
    urls = db.session.scalars(sa.select(ExternalFactCheck.url)).all()
    assert len(urls) == len(set(urls)) == 3
    words_before = db.session.execute(
        sa.select(ExternalFactCheckWord.factcheck_id, ExternalFactCheckWord.stem)
    ).all()
    assert len(words_before) == len(set(words_before))


def test_the_cli_queues_an_ingest_with_queue(app, runner, tmp_path):
    from factcheck.models import Job

    path = tmp_path / "feed.json"
    path.write_text(json.dumps(data_feed(REVIEWS)), encoding="utf-8")
    result = runner.invoke(args=["claimreview", "ingest", "--queue", str(path)])
    assert result.exit_code == 0 and "Queued as job #1" in result.output, result.output
    assert db.session.get(Job, 1).state == "done" and count() == 3  # JOBS_IMMEDIATE in tests
    result = runner.invoke(args=["claimreview", "ingest", "--queue", str(tmp_path / "nope.json")])
    assert result.exit_code == 1 and "There is no file" in result.output
