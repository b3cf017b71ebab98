"""Article readers: turn a pasted, uploaded or fetched article into ParsedArticle."""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import trafilatura

from factcheck.extraction.page_metadata import date_in_text, read_page_metadata, strip_title_suffix


class ArticleFormatError(ValueError):
    """The input cannot be read as an article; the message is shown to the user."""


@dataclass
class ParsedArticle:
    title: str
    body: str
    source: str | None
    published_at: datetime | None
    rubric: str | None
    language: str
    url: str | None
    format: str


# The newsroom sample format: "date YYYY-MM-DD Outlet", a rubric line,
# "HH:MM DD.MM.YYYY", then the headline and the body.
_SAMPLE_DATE_LINE = re.compile(r"^date\s+(\d{4}-\d{2}-\d{2})\s+(\S.*?)\s*$", re.IGNORECASE)
_SAMPLE_TIME_LINE = re.compile(r"^(\d{1,2}):(\d{2})\s+(\d{1,2})\.(\d{1,2})\.(\d{4})$")
_HTML_START = re.compile(r"^\s*(?:<!doctype\s+html|<html|<head|<body|<article|<div|<p[\s>])", re.I)
_HTML_CHARSET = re.compile(rb"""<meta[^>]+charset=["']?([\w-]+)""", re.I)
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffd]")
_LANGUAGE_SAMPLE = 20_000
_FIRST_LINE = re.compile(r"[^\S\n]*\S[^\n]*")
_LINE = re.compile(r"[^\n]*\n|[^\n]+\Z")
# A blank line after the first filled one (a whitespace-only line, or a final newline).
_BLANK_LINE = re.compile(r"\n[^\S\n]*(?:\n|\Z)")
_UKRAINIAN_LETTERS = set("іїєґІЇЄҐ")
_RUSSIAN_LETTERS = set("ыэъёЫЭЪЁ")


def read_article(
    data: str | bytes,
    *,
    filename: str | None = None,
    content_type: str | None = None,
    url: str | None = None,
) -> ParsedArticle:
    """Read an article in the sample format, as plain text or as an HTML page."""
    if isinstance(data, bytes):
        raw = data
        text = _decode(data)
    else:
        raw = None
        text = data
    if not text.strip():
        raise ArticleFormatError("The article is empty.")
    if _CONTROL_CHARS.search(text) and len(_CONTROL_CHARS.findall(text)) > len(text) / 200:
        raise ArticleFormatError("The file does not look like text (binary content?).")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if _looks_like_html(text, filename, content_type):
        return _read_html(raw if raw is not None else text, url)
    text = text.lstrip("\ufeff")
    first_line = _FIRST_LINE.search(text)
    first = first_line.group().strip() if first_line else ""
    if _SAMPLE_DATE_LINE.match(first):
        return _read_sample(text.split("\n"), url)
    assert first_line is not None  # the text is not blank
    return _read_plain(first, text[first_line.end() :], url)


def detect_language(text: str) -> str:
    """Guess "uk", "ru" or "en" from the alphabet: enough to pick a lexicon (the first
    _LANGUAGE_SAMPLE characters are enough, and a long text is not copied letter by letter)."""
    letters = [ch for ch in text[:_LANGUAGE_SAMPLE] if ch.isalpha()]
    cyrillic = [ch for ch in letters if "\u0400" <= ch <= "\u04ff"]
    if not letters or len(cyrillic) * 2 < len(letters):
        return "en"
    ukrainian = sum(ch in _UKRAINIAN_LETTERS for ch in cyrillic)
    russian = sum(ch in _RUSSIAN_LETTERS for ch in cyrillic)
    return "uk" if ukrainian > russian else "ru"


def _decode(data: bytes) -> str:
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ArticleFormatError("The file does not look like text (binary content?).")
    declared = _HTML_CHARSET.search(data[:4096])
    encodings = ["utf-8-sig"]
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encodings.insert(0, "utf-16")
    if declared:
        encodings.append(declared.group(1).decode("ascii"))
    for encoding in encodings:
        try:
            return data.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
    # Ukrainian and Russian outlets still publish Windows-1251; it decodes any
    # byte string, so only accept it when the result is mostly letters.
    guess = data.decode("cp1251")
    letters = sum(ch.isalpha() or ch.isspace() for ch in guess)
    if letters >= 0.85 * len(guess):
        return guess
    raise ArticleFormatError("The file could not be decoded as text (expected UTF-8).")


def _looks_like_html(text: str, filename: str | None, content_type: str | None) -> bool:
    if content_type and "html" in content_type.lower():
        return True
    if filename and filename.lower().endswith((".html", ".htm", ".xhtml")):
        return True
    return bool(_HTML_START.match(text.lstrip("\ufeff")))


def _paragraphs(lines: list[str]) -> list[str]:
    """Body paragraphs: blank-line separated blocks, or one per line if no blank lines."""
    stripped = [line.strip() for line in lines]
    while stripped and not stripped[0]:
        stripped.pop(0)
    if "" not in stripped:
        return [line for line in stripped if line]
    paragraphs: list[str] = []
    block: list[str] = []
    for line in [*stripped, ""]:
        if line:
            block.append(line)
        elif block:
            # Hard-wrapped plain text: the lines of one block are one paragraph.
            paragraphs.append(" ".join(block))
            block = []
    return paragraphs


