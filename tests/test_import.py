"""Article import through the CLI and the desk, claim matching, and fetching by URL."""

from __future__ import annotations

import io
import json
import threading
import time
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import sqlalchemy as sa

from factcheck.extensions import db
from factcheck.models import Appearance, Article, AuditEvent, Claim, ImportCandidate, Speaker

_SAMPLE_NAME = "interfax-2025-02-13-hegseth.txt"
# shared/ sits beside the checkout (../shared/samples); a worktree is one level deeper.
SAMPLE = next(
    (
        root / "shared" / "samples" / _SAMPLE_NAME
        for root in Path(__file__).resolve().parents[1:4]
        if (root / "shared" / "samples" / _SAMPLE_NAME).is_file()
    ),
    Path(__file__).resolve().parents[2] / "shared" / "samples" / _SAMPLE_NAME,
)
needs_sample = pytest.mark.skipif(not SAMPLE.exists(), reason=f"the real sample is not at {SAMPLE}")

FICTIONAL = """date 2025-03-02 Harbour Gazette
Economy
09:15 02.03.2025

Port director defends fee increase

Port director Lena Marsh said on Monday that fees at the Saltmere port rose by 12% in 2024.
She noted that the port handled 2.4 million containers last year, more than any other port in the region.
Marsh added that the new terminal is the best thing that has ever happened to the city.
"""

HTML_PAGE = """<!doctype html><html><head><title>Council vote on trams</title>
<meta property="og:site_name" content="Valley Post"></head><body><article>
<h1>Council vote on trams</h1>
<p>Councillor Ivo Brenn said that the tram line will cost 85 million euros, twice the original estimate.</p>
<p>He added that ridership grew by 18 percent in two years, according to the transport office.</p>
</article></body></html>"""


