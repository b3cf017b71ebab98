"""Invented words for the synthetic archive: the lists (``words.json``) and the text they make.

Everything is invented: towns, people, outlets and figures come from these lists
and from syllables, never from the news.
"""

from __future__ import annotations

import json
import random
from functools import partial
from html import escape as _escape
from importlib import resources
from typing import Any

from slugify import slugify

# Text nodes as the sanitiser writes them: &, < and > escaped, quotes left alone.
escape = partial(_escape, quote=False)

_LISTS: dict[str, Any] = json.loads(
    resources.files(__package__).joinpath("words.json").read_text(encoding="utf-8")
)
CITIES_EN: list[Any] = _LISTS["CITIES_EN"]
CITIES_UK: list[Any] = _LISTS["CITIES_UK"]
CITIES_RU: list[Any] = _LISTS["CITIES_RU"]
TOPICS_EN: list[Any] = _LISTS["TOPICS_EN"]
TOPICS_UK: list[Any] = _LISTS["TOPICS_UK"]
TOPICS_RU: list[Any] = _LISTS["TOPICS_RU"]
EXTRA_TAGS: list[Any] = _LISTS["EXTRA_TAGS"]
GOODS_EN: list[Any] = _LISTS["GOODS_EN"]
PEOPLE_EN: list[Any] = _LISTS["PEOPLE_EN"]
OBJECTS_EN: list[Any] = _LISTS["OBJECTS_EN"]
BODIES_EN: list[Any] = _LISTS["BODIES_EN"]
MONTHS_EN: list[Any] = _LISTS["MONTHS_EN"]
TEMPLATES_EN: list[Any] = _LISTS["TEMPLATES_EN"]
TEMPLATES_UK: list[Any] = _LISTS["TEMPLATES_UK"]
TEMPLATES_RU: list[Any] = _LISTS["TEMPLATES_RU"]
FIRST_EN: list[Any] = _LISTS["FIRST_EN"]
LAST_EN: list[Any] = _LISTS["LAST_EN"]
FIRST_UK: list[Any] = _LISTS["FIRST_UK"]
LAST_UK: list[Any] = _LISTS["LAST_UK"]
FIRST_RU: list[Any] = _LISTS["FIRST_RU"]
LAST_RU: list[Any] = _LISTS["LAST_RU"]
TITLES: list[Any] = _LISTS["TITLES"]
PARTIES: list[Any] = _LISTS["PARTIES"]
ORGANIZATIONS: list[Any] = _LISTS["ORGANIZATIONS"]
SOURCE_STEMS: list[Any] = _LISTS["SOURCE_STEMS"]
SOURCE_KINDS: list[Any] = _LISTS["SOURCE_KINDS"]
PUBLISHERS: list[Any] = _LISTS["PUBLISHERS"]
CONTEXTS: list[Any] = _LISTS["CONTEXTS"]
RUBRICS: list[Any] = _LISTS["RUBRICS"]
SYLLABLES: list[Any] = _LISTS["SYLLABLES"]


