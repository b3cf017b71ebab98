"""Nothing unpublished reaches the public, and pages cost a fixed number of queries.

The leak test builds claims in every workflow state with a distinctive word in
every field, crawls the whole public site (pages, feeds, sitemap, ClaimReview
DataFeed, search) and the anonymous API (lists, claims, speakers, sources,
search, similar claims, following every link the JSON gives) and asserts none
of those words appears anywhere. Published claims carry unapproved changes
too: a correction's proposed text and speaker, evidence added or edited since
publication, internal notes.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Iterator
from urllib.parse import parse_qsl, quote, urlsplit

import pytest
import sqlalchemy as sa
from markupsafe import escape
from sqlalchemy import event

from factcheck.extensions import db
from factcheck.models import Claim
from factcheck.services import claims as claim_service
from factcheck.services import reviews, verdicts
from factcheck.workflow import Action

from .public_support import (
    add_evidence,
    approve,
    claim_in,
    claim_url,
    internal_links,
    make_outlet,
    open_correction,
)

# Pages a reader can reach; the desk, admin and sign-in are other people's business.
PUBLIC_PREFIXES = (
    "/claims", "/speakers/", "/sources/", "/search", "/feed.atom", "/sitemap.xml",
    "/claimreview.json", "/api/v1/",
)  # fmt: skip
API_LINK = re.compile(r'"https?://[^/"]+(/(?:api/v1/|claims/|speakers/|sources/)[^"]*)"')


# --- the leak test ------------------------------------------------------------


def build_every_state(make_claim, users) -> tuple[dict[str, str], list[str]]:
    """Claims in every state: returns {marker: where it was put} and unpublished claims' URLs."""
    checker, editor = users["fact_checker"], users["editor"]
    markers: dict[str, str] = {}

    def mark(word: str, where: str) -> str:
        markers[word] = where
        return word

    hidden_source, hidden_article = make_outlet(
        mark("Zqlogsource", "source of an unpublished claim") + " Gazette",
        title=mark("zqlogarticle", "article of an unpublished claim") + " on harbour fees",
        url="https://gazette.example.org/" + mark("zqlogarticleurl", "article URL"),
    )
    logged = claim_in(
        make_claim,
        "logged",
        text=mark("zqlogtext", "logged claim text") + " says the harbour fees doubled.",
        speaker=mark("Zqlogspeaker", "speaker with only unpublished claims") + " Person",
        speaker_title=mark("zqlogspeakertitle", "that speaker's title"),
        quote=mark("zqlogquote", "quote"),
        context=mark("zqlogcontext", "context"),
        internal_notes=mark("zqlognotes", "internal notes"),
        tags=[mark("Zqlogtag", "tag used only by an unpublished claim")],
        source_id=hidden_source.id,
        article_id=hidden_article.id,
    )

    researching = make_claim(
        "researching",
        text=mark("zqrestext", "researching claim text") + " says the harbour fees tripled.",
        internal_notes=mark("zqresnotes", "internal notes of a researching claim"),
    )
    add_evidence(
        users,
        researching,
        url="https://evidence.example.org/" + mark("zqresevidenceurl", "evidence URL"),
        title=mark("zqresevidence", "evidence title"),
        excerpt=mark("zqresexcerpt", "evidence excerpt"),
        publisher=mark("zqrespublisher", "evidence publisher"),
    )
    verdicts.save_draft(
        checker,
        researching,
        0,
        verdicts.DraftInput(
            rating="true",
            summary=mark("zqresdraftsummary", "draft summary"),
            explanation=mark("zqresdraftexpl", "draft explanation"),
        ),
    )

    in_review = claim_in(
        make_claim,
        "in_review",
        text=mark("zqrevtext", "in-review claim text") + " says the harbour fees fell.",
        summary=mark("zqrevsummary", "submitted summary"),
        tags=[mark("Zqrevtag", "tag of an in-review claim")],
    )
    add_evidence(users, in_review, citation=mark("zqrevcitation", "evidence citation"))

    sent_back = make_claim(
        "in_review",
        text=mark("zqsenttext", "sent-back claim text") + " says the harbour closed.",
        summary=mark("zqsentsummary", "sent-back summary"),
    )
    reviews.transition(
        editor, sent_back, Action.SEND_BACK, comment=mark("zqsendback", "send-back comment")
    )

    published = make_claim(
        "published",
        text="The harbour handled nine million tonnes last year.",
        internal_notes=mark("zqpubnotes", "internal notes of a published claim"),
    )
    dismissed = make_claim(
        "researching",
        text=mark("zqdismtext", "dismissed claim text") + " says the harbour will double.",
        speaker=mark("Zqdismspeaker", "speaker of a dismissed claim") + " Person",
    )
    reviews.transition(
        editor,
        dismissed,
        Action.DISMISS,
        reason="not_check_worthy",
        comment=mark("zqdismissnote", "dismiss note"),
    )
    duplicate = make_claim("researching", text=mark("zqduptext", "duplicate claim") + " again.")
    reviews.transition(
        editor,
        duplicate,
        Action.DISMISS,
        reason="duplicate",
        duplicate_of=published.id,
        comment=mark("zqdupnote", "duplicate note"),
    )
    markers["Not check-worthy"] = "dismiss reason label"
    for slug in ("zqlogspeaker-person", "zqdismspeaker-person", "zqlogsource-gazette"):
        markers[slug] = "slug of a speaker or source with only unpublished claims"
    markers["zqlogtag"] = markers["zqrevtag"] = "slug of a tag on unpublished claims only"

    open_correction(
        users,
        published,
        mark("zqcorrnote", "correction note of a correction in review"),
        summary=mark("zqcorrsummary", "summary of a correction in review"),
        explanation=mark("zqcorrexpl", "explanation of a correction in review"),
        rating="true",
    )
    add_evidence(
        users,
        published,
        url="https://evidence.example.org/new",
        title=mark("zqcorrevidence", "evidence added during a correction"),
    )
    # The correction also proposes new public fields: they wait for another editor.
    fresh = claim_service.get_claim(published.id)
    claim_service.update_claim(
        users["editor"],
        fresh,
        fresh.version,
        claim_service.ClaimInput(
            text=mark("zqproptext", "claim text proposed in a correction") + " nine tonnes.",
            speaker=mark("Zqpropspeaker", "speaker proposed in a correction") + " Person",
            quote=mark("zqpropquote", "quote proposed in a correction"),
            stated_on=fresh.stated_on,
            tags=[mark("Zqproptag", "tag proposed in a correction")],
        ),
        {},
    )
    markers["zqpropspeaker-person"] = markers["zqproptag"] = "slug proposed in a correction"

    # Evidence of a published claim edited after publication, with no correction open.
    settled = make_claim("published", text="The port employs four thousand people.")
    first = claim_service.evidence_for(settled.id)[0]
    claim_service.update_evidence(
        checker,
        first,
        first.version,
        claim_service.EvidenceInput(
            stance="supports",
            url=first.url,
            title=mark("zqeditedevidence", "evidence title edited after publication"),
        ),
    )

    corrected = make_claim("published", text="The tram network grew by forty kilometres.")
    open_correction(users, corrected, "We had the length wrong; it is forty-two kilometres.")
    approve(users, corrected)

    unpublished = [logged, researching, in_review, sent_back, dismissed, duplicate]
    return markers, [f"/claims/{c.id}" for c in unpublished] + [claim_url(c) for c in unpublished]