def _stream_paragraphs(text: str) -> Iterator[str]:
    """What _paragraphs gives for text.split("\\n"), one paragraph at a time, without a
    list of the lines: a long paste is not held twice over."""
    start = _FIRST_LINE.search(text)
    if start is None:
        return
    text = text[start.start() :]
    if not _BLANK_LINE.search(text):
        for line in _LINE.finditer(text):
            if line.group().strip():
                yield line.group().strip()
        return
    block: list[str] = []
    for line in _LINE.finditer(text):
        stripped = line.group().strip()
        if stripped:
            block.append(stripped)
        elif block:
            # Hard-wrapped plain text: the lines of one block are one paragraph.
            yield " ".join(block)
            block = []
    if block:
        yield " ".join(block)


def _body_or_error(paragraphs: Iterable[str]) -> str:
    written = io.StringIO()
    for paragraph in paragraphs:
        if paragraph:
            if written.tell():
                written.write("\n\n")
            written.write(paragraph)
    body = written.getvalue()
    if not re.search(r"\w", body):
        raise ArticleFormatError("The article has a title but no body text.")
    return body


def _read_sample(lines: list[str], url: str | None) -> ParsedArticle:
    rest = [line.strip() for line in lines]
    filled = [i for i, line in enumerate(rest) if line]
    date_match = _SAMPLE_DATE_LINE.match(rest[filled[0]])
    assert date_match is not None  # read_article checked it
    published_at = _sample_date(date_match.group(1))
    # The rubric and the time line are each optional: a header line that is
    # not a time is the rubric only if a time line or a further line follows.
    header = filled[1:4]
    rubric = None
    title_at = 0
    for position, index in enumerate(header[:2]):
        time_match = _SAMPLE_TIME_LINE.match(rest[index])
        if time_match:
            published_at = _sample_time(time_match, rest[index])
            title_at = position + 1
            break
        if position == 0 and len(filled) > 3 and _looks_like_rubric(rest[index]):
            rubric = rest[index]
            title_at = 1
    if title_at >= len(header):
        raise ArticleFormatError("The article has a header but no title or body.")
    title_index = header[title_at]
    body = _body_or_error(_paragraphs(rest[title_index + 1 :]))
    return ParsedArticle(
        title=rest[title_index],
        body=body,
        source=date_match.group(2),
        published_at=published_at,
        rubric=rubric,
        language=detect_language(f"{rest[title_index]}\n{body}"),
        url=url,
        format="sample",
    )


def _looks_like_rubric(line: str) -> bool:
    return len(line.split()) <= 5 and not line.endswith((".", "!", "?", ":"))


def _sample_date(value: str) -> datetime | None:
    try:
        return datetime.strptime(value, "%Y-%m-%d")
    except ValueError:
        return None


def _sample_time(match: re.Match[str], line: str) -> datetime:
    hour, minute, day, month, year = (int(group) for group in match.groups())
    try:
        return datetime(year, month, day, hour, minute)
    except ValueError as error:
        raise ArticleFormatError(f"Invalid date or time line: {line!r}.") from error


def _read_plain(title: str, rest: str, url: str | None) -> ParsedArticle:
    body = _body_or_error(_stream_paragraphs(rest))
    return ParsedArticle(
        title=title,
        body=body,
        source=None,
        published_at=None,
        rubric=None,
        language=detect_language(f"{title}\n{body}"),
        url=url,
        format="text",
    )


def _read_html(document: str | bytes, url: str | None) -> ParsedArticle:
    extracted = trafilatura.bare_extraction(
        document,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        date_extraction_params={
            "extensive_search": False,
            "original_date": True,
            "outputformat": "%Y-%m-%dT%H:%M",
        },
    )
    found: dict[str, Any] = {}
    if extracted is not None:
        found = extracted if isinstance(extracted, dict) else extracted.as_dict()
    text = (found.get("text") or "").strip()
    if not re.search(r"\w", text):
        raise ArticleFormatError("No article text could be extracted from the HTML page.")
    paragraphs = [line.strip() for line in text.split("\n") if line.strip()]
    title = (found.get("title") or "").strip()
    # trafilatura keeps the headline as the first line of the text.
    if title and paragraphs and paragraphs[0] == title:
        paragraphs.pop(0)
    if not title:
        title = paragraphs.pop(0)
    # The page's own metadata and byline first; trafilatura's guess last.
    page = read_page_metadata(document if isinstance(document, str) else _decode(document))
    published_at = page.published_at or date_in_text("\n".join(paragraphs[:3]))
    # trafilatura's guess comes last, and only for a page that says it is an
    # article: on a reference page it is some date printed in the text.
    if published_at is None and found.get("date") and page.is_article:
        try:
            published_at = datetime.fromisoformat(found["date"])
        except ValueError:
            published_at = None
    if page.title:
        if paragraphs and paragraphs[0] == page.title:
            paragraphs.pop(0)
        title = page.title
    else:
        title = strip_title_suffix(title, page.site_name, page.authors)
    categories = list(found.get("categories") or [])
    body = _body_or_error(paragraphs)
    return ParsedArticle(
        title=title,
        body=body,
        source=(page.site_name or found.get("sitename") or "").strip() or None,
        published_at=published_at,
        rubric=categories[0] if categories else None,
        language=detect_language(f"{title}\n{body}"),
        url=url or found.get("url"),
        format="html",
    )