class _Words:
    """Deterministic invented text: claims, titles, names, explanations."""

    def __init__(self, rng: random.Random, villages: int) -> None:
        self.rng = rng
        self.villages = self._invented_names(villages)
        self._slug_cache: dict[str, str] = {}

    def _invented_names(self, n: int) -> list[str]:
        seen: set[str] = set()
        names: list[str] = []
        while len(names) < n:
            word = "".join(self.rng.choice(SYLLABLES) for _ in range(self.rng.choice((3, 3, 4))))
            if word not in seen:
                seen.add(word)
                names.append(word.capitalize())
        return names

    def slug(self, value: str) -> str:
        """The slug of a text, word by word (cached), at most 80 characters."""
        parts: list[str] = []
        length = 0
        cache = self._slug_cache
        for word in value.split():
            piece = cache.get(word)
            if piece is None:
                piece = cache[word] = slugify(word)
            if not piece:
                continue
            if length + len(piece) + (1 if parts else 0) > 80:
                break
            parts.append(piece)
            length += len(piece) + (1 if len(parts) > 1 else 0)
        return "-".join(parts) or "claim"

    def money(self, language: str) -> str:
        r = self.rng
        amount = f"{r.randint(1, 950)}.{r.randint(0, 9)}"
        if language == "uk":
            return f"{amount} млн гривень"
        if language == "ru":
            return f"{amount} млн гривен"
        return f"{amount} million hryvnias" if r.random() < 0.7 else f"${amount} million"

    def claim(self, language: str) -> tuple[str, str, str]:
        """(text, place, tag of the topic)."""
        r = self.rng
        if language == "uk":
            template, (topic, tag) = r.choice(TEMPLATES_UK), r.choice(TOPICS_UK)
            place = r.choice(CITIES_UK)
        elif language == "ru":
            template, (topic, tag) = r.choice(TEMPLATES_RU), r.choice(TOPICS_RU)
            place = r.choice(CITIES_RU)
        else:
            template, (topic, tag) = r.choice(TEMPLATES_EN), r.choice(TOPICS_EN)
            place = r.choice(CITIES_EN) if r.random() < 0.6 else r.choice(self.villages)
        value = template.format(
            place=place,
            money=self.money(language),
            money_small=f"{r.randint(200, 4000)} hryvnias",
            topic=topic,
            year=r.randint(2008, 2025),
            pct=r.randint(3, 240),
            small=r.randint(2, 19),
            count=f"{r.randint(2, 95) * 1000:,}",
            count2=r.randint(20, 400),
            people=r.choice(PEOPLE_EN),
            body=r.choice(BODIES_EN),
            nth=r.choice(("second", "third", "fourth", "fifth")),
            goods=r.choice(GOODS_EN),
            objects=r.choice(OBJECTS_EN),
            object=r.choice(OBJECTS_EN)[:-1],
            month=r.choice(MONTHS_EN),
        )
        return value, place, tag

    def summary(self, rating: str, language: str) -> str:
        r = self.rng
        figure = self.money(language)
        return {
            "true": f"Official records confirm the figure of {figure}.",
            "mostly-true": f"Close: the records show {figure}, slightly less than claimed.",
            "half-true": f"Only part of it holds: {figure} was allocated, but not all was spent.",
            "misleading": f"The {figure} figure is real but covers {r.randint(2, 9)} years, not one.",
            "mostly-false": f"The records show {figure}; the claim inflates it and leaves out the cuts.",
            "false": f"The budget shows {figure}, nowhere near the amount claimed.",
            "unproven": "No public record confirms or contradicts the figure yet.",
        }[rating]

    def explanation(self, place: str, year_hint: int) -> tuple[str, str]:
        """The Markdown of an explanation and the HTML publication would store for it
        (``rendering.render_markdown`` of it: a test holds the two together), built from
        the same pieces because rendering a million explanations would take an hour."""
        r = self.rng
        publisher = escape(r.choice(PUBLISHERS))
        first = (
            f"The figures for {escape(place)} show a change of {r.randint(2, 90)}%, "
            f"and the {escape(r.choice(BODIES_EN))} confirmed them in writing."
        )
        reported, recorded = escape(self.money("en")), escape(self.money("en"))
        last = (
            "We asked the speaker's office for their source and received no answer by "
            f"{r.choice(MONTHS_EN)} {year_hint}."
        )
        markdown = (
            f"We compared the statement with the **{publisher}** for {year_hint}. {first}\n\n"
            f"- Reported: {reported}\n- Recorded: {recorded}\n\n{last}"
        )
        html = (
            f"<p>We compared the statement with the <strong>{publisher}</strong> for "
            f"{year_hint}. {first}</p>\n<ul>\n<li>Reported: {reported}</li>\n"
            f"<li>Recorded: {recorded}</li>\n</ul>\n<p>{last}</p>"
        )
        return markdown, html
