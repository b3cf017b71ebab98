"""What an HTML page says about itself: headline without the site's or authors' names,
and the publication date from its metadata, before any date guessed from the text."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import lxml.html

from ..limits import MAX_DOCUMENT_DEPTH, json_nesting

_SEPARATORS = re.compile(r"\s+[|\-–—:·•»]{1,2}\s+")
_WORD = re.compile(r"\w+")
_MONTHS = {
    m: i + 1
    for i, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ]
    )
    for m in names
}
# "Feb. 23, 2015 --", "Sept. 25, 2018", "23 February 2015": a dateline or byline date,
# opening a line and either ending it or followed by a dash.
_TEXT_DATE = re.compile(
    r"^(?:(?:Updated|Published|Posted)\s*:?\s*)?(?:(?P<month>[A-Z][a-z]{2,8})\.?\s+(?P<day>\d{1,2}),\s+(?P<year>(?:19|20)\d\d)\b"
    r"|(?P<day2>\d{1,2})\s+(?P<month2>[A-Z][a-z]{2,8})\s+(?P<year2>(?:19|20)\d\d))"
    r"(?:\s*$|\s+[-–—]{1,2}\s)",
    re.M,
)
_PUBLISHED_META = (
    "article:published_time",
    "og:published_time",
    "datepublished",
    "pubdate",
    "publishdate",
    "publish-date",
    "parsely-pub-date",
    "sailthru.date",
    "dc.date.issued",
    "dcterms.created",
    "dc.date",
    "date",
    "ptime",
)


@dataclass
class PageMetadata:
    title: str | None = None
    site_name: str | None = None
    authors: list[str] = field(default_factory=list)
    published_at: datetime | None = None
    # The page says it is an authored article (og:type "article", a JSON-LD
    # *Article, article:* or author metadata, a byline or a <time>): only then may
    # a date be guessed from elsewhere.
    is_article: bool = False


def read_page_metadata(document: str) -> PageMetadata:
    """The page's own headline, site name, authors and publication date, where it says them."""
    try:
        tree = lxml.html.fromstring(document)
    except ValueError:  # a str with an XML encoding declaration
        try:
            tree = lxml.html.fromstring(document.encode("utf-8"))
        except (ValueError, lxml.etree.ParserError):
            return PageMetadata()
    except lxml.etree.ParserError:
        return PageMetadata()
    meta: dict[str, str] = {}
    for element in tree.iter("meta"):
        key = element.get("property") or element.get("name") or element.get("itemprop") or ""
        content = element.get("content")
        if key and content and key.casefold() not in meta:
            meta[key.casefold()] = content.strip()
    linked = _json_ld(tree)
    found = PageMetadata()
    found.site_name = meta.get("og:site_name") or meta.get("application-name") or None
    authors = [meta.get("author"), *(linked.get("authors") or [])]
    found.authors = [a for a in authors if a and not a.startswith("http")]
    found.published_at = _published(tree, meta, linked)
    found.is_article = (
        "article" in meta.get("og:type", "").casefold()
        or bool(linked.get("article"))
        or any(key.startswith("article:") for key in meta)
        or bool(meta.get("author"))
        or _has_byline(tree)
    )
    found.title = _title(tree, meta, linked, found)
    return found


def date_in_text(text: str) -> datetime | None:
    """A dateline or byline date at the top of the text ("Feb. 23, 2015 --")."""
    match = _TEXT_DATE.search(text[:400])
    if match is None:
        return None
    month = (match["month"] or match["month2"]).casefold()
    day = int(match["day"] or match["day2"])
    year = int(match["year"] or match["year2"])
    if month not in _MONTHS:
        return None
    try:
        return datetime(year, _MONTHS[month], day)
    except ValueError:
        return None


def parse_date(value: str) -> datetime | None:
    """ISO 8601 and the few other forms pages print in their metadata; naive, as printed."""
    value = value.strip()
    iso = re.match(r"(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2}))?", value)
    if iso:
        year, month, day = (int(g) for g in iso.groups()[:3])
        hour, minute = (int(g) for g in iso.groups()[3:]) if iso.group(4) else (0, 0)
        try:
            return datetime(year, month, day, hour, minute)
        except ValueError:
            return None
    compact = re.fullmatch(r"(\d{4})(\d{2})(\d{2})(\d{2})?(\d{2})?\d*", value)
    if compact:
        try:
            year, month, day = (int(g) for g in compact.groups()[:3])
            return datetime(year, month, day)
        except ValueError:
            return None
    # "Fri Mar 13 21:30:09 EST 2015", "05/29/2007 09:49:00"
    loose = re.match(r"\w{3}\s+(\w{3})\s+(\d{1,2})\s+[\d:]+\s+\w+\s+(\d{4})", value)
    if loose and loose.group(1).casefold() in _MONTHS:
        try:
            month = _MONTHS[loose.group(1).casefold()]
            return datetime(int(loose.group(3)), month, int(loose.group(2)))
        except ValueError:
            return None
    us = re.match(r"(\d{1,2})/(\d{1,2})/(\d{4})", value)
    if us:
        try:
            return datetime(int(us.group(3)), int(us.group(1)), int(us.group(2)))
        except ValueError:
            return None
    return None