@needs_sample
def test_cli_imports_the_real_sample_as_json(runner):
    result = runner.invoke(args=["import-article", str(SAMPLE), "--json"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    article = payload["article"]
    assert article["source"] == "Interfax-Ukraine"
    assert article["published_at"] == "2025-02-13T12:23:00"
    assert article["title"] == "Pentagon Chief Hegseth: USA does not betray Ukraine"
    candidates = payload["candidates"]
    assert {c["speaker"] for c in candidates} == {"Pete Hegseth"}
    assert all(c["speaker_title"] == "Pentagon Chief" for c in candidates)
    scores = [c["score"] for c in candidates]
    assert scores == sorted(scores, reverse=True)
    five = next(c for c in candidates if "5%" in c["text"])
    praise = next(c for c in candidates if "best negotiator" in c["text"])
    assert five["score"] >= 0.6 and praise["score"] < 0.3
    assert all(c["reasons"] for c in candidates if c["score"] > 0)
    again = json.loads(runner.invoke(args=["import-article", str(SAMPLE), "--json"]).output)
    assert again["article"]["already_imported"] is True and again["article"]["id"] == article["id"]
    assert db.session.scalar(sa.select(sa.func.count(Article.id))) == 1


@needs_sample
def test_fact_checker_imports_the_sample_in_the_desk_and_accepts_a_candidate(login_as, users):
    client = login_as("fact_checker")
    resp = client.post("/desk/articles/import", data={"text": SAMPLE.read_text()})
    assert resp.status_code == 302
    review = client.get(resp.headers["Location"]).get_data(as_text=True)
    assert "Interfax-Ukraine" in review and "2025-02-13 12:23" in review
    five = db.session.scalars(
        sa.select(ImportCandidate).where(ImportCandidate.text.like("%5%%"))
    ).first()
    resp = client.post(
        f"/desk/candidates/{five.id}/accept",
        data={
            "version": five.version,
            "text": "The US demands that European allies spend 5% of GDP on defence.",
            "speaker": five.speaker_name,
            "speaker_title": five.speaker_title,
        },
    )
    assert resp.status_code == 302
    claim = db.session.scalars(sa.select(Claim)).one()
    assert claim.status == "logged" and claim.text.startswith("The US demands")
    assert claim.speaker.name == "Pete Hegseth" and claim.speaker.title == "Pentagon Chief"
    assert claim.source.name == "Interfax-Ukraine" and claim.article.title.startswith(
        "Pentagon Chief Hegseth"
    )
    assert claim.stated_on == date(2025, 2, 13)
    assert claim.checkworthiness == five.score
    db.session.expire_all()
    assert db.session.get(ImportCandidate, five.id).state == "accepted"


def test_accept_matches_existing_speaker_by_alias_regardless_of_case_and_diacritics(
    login_as, users
):
    from factcheck.services import catalog

    existing = catalog.create_speaker(
        users["editor"], "Léna Mârsh", aliases=["Port director Marsh"]
    )
    db.session.commit()
    client = login_as("fact_checker")
    client.post("/desk/articles/import", data={"text": FICTIONAL})
    candidate = db.session.scalars(
        sa.select(ImportCandidate).order_by(ImportCandidate.score.desc())
    ).first()
    client.post(
        f"/desk/candidates/{candidate.id}/accept",
        data={"version": candidate.version, "text": candidate.text, "speaker": "LENA MARSH"},
    )
    assert db.session.scalars(sa.select(Claim)).one().speaker_id == existing.id
    assert db.session.scalar(sa.select(sa.func.count(Speaker.id))) == 1


def test_praise_scores_below_a_numeric_claim_in_a_fictional_article(login_as):
    client = login_as("fact_checker")
    client.post("/desk/articles/import", data={"text": FICTIONAL})
    rows = {c.text: c.score for c in db.session.scalars(sa.select(ImportCandidate))}
    fees = next(s for t, s in rows.items() if "12%" in t)
    praise = next(s for t, s in rows.items() if "best thing" in t)
    assert fees > praise


def test_same_as_links_to_the_earlier_claim_instead_of_a_duplicate(login_as, make_claim):
    earlier = make_claim(
        "published", text="Fees at the Saltmere port rose by 12% in 2024.", speaker="Lena Marsh"
    )
    client = login_as("fact_checker")
    client.post("/desk/articles/import", data={"text": FICTIONAL})
    candidate = db.session.scalars(
        sa.select(ImportCandidate).where(ImportCandidate.text.like("%12%%"))
    ).first()
    page = client.get(f"/desk/articles/{candidate.article_id}").get_data(as_text=True)
    assert f'name="same_as" value="{earlier.id}"' in page  # offered as a match
    client.post(
        f"/desk/candidates/{candidate.id}/accept",
        data={
            "version": candidate.version,
            "text": candidate.text,
            "speaker": "Lena Marsh",
            "same_as": earlier.id,
        },
    )
    assert db.session.scalar(sa.select(sa.func.count(Claim.id))) == 1
    # The repeat is recorded as an appearance of the earlier claim, pending an editor.
    appearance = db.session.scalars(sa.select(Appearance)).one()
    assert (appearance.claim_id, appearance.status) == (earlier.id, "pending")
    assert appearance.article_id == candidate.article_id
    assert appearance.text == candidate.text and appearance.speaker_name == "Lena Marsh"
    event = db.session.scalars(
        sa.select(AuditEvent).where(AuditEvent.action == "appearance.add")
    ).one()
    assert event.claim_id == earlier.id


def test_similar_claims_endpoint_ranks_published_first(login_as, make_claim):
    published = make_claim(
        "published", text="The port handled 2.4 million containers last year.", speaker="Lena Marsh"
    )
    logged = make_claim(
        "logged", text="The port handled 2.4 million containers last year!", speaker="Lena Marsh"
    )
    rows = (
        login_as("fact_checker")
        .get("/desk/claims/similar?text=The port handled 2.4 million containers in 2024")
        .get_json()
    )
    assert [r["id"] for r in rows[:2]] == [published.id, logged.id]
    assert 0.5 <= rows[0]["score"] <= 1


def test_upload_txt_and_html_files(login_as):
    client = login_as("fact_checker")
    resp = client.post(
        "/desk/articles/import",
        data={"file": (io.BytesIO(FICTIONAL.encode()), "port.txt")},
        content_type="multipart/form-data",
    )
    assert resp.status_code == 302
    resp = client.post(
        "/desk/articles/import",
        data={"file": (io.BytesIO(HTML_PAGE.encode()), "trams.html"), "source": "Valley Post"},
        content_type="multipart/form-data",
    )
    assert resp.status_code == 302
    article = db.session.scalars(sa.select(Article).where(Article.format == "html")).one()
    assert article.title == "Council vote on trams"
    speakers = {
        c.speaker_name
        for c in db.session.scalars(
            sa.select(ImportCandidate).where(ImportCandidate.article_id == article.id)
        )
    }
    assert "Ivo Brenn" in speakers
    bad = client.post(
        "/desk/articles/import",
        data={"file": (io.BytesIO(b"\x00\x01binary"), "x.pdf")},
        content_type="multipart/form-data",
    )
    assert bad.status_code == 200 and b"Upload a .txt or .html file" in bad.data


def test_empty_and_garbage_input_gets_a_clear_message(login_as):
    client = login_as("fact_checker")
    resp = client.post("/desk/articles/import", data={"text": ""})
    assert resp.status_code == 200 and b"Paste the article" in resp.data
    resp = client.post("/desk/articles/import", data={"text": "\x00\x01\x02\x03" * 100})
    assert resp.status_code == 200 and (b"form-errors" in resp.data or b"field-error" in resp.data)
    assert db.session.scalar(sa.select(sa.func.count(Article.id))) == 0


class _Handler(BaseHTTPRequestHandler):
    routes: dict[str, tuple[int, str, bytes, float]] = {}

    def do_GET(self) -> None:  # noqa: N802
        status, ctype, body, delay = self.routes.get(self.path, (404, "text/plain", b"missing", 0))
        time.sleep(delay)
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def local_site():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    _Handler.routes = {
        "/article.html": (200, "text/html; charset=utf-8", HTML_PAGE.encode(), 0),
        "/slow": (200, "text/html", HTML_PAGE.encode(), 2),
        "/big": (200, "text/html", b"<p>" + b"x" * 50_000 + b"</p>", 0),
        "/pdf": (200, "application/pdf", b"%PDF-1.4", 0),
    }
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_import_by_url_from_a_local_server(app, login_as, local_site):
    """The page is fetched by a background job; the job's page shows the result or reason."""
    app.config.update(
        IMPORT_ALLOW_PRIVATE_ADDRESSES=True,
        IMPORT_FETCH_TIMEOUT=0.5,
        IMPORT_MAX_BYTES=20_000,
        JOB_MAX_ATTEMPTS=1,
    )
    client = login_as("fact_checker")
    resp = client.post(
        "/desk/articles/import", data={"url": f"{local_site}/article.html", "source": "Valley Post"}
    )
    assert resp.status_code == 302 and "/desk/jobs/" in resp.headers["Location"]
    assert b"Review the candidates" in client.get(resp.headers["Location"]).data
    assert db.session.scalars(sa.select(Article)).one().url == f"{local_site}/article.html"
    for path, message in [
        ("/slow", b"did not send the page within 0.5 seconds"),
        ("/big", b"import limit"),
        ("/pdf", b"application/pdf"),
        ("/missing", b"404"),
    ]:
        resp = client.post("/desk/articles/import", data={"url": local_site + path})
        assert resp.status_code == 302, path
        page = client.get(resp.headers["Location"])
        assert b"failed" in page.data and message in page.data, path
    resp = client.post("/desk/articles/import", data={"url": "ftp://example.org/a.txt"})
    assert b"http:// or https://" in resp.data
    assert db.session.scalar(sa.select(sa.func.count(Article.id))) == 1


def test_private_addresses_are_refused_by_default(login_as, local_site):
    client = login_as("fact_checker")
    resp = client.post("/desk/articles/import", data={"url": f"{local_site}/article.html"})
    assert resp.status_code == 302
    assert b"inside our own network" in client.get(resp.headers["Location"]).data


def test_anonymous_cannot_import(client):
    resp = client.post("/desk/articles/import", data={"text": FICTIONAL})
    assert resp.status_code == 302 and "/login" in resp.headers["Location"]
    assert db.session.scalar(sa.select(sa.func.count(Article.id))) == 0
