"""The rows around claims: staff accounts, speakers, sources and tags."""

from __future__ import annotations

import bisect
import itertools
import random
import secrets
from collections.abc import Callable
from datetime import UTC, datetime

from slugify import slugify
from sqlalchemy import select
from sqlalchemy.engine import Connection

from ..extraction.normalize import normalize_name
from ..models import (
    Source,
    Speaker,
    SpeakerAlias,
    Tag,
    User,
)
from .words import (
    CITIES_EN,
    EXTRA_TAGS,
    FIRST_EN,
    FIRST_RU,
    FIRST_UK,
    LAST_EN,
    LAST_RU,
    LAST_UK,
    ORGANIZATIONS,
    PARTIES,
    SOURCE_KINDS,
    SOURCE_STEMS,
    TITLES,
    TOPICS_EN,
    TOPICS_RU,
    TOPICS_UK,
)
from .writer import Counts, _ids, _Writer

STAFF_DOMAIN = "synthetic.example.org"


def _staff(conn: Connection, writer: _Writer, counts: Counts) -> tuple[list[int], list[int]]:
    """A synthetic newsroom: fact-checkers and editors (without passwords), reused on append."""
    wanted = [("fact_checker", f"checker{i}") for i in range(1, 13)] + [
        ("editor", f"editor{i}") for i in range(1, 6)
    ]
    existing = dict(
        conn.execute(select(User.email, User.id).where(User.email.like(f"%@{STAFF_DOMAIN}"))).all()
    )
    new_id = _ids(conn, User)
    now = datetime.now(UTC)
    rows = []
    ids: dict[str, list[int]] = {"fact_checker": [], "editor": []}
    for role, local in wanted:
        email = f"{local}@{STAFF_DOMAIN}"
        user_id = existing.get(email)
        if user_id is None:
            user_id = next(new_id)
            number = local.removeprefix("checker").removeprefix("editor")
            rows.append(
                {
                    "id": user_id,
                    "email": email,
                    "name": f"Synthetic {role.replace('_', '-')} {number}",
                    "role": role,
                    "password_hash": None,
                    "active": True,
                    "session_token": secrets.token_hex(32),
                    "created_at": now,
                    "updated_at": now,
                    "version": 1,
                }
            )
        ids[role].append(user_id)
    writer.write(User.__table__, rows)
    counts.add("users", len(rows))
    return ids["fact_checker"], ids["editor"]


def _unique_slug(base: str, taken: set[str]) -> str:
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    taken.add(slug)
    return slug


def _speakers(
    conn: Connection, writer: _Writer, rng: random.Random, n: int, counts: Counts
) -> list[int]:
    taken = set(conn.scalars(select(Speaker.slug)))
    new_id = _ids(conn, Speaker)
    alias_id = _ids(conn, SpeakerAlias)
    now = datetime.now(UTC)
    rows, aliases, ids = [], [], []
    for _ in range(n):
        language = rng.random()
        if rng.random() < 0.12:
            name = rng.choice(ORGANIZATIONS).format(city=rng.choice(CITIES_EN))
            kind, title = "organization", None
        else:
            kind = "person"
            if language < 0.7:
                name = f"{rng.choice(FIRST_EN)} {rng.choice(LAST_EN)}"
            elif language < 0.9:
                name = f"{rng.choice(FIRST_UK)} {rng.choice(LAST_UK)}"
            else:
                name = f"{rng.choice(FIRST_RU)} {rng.choice(LAST_RU)}"
            title = rng.choice(TITLES).format(city=rng.choice(CITIES_EN), party=rng.choice(PARTIES))
        speaker_id = next(new_id)
        ids.append(speaker_id)
        rows.append(
            {
                "id": speaker_id,
                "name": name,
                "normalized_name": normalize_name(name)[:200],
                "slug": _unique_slug(slugify(name, max_length=80) or "speaker", taken),
                "kind": kind,
                "title": title,
                "affiliation": rng.choice(PARTIES) if kind == "person" else None,
                "country": "Ukraine" if rng.random() < 0.8 else "Moldova",
                "wikidata_id": None,
                "description": None,
                "created_at": now,
                "updated_at": now,
                "version": 1,
            }
        )
        if kind == "person" and rng.random() < 0.3:
            surname = name.split()[-1]
            aliases.append(
                {
                    "id": next(alias_id),
                    "speaker_id": speaker_id,
                    "name": surname,
                    "normalized_name": normalize_name(surname),
                }
            )
    writer.write(Speaker.__table__, rows)
    writer.write(SpeakerAlias.__table__, aliases)
    counts.add("speakers", len(rows))
    counts.add("speaker_aliases", len(aliases))
    return ids


def _sources(conn: Connection, writer: _Writer, rng: random.Random, counts: Counts) -> list[int]:
    existing = dict(conn.execute(select(Source.slug, Source.id)).all())
    new_id = _ids(conn, Source)
    now = datetime.now(UTC)
    rows, ids = [], []
    for i, name in enumerate(SOURCE_STEMS):
        slug = slugify(name, max_length=80)
        if slug in existing:
            ids.append(existing[slug])
            continue
        source_id = next(new_id)
        ids.append(source_id)
        rows.append(
            {
                "id": source_id,
                "name": name,
                "normalized_name": normalize_name(name),
                "slug": slug,
                "homepage_url": f"https://{slug}.example.net/",
                "kind": SOURCE_KINDS[i % len(SOURCE_KINDS)],
                "created_at": now,
                "updated_at": now,
                "version": 1,
            }
        )
    writer.write(Source.__table__, rows)
    counts.add("sources", len(rows))
    return ids


def _tags(conn: Connection, writer: _Writer, counts: Counts) -> dict[str, int]:
    names = sorted({tag for _, tag in TOPICS_EN + TOPICS_UK + TOPICS_RU} | set(EXTRA_TAGS))
    existing = dict(conn.execute(select(Tag.slug, Tag.id)).all())
    new_id = _ids(conn, Tag)
    rows, ids = [], {}
    for name in names:
        slug = slugify(name)
        if slug not in existing:
            existing[slug] = next(new_id)
            rows.append({"id": existing[slug], "name": name.capitalize(), "slug": slug})
        ids[name] = existing[slug]
    writer.write(Tag.__table__, rows)
    counts.add("tags", len(rows))
    return ids


def _zipf_picker(rng: random.Random, ids: list[int], exponent: float) -> Callable[[], int]:
    """A few ids are picked very often, most rarely: how often people get fact-checked."""
    shuffled = ids[:]
    rng.shuffle(shuffled)
    cum = list(itertools.accumulate(1.0 / (rank + 1) ** exponent for rank in range(len(ids))))
    total = cum[-1]

    def pick() -> int:
        return shuffled[bisect.bisect_left(cum, rng.random() * total)]

    return pick