def _json_ld(tree: lxml.html.HtmlElement) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for script in tree.iter("script"):
        if (script.get("type") or "").strip() != "application/ld+json" or not script.text:
            continue
        if json_nesting(script.text, MAX_DOCUMENT_DEPTH) > MAX_DOCUMENT_DEPTH:
            continue  # a hostile page's brackets, never handed to the parser
        try:
            data = json.loads(script.text)
        except ValueError:
            continue
        items = data if isinstance(data, list) else [data]
        items += [i for d in list(items) if isinstance(d, dict) for i in d.get("@graph", [])]
        for item in items:
            if isinstance(item, dict) and "Article" in str(item.get("@type", "")):
                found["article"] = True
            if not isinstance(item, dict) or not item.get("headline"):
                continue
            found.setdefault("headline", str(item["headline"]))
            if item.get("datePublished"):
                found.setdefault("published", str(item["datePublished"]))
            authors = item.get("author")
            authors = authors if isinstance(authors, list) else [authors]
            found.setdefault(
                "authors", [a.get("name") for a in authors if isinstance(a, dict) and a.get("name")]
            )
    return found


def _published(
    tree: lxml.html.HtmlElement, meta: dict[str, str], linked: dict[str, Any]
) -> datetime | None:
    values = [meta.get(key) for key in _PUBLISHED_META] + [linked.get("published")]
    for element in tree.iter("time"):
        if element.get("itemprop") == "datePublished" or element.get("pubdate") is not None:
            values.append(element.get("datetime") or element.get("content"))
            break
    first_time = next((e.get("datetime") for e in tree.iter("time") if e.get("datetime")), None)
    values.append(first_time)
    for value in values:
        if value:
            parsed = parse_date(value)
            if parsed is not None:
                return parsed
    return None


def _words(text: str) -> set[str]:
    return {w.casefold() for w in _WORD.findall(text)}


def _title(
    tree: lxml.html.HtmlElement, meta: dict[str, str], linked: dict[str, Any], found: PageMetadata
) -> str | None:
    printed = [
        linked.get("headline"),
        meta.get("og:title"),
        meta.get("twitter:title"),
        meta.get("dc.title"),
        (tree.findtext(".//title") or "").strip() or None,
    ]
    titles: list[str] = [" ".join(t.split()) for t in printed if t and t.strip()]
    headings = []
    for element in tree.iter("h1"):
        text = " ".join(element.text_content().split())
        if 1 <= len(text.split()) <= 40:
            headings.append(text)
            if _byline_follows(element):
                # A heading the byline follows ("Written by…", "By…") is the
                # article's own headline, whatever the <title> says.
                return text
    # The page's own headline, when it repeats most words of the <title> or
    # og:title: those carry the site's name and sometimes the authors'.
    for heading in headings[:3]:
        words = _words(heading)
        for title in titles:
            shared = words & _words(title)
            if words and len(shared) >= 0.75 * len(words) >= 0.25 * len(_words(title)):
                return heading
    if not titles:
        return headings[0] if headings else None
    return strip_title_suffix(titles[0], found.site_name, found.authors)


def _has_byline(tree: lxml.html.HtmlElement) -> bool:
    if next(tree.iter("time"), None) is not None:
        return True
    if tree.xpath("//*[@rel='author']"):
        return True
    return bool(
        tree.xpath(
            "//*[contains(translate(@class, 'BYLINEAUTHOR', 'bylineauthor'), 'byline')"
            " or contains(translate(@class, 'BYLINEAUTHOR', 'bylineauthor'), 'author')]"
        )
    )


_BYLINE = re.compile(r"^(?:written\s+)?by\s+[A-Z]", re.I)


def _byline_follows(heading: lxml.html.HtmlElement) -> bool:
    following = heading.getnext()
    if following is None:
        return False
    text = " ".join(following.text_content().split())
    return bool(_BYLINE.match(text)) and len(text.split()) <= 12


def strip_title_suffix(title: str, site_name: str | None, authors: list[str]) -> str:
    """ "Budget vote delayed - Jane Roe and John Poe" and "… | eHow": the headline alone."""
    names = {n.casefold() for n in [site_name or "", *authors] if n}
    cuts = [m.start() for m in _SEPARATORS.finditer(title)]
    parts = _SEPARATORS.split(title)
    keep = len(parts)
    while keep > 1:
        last = parts[keep - 1].strip().casefold()
        known = any(n in last or last in n for n in names)
        words = parts[keep - 1].split()
        head_words = len(" ".join(parts[: keep - 1]).split())
        short = len(words) <= 4 and head_words >= 3
        # "… - Jane Roe and John Poe": a byline of capitalised names.
        byline = (
            len(words) <= 8
            and head_words >= 3
            and all(w[:1].isupper() or w.casefold() in ("and", "&", "by") for w in words)
        )
        if not (known or short or byline):
            break
        keep -= 1
    return title[: cuts[keep - 1]].strip() if keep < len(parts) else title
