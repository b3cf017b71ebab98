"""The Atom feed and the sitemap, built as XML trees so every value is escaped."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET  # noqa: S405  (we only build XML, never parse it)
from collections.abc import Sequence
from datetime import UTC, date, datetime

from ..models import Claim
from ..reads.claims import SitemapEntry
from ..rendering import explanation
from ..services.claimreview import claim_url, iso_datetime

ATOM = "http://www.w3.org/2005/Atom"
SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML = "http://www.w3.org/1999/xhtml"
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
# Characters XML 1.0 cannot carry at all, even escaped: they are dropped.
_NOT_XML = re.compile("[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(value: str | None) -> str:
    return _NOT_XML.sub("", value or "")


def _add(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, tag, {k: xml_text(v) for k, v in attrs.items()})
    if text is not None:
        element.text = xml_text(text)
    return element


def atom_feed(
    claims: Sequence[Claim], *, base_url: str, feed_url: str, title: str, author: str
) -> bytes:
    """Atom 1.0: one entry per public claim, with the published verdict only."""
    feed = ET.Element("feed", {"xmlns": ATOM})
    _add(feed, "title", title)
    _add(feed, "id", base_url)
    _add(feed, "link", rel="alternate", type="text/html", href=base_url)
    _add(feed, "link", rel="self", type="application/atom+xml", href=feed_url)
    updated = max((_updated(claim) for claim in claims), default=EPOCH)
    _add(feed, "updated", iso_datetime(updated))
    _add(_add(feed, "author"), "name", author)
    for claim in claims:
        verdict = claim.published_verdict
        assert verdict is not None and verdict.rating is not None
        assert claim.published_at is not None
        entry = _add(feed, "entry")
        # The id stays the same when the claim's wording (and so its slug) changes.
        _add(entry, "id", f"{base_url}claims/{claim.id}")
        _add(entry, "title", f"{claim.speaker.name}: “{claim.text}” ({verdict.rating.name})")
        _add(entry, "link", rel="alternate", type="text/html", href=claim_url(claim, base_url))
        _add(entry, "published", iso_datetime(claim.published_at))
        _add(entry, "updated", iso_datetime(_updated(claim)))
        _add(entry, "category", term=verdict.rating.slug, label=verdict.rating.name)
        _add(entry, "summary", f"{verdict.rating.name}. {verdict.summary}", type="text")
        if verdict.explanation:
            _add(entry, "content", str(explanation(verdict)), type="html")
    return _serialize(feed)


def _updated(claim: Claim) -> datetime:
    verdict = claim.published_verdict
    moments = [claim.published_at, verdict.published_at if verdict else None]
    return max(m for m in moments if m is not None)


def sitemap(
    base_url: str,
    entries: Sequence[SitemapEntry],
    extra_paths: Sequence[str],
    prefixes: Sequence[tuple[str, str]] = (("en", ""),),
) -> bytes:
    """Every page once per language (``prefixes``: (hreflang, path prefix)), each entry
    naming its versions in the other languages (xhtml:link rel="alternate")."""
    urlset = ET.Element("urlset", {"xmlns": SITEMAP, "xmlns:xhtml": XHTML})
    pages = [(path, None) for path in extra_paths] + [(e.path, e.modified) for e in entries]
    for path, modified in pages:
        for _code, prefix in prefixes:
            url = _add(urlset, "url")
            _add(url, "loc", base_url + prefix + path)
            if modified is not None:
                _add(url, "lastmod", _w3c_date(modified))
            if len(prefixes) > 1:
                for other, other_prefix in prefixes:
                    _add(
                        url,
                        "xhtml:link",
                        rel="alternate",
                        hreflang=other,
                        href=base_url + other_prefix + path,
                    )
    return _serialize(urlset)


def _w3c_date(value: date | datetime) -> str:
    if isinstance(value, datetime):
        return iso_datetime(value)
    return value.isoformat()


def _serialize(root: ET.Element) -> bytes:
    return bytes(ET.tostring(root, encoding="utf-8", xml_declaration=True))
