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
