"""The public site: published fact-checks, speakers, sources, search and feeds.

Views are thin: parse the query string, ask ``factcheck.reads`` for public rows only,
render. Every GET answers with an ETag and honours If-None-Match (304).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

from flask import Response, current_app, jsonify, redirect, render_template, request, url_for
from werkzeug.wrappers import Response as BaseResponse

from ..errors import NotFound, tr
from ..extensions import db
from ..limits import MAX_QUERY_CHARS, is_id
from ..models import Claim, Source, Speaker
from ..reads import claims as claim_reads
from ..reads import profiles
from ..reads import ratings as rating_reads
from ..reads import sources as source_reads
from ..reads import speakers as speaker_reads
from ..reads.claims import ClaimFilter
from ..search import highlight, parse_query, search_claims
from ..services import appearances, claimreview
from ..services.claims import LANGUAGES as CLAIM_LANGUAGES
from ..services.settings import get_settings
from ..web.hosts import external_url, site_root
from ..web.i18n import LOCALES, PREFIXED
from ..web.page_cache import cached_page, remember
from . import bp, charts, feeds
from .filters import SLUG, parse_claim_filters, parse_page

HOME_CLAIMS = 10
FEED_CLAIMS = 50
RELATED_CLAIMS = 4
# /claims/<id> or /claims/<id>-<anything>: the words after the id are only for people
# (any wording redirects to the canonical one); ids beyond a 32-bit integer cannot exist.
CLAIM_REF = re.compile(r"(\d{1,10})(?:-.*)?", re.DOTALL)


def per_page() -> int:
    return int(current_app.config.get("CLAIMS_PER_PAGE", 20))


@bp.after_request
def revalidate(response: Response) -> Response:
    """An ETag on every successful read, so an unchanged page costs a 304."""
    if "no-store" in response.headers.get("Cache-Control", ""):
        return response  # a private page (a reader's tip): never stored, never revalidated
    if request.method in ("GET", "HEAD") and response.status_code == 200:
        response.headers["Cache-Control"] = "no-cache"
        response.vary.add("Cookie")
        if not response.direct_passthrough:
            response.add_etag()
            response.make_conditional(request)
    return response


@bp.get("/")
@cached_page
def home() -> str:
    return render_template("public/home.html", claims=claim_reads.latest_claims(HOME_CLAIMS))


@bp.get("/claims")
@cached_page
def claims() -> str:
    filters = parse_claim_filters(request.args)
    page = claim_reads.claims_page(filters.claim_filter(), filters.page, per_page())
    return render_template(
        "public/claims.html",
        filters=filters,
        page=page,
        ratings=rating_reads.rating_scale(),
        speakers=speaker_menu(filters.speaker),
        sources=remember("source-menu", source_reads.menu),
        claim_languages=CLAIM_LANGUAGES,
    )


def speaker_menu(chosen: Speaker | None) -> list[tuple[str, str]]:
    """The busiest recent speakers, and the one the list is filtered by."""
    choices = remember("speaker-menu", speaker_reads.busy_speakers)
    if chosen is not None and all(slug != chosen.slug for slug, _ in choices):
        choices = sorted([*choices, (chosen.slug, chosen.name)], key=lambda c: c[1])
    return choices


@bp.get("/claims/<claim_ref>")
@cached_page
def claim(claim_ref: str) -> str | BaseResponse:
    match = CLAIM_REF.fullmatch(claim_ref)
    claim_id = int(match[1]) if match else 0
    found = claim_reads.public_claim(claim_id) if is_id(claim_id) else None
    if found is None:
        raise NotFound(tr("There is no published fact-check at this address."))
    canonical = f"{found.id}-{found.slug}"
    if claim_ref != canonical:
        return redirect(url_for(".claim", claim_ref=canonical), 301)
    repeats = claimreview.confirmed_appearances([found.id])[found.id]
    # The scale, read once: drawn on the page and giving ClaimReview its best and worst.
    ratings = rating_reads.rating_scale()
    ordinals = [r.ordinal for r in ratings if r.ordinal is not None]
    ends = claimreview.RatingScale(
        best=max(ordinals, default=None), worst=min(ordinals, default=None)
    )
    review = claimreview.claimreview_for(found, base_url=site_root(), scale=ends, repeats=repeats)
    verdict = found.published_verdict
    assert verdict is not None and verdict.rating is not None  # public: a published verdict
    return render_template(
        "public/claim.html",
        claim=found,
        scale_graphic=charts.rating_scale_graphic(ratings, verdict.rating, chart_id="rating-scale"),
        byline=claim_reads.byline(verdict) if get_settings().show_bylines else None,
        share=share_links(review["url"], f"{found.speaker.name}: “{found.text}”"),
        appearances=repeats,
        verdict=verdict,
        evidence=claim_reads.public_evidence(found),
        corrections=claim_reads.corrections(found),
        related=claim_reads.related_claims(found, RELATED_CLAIMS),
        modified=claimreview.last_modified(found),
        canonical_url=review["url"],
        jsonld=claimreview.script_json(review),
    )


def share_links(url: str, title: str) -> list[tuple[str, str]]:
    """Plain share links (no third-party script runs on our page): label, address."""
    text = title if len(title) <= 200 else title[:199] + "…"
    return [
        ("Email", "mailto:?" + urlencode({"subject": text, "body": url}, quote_via=quote)),
        ("X (Twitter)", "https://x.com/intent/post?" + urlencode({"text": text, "url": url})),
        ("Facebook", "https://www.facebook.com/sharer/sharer.php?" + urlencode({"u": url})),
        ("WhatsApp", "https://wa.me/?" + urlencode({"text": f"{text} {url}"})),
        ("Telegram", "https://t.me/share/url?" + urlencode({"url": url, "text": text})),
    ]


def _profile_page(model: type[Speaker] | type[Source], slug: str) -> str | BaseResponse:
    """A speaker's or a source's published claims and their ratings breakdown."""
    kind = "speaker" if model is Speaker else "source"
    row, moved_to = profiles.public_profile(model, slug) if SLUG.fullmatch(slug) else (None, None)
    if moved_to is not None:
        return redirect(url_for(f".{kind}", slug=moved_to, page=request.args.get("page")), 301)
    if row is None:
        raise NotFound(
            tr("There is no %(kind)s with published fact-checks at this address.", kind=kind)
        )
    column = profiles.claim_column(model)
    problems: list[str] = []
    only_theirs = (
        ClaimFilter(speaker_id=row.id) if model is Speaker else ClaimFilter(source_id=row.id)
    )
    page = claim_reads.claims_page(
        only_theirs, parse_page(request.args.get("page"), problems), per_page()
    )
    # The busiest speaker's breakdown reads tens of thousands of verdicts: once per generation.
    counts = remember(
        f"breakdown:{kind}:{row.id}", lambda: rating_reads.rating_counts(column == row.id)
    )
    breakdown = rating_reads.rating_breakdown(counts)
    chart_title = (
        tr("Ratings of %(name)s’s claims", name=row.name)
        if model is Speaker
        else tr("Ratings of claims reported by %(name)s", name=row.name)
    )
    chart = charts.ratings_chart(breakdown, chart_id=f"{kind}-ratings", title=chart_title)
    return render_template(
        f"public/{kind}.html",
        profile=row,
        filter_key=kind,
        page=page,
        problems=problems,
        breakdown=breakdown,
        published_total=sum(counts.values()),
        chart=chart,
        chart_title=chart_title,
        repeats=appearances.repeats_of_speaker(row.id) if model is Speaker else 0,
    )


@bp.get("/speakers/<slug>")
@cached_page
def speaker(slug: str) -> str | BaseResponse:
    return _profile_page(Speaker, slug)


@bp.get("/sources/<slug>")
@cached_page
def source(slug: str) -> str | BaseResponse:
    return _profile_page(Source, slug)


@bp.get("/search")
@cached_page
def search() -> str:
    raw = (request.args.get("q") or "").strip()
    problems: list[str] = []
    page_number = parse_page(request.args.get("page"), problems)
    context: dict[str, Any] = {"q": raw, "terms": [], "results": None, "speakers": []}
    terms = parse_query(raw)
    if raw and not terms:
        problems.append(
            tr(
                "“%(raw_80)s” has no words to look for. Try a name or a few words from the claim.",
                raw_80=raw[:80],
            )
        )
    if terms:
        if len(raw) > MAX_QUERY_CHARS:
            problems.append(
                tr(
                    "Only the first %(max_query_chars)s characters of your search were used.",
                    max_query_chars=MAX_QUERY_CHARS,
                )
            )
        results = search_claims(db.session.connection(), raw, page=page_number, per_page=per_page())
        context.update(
            terms=results.terms,
            results=results,
            claims=claim_reads.claims_by_ids(results.ids),
            speakers=speaker_reads.search_speakers(results.terms) if page_number == 1 else [],
        )
    return render_template("public/search.html", problems=problems, **context)


@bp.app_template_filter("highlight")
def highlight_filter(value: str | None, terms: list[str] | None) -> Any:
    return highlight(value, terms or [])


@bp.app_template_global("claim_path")
def claim_path(claim: Claim) -> str:
    """The canonical address of a public claim page."""
    return url_for("public.claim", claim_ref=f"{claim.id}-{claim.slug}")


@bp.get("/feed.atom")
@cached_page
def feed() -> Response:
    claims = list(db.session.scalars(claimreview.published_claims_query().limit(FEED_CLAIMS)))
    settings = get_settings()
    body = feeds.atom_feed(
        claims,
        base_url=site_root(),
        feed_url=external_url(".feed"),
        title=f"{settings.site_name}: latest fact-checks",
        author=settings.organization_name,
    )
    return Response(body, mimetype="application/atom+xml")


@bp.get("/sitemap.xml")
@cached_page
def sitemap() -> Response:
    body = feeds.sitemap(
        site_root(),
        claim_reads.sitemap_entries(),
        extra_paths=["", "claims"],
        prefixes=[
            (code, PREFIXED[code].lstrip("/") + "/" if code in PREFIXED else "") for code in LOCALES
        ],
    )
    return Response(body, mimetype="application/xml")


@bp.get("/claimreview.json")
@cached_page
def claimreview_json() -> Response:
    claims = db.session.scalars(claimreview.published_claims_query())
    return jsonify(claimreview.claimreview_feed(claims, site_root()))


@bp.get("/favicon.ico")
def favicon() -> Response:
    """Browsers ask for /favicon.ico whatever the page says: the site's SVG icon."""
    icon = Path(current_app.static_folder or "") / "favicon.svg"
    response = Response(icon.read_bytes(), mimetype="image/svg+xml")
    response.headers["Cache-Control"] = "public, max-age=86400"
    return response


@bp.get("/ratings.css")
@cached_page
def rating_styles() -> Response:
    return Response(charts.rating_styles(rating_reads.rating_scale()), mimetype="text/css")