def without_echo(body: str, url: str) -> str:
    """The body minus what the reader typed into the URL (echoing input back is no leak)."""
    parts = urlsplit(url)
    typed = [value for _, value in parse_qsl(parts.query)] + parts.path.split("/")[3:]
    for value in typed:
        for form in (value, str(escape(value)), quote(value)):
            if form:
                body = body.replace(form, "")
    return body


def leaks(body: str, markers: dict[str, str]) -> list[str]:
    """Markers found, case-sensitively, in the markup or in the text (<mark> splits words)."""
    text = re.sub(r"<[^>]+>", "", body)
    return [f"{m} ({where})" for m, where in markers.items() if m in body or m in text]


def crawl(client, start: list[str]) -> Iterator[tuple[str, int, str]]:
    queue, seen = deque(start), set(start)
    while queue:
        url = queue.popleft()
        resp = client.get(url)
        body = resp.get_data(as_text=True)
        yield url, resp.status_code, body
        links = internal_links(body) if resp.mimetype == "text/html" else []
        if resp.mimetype == "application/json":
            # Links the JSON gives (api_url, url, next, claims_url), as paths on this site.
            links = [link.replace("\\u0026", "&") for link in API_LINK.findall(body)]
        if url == "/sitemap.xml":
            links = [urlsplit(loc).path for loc in re.findall(r"<loc>([^<]+)</loc>", body)]
        for link in links:
            if (
                (link == "/" or link.startswith(PUBLIC_PREFIXES))
                and link not in seen
                and len(seen) < 400
            ):
                seen.add(link)
                queue.append(link)


def test_nothing_unpublished_appears_anywhere_public(client, make_claim, users):
    """Every public page, feed and search stays silent about unpublished work.

    Decision: a speaker or source known only from unpublished claims does not
    exist for the public (404), and a filter naming one says it has no
    published fact-checks, exactly as for a slug that never existed.
    """
    markers, unpublished_urls = build_every_state(make_claim, users)
    # Searches use an upper-case prefix of each marker: it matches (search ignores case and
    # matches prefixes), yet its echo in the page can never be mistaken for the marker.
    probes = [quote(m[:-2].upper()) for m in markers if " " not in m]
    start = [
        "/",
        "/claims",
        "/search",
        "/feed.atom",
        "/sitemap.xml",
        "/claimreview.json",
        "/ratings.css",
    ]
    start += [f"/search?q={p}" for p in probes] + [f"/claims?q={p}" for p in probes]
    start += [f"/api/v1/claims?q={p}" for p in probes] + [f"/api/v1/search?q={p}" for p in probes]
    ids = db.session.scalars(sa.select(Claim.id).order_by(Claim.id)).all()
    start += [f"/api/v1/claims/{i}" for i in ids] + [f"/api/v1/claims/{i}/similar" for i in ids]
    start += ["/api/v1/claims", "/api/v1/speakers", "/api/v1/sources", "/api/v1/ratings"]
    start += [
        "/api/v1/claims?speaker=zqlogspeaker-person",
        "/api/v1/speakers/zqlogspeaker-person",
        "/api/v1/speakers/zqpropspeaker-person",
        "/api/v1/sources/zqlogsource-gazette",
    ]
    start += ["/search?q=harbour", "/search?q=harbour+fees", "/claims?q=harbour"]
    start += [
        "/claims?speaker=zqlogspeaker-person",
        "/claims?speaker=zqdismspeaker-person",
        "/claims?source=zqlogsource-gazette",
        "/claims?tag=zqlogtag",
        "/claims?tag=zqrevtag",
        "/speakers/zqlogspeaker-person",
        "/speakers/zqdismspeaker-person",
        "/sources/zqlogsource-gazette",
        *unpublished_urls,
    ]

    visited = {}
    for url, status, body in crawl(client, start):
        visited[url] = status
        leaked = leaks(without_echo(body, url), markers)
        assert not leaked, f"{url} shows {leaked}"

    for url in [*unpublished_urls, "/speakers/zqlogspeaker-person", "/sources/zqlogsource-gazette"]:
        assert visited[url] == 404, url
    assert visited["/speakers/alma-testperson"] == 200
    assert sum(1 for url in visited if url.startswith("/claims/")) >= len(unpublished_urls) + 2
    assert all(status in (200, 301, 404) for status in visited.values()), visited
    assert sum(1 for url in visited if url.startswith("/api/v1/")) >= 2 * len(ids) + 4
    for claim_id in ids:  # an unpublished claim does not exist for the anonymous API
        public = db.session.get(Claim, claim_id).is_public
        assert visited[f"/api/v1/claims/{claim_id}"] == (200 if public else 404)
    # The published claim in correction still shows its published verdict and text.
    harbour = client.get("/search?q=harbour").get_data(as_text=True)
    assert "nine million tonnes" in harbour
    port = client.get("/api/v1/search?q=port").get_data(as_text=True)
    assert "four thousand" in port
    assert "fees" not in harbour


# --- the query budget -----------------------------------------------------------


@pytest.fixture
def statements(app) -> Iterator[list[str]]:
    seen: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany) -> None:  # noqa: ANN001
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    yield seen
    event.remove(db.engine, "before_cursor_execute", record)


def statements_for(client, seen: list[str], url: str) -> int:
    client.get(url)  # first request: settings and the like are read once per app context
    seen.clear()
    resp = client.get(url)
    assert resp.status_code == 200, url
    return len(seen)


def test_public_pages_run_a_fixed_number_of_queries(client, make_claim, users, statements):
    courier, article = make_outlet("The Fictional Courier")

    def publish(n: int) -> None:
        claim_in(
            make_claim,
            text=f"The city resurfaced {n} roads in the old town.",
            tags=["Roads", f"District {n % 4}"],
            source_id=courier.id,
            article_id=article.id,
        )

    for n in range(3):
        publish(n)
    subject = make_claim("published", text="The ring road cost 40 million roads dollars.")
    pages = [
        "/",
        "/claims",
        "/claims?q=roads&rating=false&tag=roads",
        claim_url(subject),
        "/speakers/alma-testperson",
        f"/sources/{courier.slug}",
        "/search?q=roads",
        "/feed.atom",
        "/claimreview.json",
        "/sitemap.xml",
    ]
    few = {url: statements_for(client, statements, url) for url in pages}

    for n in range(3, 15):
        publish(n)
    open_correction(users, subject, "New figures.", summary="The ring road cost 41 million.")
    for n in range(3):
        add_evidence(users, subject, url=f"https://evidence.example.org/{n}", title=f"Source {n}")
    approve(users, subject)
    db.session.refresh(subject)
    many = {url: statements_for(client, statements, url) for url in pages}

    assert many == few
    assert few[claim_url(subject)] <= 8, few
    # The filtered and searched list is the busiest: the full-text look-up (statistics,
    # ids, ranking), the filters' rows, the page and its relations.
    assert max(few.values()) <= 12, few
