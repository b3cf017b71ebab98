"""A synthetic fact-check archive for benchmarks: `factcheck demo generate`.

Everything is invented: the people, outlets, towns and figures come from word
lists and syllables, never from the news. The shape follows a real archive:
most claims published, a few in every other workflow state, a few thousand
speakers of whom some speak very often, English with some Ukrainian and
Russian, verdict revisions with corrections, evidence and audit events.

Rows are written with SQLAlchemy Core in batches (COPY on PostgreSQL), which
bypasses the ORM's search-index hook, so the index is rebuilt once at the end,
and ANALYZE refreshes the planner's statistics.
"""

from __future__ import annotations

import bisect
import itertools
import json
import random
import secrets
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from slugify import slugify
from sqlalchemy import JSON, Boolean, Date, DateTime, Table, bindparam, func, insert, select, text
from sqlalchemy.engine import Connection

from ..errors import Conflict, ValidationFailed
from ..extensions import db
from ..extraction.normalize import normalize_name
from ..models import (
    Article,
    AuditEvent,
    Claim,
    Evidence,
    Rating,
    Source,
    Speaker,
    SpeakerAlias,
    Tag,
    User,
    Verdict,
    VerdictApproval,
    claim_tags,
)
from ..models.base import UTCDateTime
from .defaults import ensure_defaults

MAX_CLAIMS = 5_000_000
ARCHIVE_START = datetime(2017, 1, 1, tzinfo=UTC)
ARCHIVE_END = datetime(2026, 1, 1, tzinfo=UTC)
STAFF_DOMAIN = "synthetic.example.org"
PUBLISHED_VERDICT_FK = "fk_claims_published_verdict_id_verdicts"

# (status, share): an archive is mostly published work.
STATUS_SHARES = [
    ("published", 0.80),
    ("dismissed", 0.06),
    ("researching", 0.05),
    ("logged", 0.05),
    ("in_review", 0.04),
]
RATING_SHARES = {
    "false": 0.24,
    "mostly-false": 0.19,
    "misleading": 0.15,
    "half-true": 0.15,
    "mostly-true": 0.11,
    "true": 0.10,
    "unproven": 0.06,
}
LANGUAGE_SHARES = [("en", 0.84), ("uk", 0.11), ("ru", 0.05)]
DISMISS_REASONS = ["opinion", "prediction", "not_check_worthy", "duplicate"]

# --- word lists -------------------------------------------------------------------------

CITIES_EN = (
    "Velmora Dunmere Brackwater Astravel Kestrow Lindhaven Orvask Port-Aldren Saltmere Tarnholm "
    "Ulvenburg Westreach Zarkiv Novomar Halden-Vale Corrin Eastwold Marrowick Pellingford Rivenmoor "
    "Stonebridge Thornby Vyshgrad Yarrowfield Greyhollow Ashcombe Bellmark Caldera-Bay Drovensk Emberly"
).split()
CITIES_UK = (
    "Зарічне Світлогірськ Новоград-Озерний Вербівка Калинопіль Сонячне Тихобережжя Лугове "
    "Кременище Дубовець Ясногір'я Озерянка"
).split()
CITIES_RU = "Заречье Светлогорье Ново-Озёрск Вербное Калиновск Солнечное Тихоречье Луговой".split()

TOPICS_EN = [
    ("road repairs", "infrastructure"),
    ("school meals", "education"),
    ("hospital equipment", "health"),
    ("public transport", "transport"),
    ("street lighting", "local government"),
    ("flood defences", "environment"),
    ("housing for displaced families", "housing"),
    ("water pipes", "infrastructure"),
    ("kindergartens", "education"),
    ("bomb shelters", "security"),
    ("district heating", "energy"),
    ("bridge construction", "infrastructure"),
    ("rural clinics", "health"),
    ("farm subsidies", "agriculture"),
    ("youth sport", "social policy"),
    ("waste collection", "environment"),
]
TOPICS_UK = [
    ("ремонт доріг", "infrastructure"),
    ("шкільне харчування", "education"),
    ("медичне обладнання", "health"),
    ("громадський транспорт", "transport"),
    ("вуличне освітлення", "local government"),
    ("житло для переселенців", "housing"),
    ("укриття", "security"),
    ("теплопостачання", "energy"),
]
TOPICS_RU = [
    ("ремонт дорог", "infrastructure"),
    ("школьное питание", "education"),
    ("медицинское оборудование", "health"),
    ("общественный транспорт", "transport"),
    ("уличное освещение", "local government"),
    ("теплоснабжение", "energy"),
]
EXTRA_TAGS = (
    "economy|budget|prices|elections|corruption|defence|migration|labour|demography|pensions|"
    "taxes|tourism|culture|science|digital services|courts|media|water|climate|roads|"
    "public health|energy prices|exports"
).split("|")
GOODS_EN = (
    "bread|fuel|sugar|sunflower oil|electricity|medicine|school uniforms|apples|steel|grain".split(
        "|"
    )
)
PEOPLE_EN = "pensioners|teachers|doctors|students|small businesses|farmers|nurses|families".split(
    "|"
)
OBJECTS_EN = "schools|bridges|clinics|playgrounds|stadiums|shelters|bus stops|libraries".split("|")
BODIES_EN = (
    "city council|regional administration|district council|water utility|transport agency".split(
        "|"
    )
)
MONTHS_EN = (
    "January February March April May June July August September October November December".split()
)

TEMPLATES_EN = [
    "{place} spent {money} on {topic} in {year}, {pct} percent more than the previous government had promised.",
    "Unemployment in {place} fell to {small} percent last year, the lowest level since {year}, according to the ministry.",
    "More than {count} {people} in {place} are still waiting for {topic}, twice as many as in {year}.",
    "The {body} of {place} cut spending on {topic} by {pct} percent while the salaries of officials kept growing.",
    "Every {nth} household in {place} now pays more than {money_small} a month for {goods}, the highest share in the region.",
    "{place} received {money} from the regional fund for {topic} but built only {small} of the {count2} promised {objects}.",
    "Since {year} the number of {people} in {place} has grown by {pct} percent, the fastest rate anywhere in the country.",
    "Prices for {goods} in {place} rose {pct} percent in {year}, while pensions went up by only {small} percent.",
    "The new {object} programme in {place} cost {money}, three times the estimate the {body} approved in {year}.",
    "Our party built {count2} {objects} in {place} over {small} years, more than all previous governments combined.",
    "Crime in {place} dropped by {pct} percent after the police reform, the mayor's office said in {month} {year}.",
    "Exports of {goods} from {place} reached {money} in {year}, making the region the largest producer in the country.",
    "Half of the {money} set aside for {topic} in {place} was never spent, and {count} {people} lost their support in {year}.",
]
TEMPLATES_UK = [
    "У місті {place} витратили {money} на {topic} у {year} році, на {pct} відсотків більше, ніж обіцяла попередня влада.",
    "Безробіття в громаді {place} торік знизилося до {small} відсотків, це найнижчий рівень від {year} року, повідомило міністерство.",
    "Понад {count} мешканців міста {place} досі чекають на {topic}, удвічі більше, ніж у {year} році.",
    "Міська рада {place} скоротила видатки на {topic} на {pct} відсотків, хоча зарплати чиновників зросли.",
    "Громада {place} отримала {money} з обласного фонду на {topic}, але виконала лише {small} з {count2} обіцяних проєктів.",
]
TEMPLATES_RU = [
    "В городе {place} потратили {money} на {topic} в {year} году, на {pct} процентов больше, чем обещало прежнее правительство.",
    "Безработица в городе {place} в прошлом году снизилась до {small} процентов, это самый низкий уровень с {year} года.",
    "Более {count} жителей города {place} до сих пор ждут {topic}, вдвое больше, чем в {year} году.",
    "Городской совет {place} сократил расходы на {topic} на {pct} процентов, хотя зарплаты чиновников выросли.",
]

FIRST_EN = (
    "Alma Bram Corin Dalia Edric Fenna Garrow Helka Ilsa Jonah Kerys Lorne Maren Nils Odette Perrin "
    "Quilla Rowan Selka Tamsin Ulric Vesna Wren Yorick Zora Anselm Brisa Cato Delphine Ewan"
).split()
LAST_EN = (
    "Ashdown Brightwater Calloway Dunmore Everly Fairholm Gethin Hollis Ingram Jessop Kettering "
    "Larkspur Merriweather Northcott Oakhurst Pendry Quayle Redmayne Stroud Thackeray Underhill "
    "Vance Whitlock Yardley Zeller Ambrose Blackwood Carrow Dellamy Elsworth"
).split()
FIRST_UK = (
    "Олена Тарас Мирослава Богдан Зоряна Остап Ярина Назар Любомира Гордій Стефанія Дарина".split()
)
LAST_UK = "Ковальчук-Дніпровий Вербицька Гайдамаш Ліщинський Зорянська Кременчук Тихоліс Явірська Оріховський Вітрук".split()
FIRST_RU = "Арсений Милена Глеб Василиса Тимофей Злата Елисей Ульяна".split()
LAST_RU = "Озерцов Ветлугина Сосновский Камышева Туманов Ледогорова Берестов Ракитина".split()
TITLES = [
    "Mayor of {city}",
    "Deputy Mayor of {city}",
    "Member of Parliament for {city}",
    "Head of the {city} Regional Administration",
    "Minister of Regional Development",
    "Minister of Finance",
    "Spokesperson, {city} City Council",
    "Chair of the Budget Committee",
    "Leader of the {party}",
    "Governor of the {city} Region",
    "Chief Economist, {party}",
    "Candidate for Mayor of {city}",
]
PARTIES = [
    "Civic Harbour Party",
    "Union for Open Towns",
    "Green Valley Movement",
    "People's Renewal Bloc",
    "New Regions Alliance",
    "Party of Honest Budgets",
    "Independent",
]
ORGANIZATIONS = [
    "{city} City Council",
    "{city} Water Utility",
    "{city} Chamber of Commerce",
    "{city} Regional Administration",
    "Association of {city} Farmers",
]
SOURCE_STEMS = (
    "Velmora Courier|Dunmere Daily|Northmark Wire|Radio Saltmere|Kestrow Evening Post|"
    "Channel Nine Lindhaven|The Orvask Herald|Brackwater Bulletin|Regional News Agency Astravel|"
    "Port Aldren Gazette|Tarnholm Today|Zarkiv Online|Вісті Зарічного|Світлогірський кур'єр|"
    "Новини Вербівки|Калинопільська правда|Голос Лугового|Вестник Заречья|Светлогорский курьер|"
    "Luggage Street Journal|Coastline Broadcasting|The Ember Review|Greyhollow Morning Star|"
    "Stonebridge Post|The Rivenmoor Ledger|Thornby Signal|Yarrowfield FM|Ashcombe Observer"
).split("|")
SOURCE_KINDS = ["newspaper", "online", "broadcaster", "news_agency", "social_media", "official"]
PUBLISHERS = [
    "State Statistics Office",
    "Regional Audit Chamber",
    "Ministry of Finance open data",
    "Public procurement register",
    "Treasury payments portal",
    "City council minutes",
    "National Bank bulletin",
    "Pension Fund annual report",
]
CONTEXTS = [
    "Interview with {source}",
    "Press conference in {city}",
    "Speech at the {city} regional council",
    "Television debate on {source}",
    "Post on the official social media page",
    "Campaign rally in {city}",
    "Answer to journalists after the budget session",
]
RUBRICS = ["Politics", "Economy", "Regions", "Society", "Interview", "Elections", "Opinion"]
SYLLABLES = [c + v for c in "bdgklmnprstvz" for v in "aeiou"] + ["bre", "dro", "kel", "vash", "tor"]


class _Dice(random.Random):
    """random.Random with cheaper randint and choice (uniform enough for invented data)."""

    def randint(self, a: int, b: int) -> int:
        return a + int(self.random() * (b - a + 1))

    def choice(self, seq: Any) -> Any:
        return seq[int(self.random() * len(seq))]


@dataclass
class Counts:
    rows: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)

    def add(self, table: str, n: int) -> None:
        self.rows[table] = self.rows.get(table, 0) + n


def _pick_weighted(rng: random.Random, shares: list[tuple[str, float]]) -> Callable[[], str]:
    names = [n for n, _ in shares]
    cum = list(itertools.accumulate(s for _, s in shares))
    total = cum[-1]

    def pick() -> str:
        return names[bisect.bisect_left(cum, rng.random() * total)]

    return pick


class _Writer:
    """Batched inserts: COPY on PostgreSQL; elsewhere one Core insert() compiled per
    table and run with the driver's executemany over plain values."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.copy = conn.dialect.name == "postgresql"
        self._sql: dict[tuple[str, tuple[str, ...]], str] = {}

    def write(self, table: Table, rows: list[dict[str, Any]]) -> None:
        if not rows:
            return
        columns = tuple(rows[0])
        if self.copy:
            self._copy(table, columns, rows)
            return
        key = (table.name, columns)
        if key not in self._sql:
            stmt = insert(table).values({c: bindparam(c) for c in columns})
            self._sql[key] = str(stmt.compile(dialect=self.conn.dialect))
        converters = [
            (i, f) for i, c in enumerate(columns) if (f := _sqlite_value(table.c[c].type))
        ]
        values = []
        for row in rows:
            vals = list(row.values())
            for i, f in converters:
                if vals[i] is not None:
                    vals[i] = f(vals[i])
            values.append(tuple(vals))
        self.conn.exec_driver_sql(self._sql[key], values)  # type: ignore[arg-type]

    def _copy(self, table: Table, columns: tuple[str, ...], rows: list[dict[str, Any]]) -> None:
        json_cols = {c.name for c in table.columns if isinstance(c.type, JSON)}
        cursor = self.conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
        names = ", ".join(f'"{c}"' for c in columns)
        with cursor.copy(f'COPY "{table.name}" ({names}) FROM STDIN') as copy:
            if json_cols:
                for row in rows:
                    copy.write_row(
                        [
                            json.dumps(v) if c in json_cols and v is not None else v
                            for c, v in row.items()
                        ]
                    )
            else:
                for row in rows:
                    copy.write_row(tuple(row.values()))


def _utc_text(value: datetime) -> str:
    if value.tzinfo is not UTC:
        value = value.astimezone(UTC)
    return value.isoformat(" ", "microseconds")[:26]


def _naive_text(value: datetime) -> str:
    return value.isoformat(" ", "microseconds")


def _sqlite_value(type_: Any) -> Callable[[Any], Any] | None:
    """How SQLAlchemy's SQLite dialect stores a value of this type (see models.base)."""
    if isinstance(type_, JSON):
        return json.dumps
    if isinstance(type_, UTCDateTime):
        return _utc_text
    if isinstance(type_, DateTime):
        return _naive_text
    if isinstance(type_, Date):
        return date.isoformat
    if isinstance(type_, Boolean):
        return int
    return None


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

    def explanation(self, place: str, year_hint: int) -> str:
        r = self.rng
        publisher = r.choice(PUBLISHERS)
        return (
            f"We compared the statement with the **{publisher}** for {year_hint}. "
            f"The figures for {place} show a change of {r.randint(2, 90)}%, "
            f"and the {r.choice(BODIES_EN)} confirmed them in writing.\n\n"
            f"- Reported: {self.money('en')}\n- Recorded: {self.money('en')}\n\n"
            f"We asked the speaker's office for their source and received no answer by "
            f"{r.choice(MONTHS_EN)} {year_hint}."
        )


def _ids(conn: Connection, table: Any) -> Iterator[int]:
    start = (conn.scalar(select(func.max(table.id))) or 0) + 1
    return itertools.count(start)


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


def claims_exist(conn: Connection) -> bool:
    return conn.execute(select(Claim.id).limit(1)).first() is not None


def generate_archive(
    claims: int,
    *,
    seed: int = 1,
    batch: int = 5000,
    append: bool = False,
    progress: Callable[[int], None] | None = None,
) -> Counts:
    """Write ``claims`` synthetic claims with everything around them; one transaction."""
    if not 1 <= claims <= MAX_CLAIMS:
        raise ValidationFailed(
            f"--claims must be between 1 and {MAX_CLAIMS:,}.", fields={"claims": "Out of range."}
        )
    if not 1 <= batch <= 100_000:
        raise ValidationFailed(
            "--batch must be between 1 and 100,000.", fields={"batch": "Out of range."}
        )
    ensure_defaults()
    counts = Counts()
    started = time.perf_counter()
    with db.engine.begin() as conn:
        if not append and claims_exist(conn):
            raise Conflict(
                "The database already has claims. Generate into an empty database, "
                "or pass --append to add synthetic claims to what is there."
            )
        pg = conn.dialect.name == "postgresql"
        # claims.published_verdict_id and verdicts.claim_id point at each other: the
        # constraint is dropped while rows go in and put back (checked) before commit.
        cyclic_fk = pg and conn.scalar(
            text(
                "SELECT count(*) FROM pg_constraint WHERE conname = :name AND conrelid = 'claims'::regclass"
            ),
            {"name": PUBLISHED_VERDICT_FK},
        )
        if cyclic_fk:
            conn.execute(text(f"ALTER TABLE claims DROP CONSTRAINT {PUBLISHED_VERDICT_FK}"))
        if not pg:
            conn.exec_driver_sql("PRAGMA cache_size = -262144")  # 256 MiB while building
        _Generator(conn, seed, batch, counts, progress).run(claims)
        counts.seconds["rows"] = time.perf_counter() - started
        if cyclic_fk:
            conn.execute(
                text(
                    f"ALTER TABLE claims ADD CONSTRAINT {PUBLISHED_VERDICT_FK} "
                    "FOREIGN KEY (published_verdict_id) REFERENCES verdicts (id)"
                )
            )
        if pg:
            # Ids were given explicitly: move each sequence past them.
            for table in counts.rows:
                if table != "claim_tags":
                    conn.execute(
                        text(
                            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
                            f"(SELECT max(id) FROM {table}))"
                        )
                    )
        mark = time.perf_counter()
        from ..search import backend_for

        backend_for(conn).reindex(conn)
        counts.seconds["search_index"] = time.perf_counter() - mark
    mark = time.perf_counter()
    with db.engine.connect() as conn:
        if conn.dialect.name == "postgresql":
            # VACUUM too: it sets the visibility map, without which PostgreSQL cannot
            # answer counts from an index alone (autovacuum would, some time later).
            conn.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql("VACUUM ANALYZE")
        else:
            conn.exec_driver_sql("ANALYZE")
            conn.commit()
    counts.seconds["analyze"] = time.perf_counter() - mark
    counts.seconds["total"] = time.perf_counter() - started
    return counts


class _Generator:
    def __init__(
        self,
        conn: Connection,
        seed: int,
        batch: int,
        counts: Counts,
        progress: Callable[[int], None] | None,
    ) -> None:
        self.conn = conn
        self.rng = _Dice(seed)
        self.batch = batch
        self.counts = counts
        self.progress = progress or (lambda n: None)
        self.writer = _Writer(conn)

    def run(self, n: int) -> None:
        conn, rng, writer, counts = self.conn, self.rng, self.writer, self.counts
        self.checkers, self.editors = _staff(conn, writer, counts)
        ratings = dict(conn.execute(select(Rating.slug, Rating.id)).all())
        self.rating_ids = {slug: ratings[slug] for slug in RATING_SHARES if slug in ratings}
        if not self.rating_ids:
            raise Conflict("The rating scale has none of the default ratings.")
        self.pick_rating = _pick_weighted(
            rng, [(slug, RATING_SHARES[slug]) for slug in self.rating_ids]
        )
        speakers = _speakers(conn, writer, rng, max(20, n // 300), counts)
        self.pick_speaker = _zipf_picker(rng, speakers, 0.9)
        self.sources = _sources(conn, writer, rng, counts)
        self.tag_ids = _tags(conn, writer, counts)
        self.extra_tags = [self.tag_ids[t] for t in EXTRA_TAGS]
        self.words = _Words(rng, max(20, int(n * 0.84 * 0.4 / 5)))  # ~5 claims per village
        self.pick_status = _pick_weighted(rng, STATUS_SHARES)
        self.pick_language = _pick_weighted(rng, LANGUAGE_SHARES)
        self.claim_id = _ids(conn, Claim)
        self.first_claim_id = next(self.claim_id)
        self.claim_id = itertools.count(self.first_claim_id)
        self.article_id = _ids(conn, Article)
        self.verdict_id = _ids(conn, Verdict)
        self.evidence_id = _ids(conn, Evidence)
        self.approval_id = _ids(conn, VerdictApproval)
        self.event_id = _ids(conn, AuditEvent)
        self.span = (ARCHIVE_END - ARCHIVE_START).total_seconds()
        self.n = n
        self.article: dict[str, Any] | None = None
        done = 0
        while done < n:
            size = min(self.batch, n - done)
            self._batch(done, size)
            done += size
            self.progress(size)

    def _batch(self, offset: int, size: int) -> None:
        rows: dict[str, list[dict[str, Any]]] = {
            name: []
            for name in ("articles", "claims", "claim_tags", "evidence", "verdicts", "approvals")
        }
        rows["audit_events"] = []
        for i in range(offset, offset + size):
            self._claim(i, rows)
        w = self.writer
        w.write(Article.__table__, rows["articles"])
        w.write(Claim.__table__, rows["claims"])
        w.write(claim_tags, rows["claim_tags"])
        w.write(Verdict.__table__, rows["verdicts"])
        w.write(VerdictApproval.__table__, rows["approvals"])
        w.write(Evidence.__table__, rows["evidence"])
        w.write(AuditEvent.__table__, rows["audit_events"])
        for name, table in (
            ("articles", "articles"),
            ("claims", "claims"),
            ("claim_tags", "claim_tags"),
            ("verdicts", "verdicts"),
            ("approvals", "verdict_approvals"),
            ("evidence", "evidence"),
            ("audit_events", "audit_events"),
        ):
            self.counts.add(table, len(rows[name]))

    def _claim(self, i: int, rows: dict[str, list[dict[str, Any]]]) -> None:
        rng, words = self.rng, self.words
        claim_id = next(self.claim_id)
        # Ids grow with time, as in a real archive: newest claims have the highest ids.
        created = ARCHIVE_START + timedelta(seconds=self.span * (i + rng.random()) / self.n)
        status = self.pick_status()
        language = self.pick_language()
        claim_text, place, topic_tag = words.claim(language)
        speaker_id = self.pick_speaker()
        checker = rng.choice(self.checkers)
        editor = rng.choice(self.editors)
        stated_on = (created - timedelta(days=rng.randint(0, 6))).date()

        article_id, source_id = self._article(created, claim_text, language, rows)
        tags = {self.tag_ids[topic_tag]}
        for _ in range(rng.choice((0, 1, 1, 2))):
            tags.add(rng.choice(self.extra_tags))
        rows["claim_tags"].extend({"claim_id": claim_id, "tag_id": t} for t in tags)

        claim: dict[str, Any] = {
            "id": claim_id,
            "text": claim_text,
            "slug": words.slug(claim_text),
            "quote": None,
            "context": (
                rng.choice(CONTEXTS).format(city=place, source=rng.choice(SOURCE_STEMS))
                if rng.random() < 0.6
                else None
            ),
            "stated_on": stated_on,
            "language": language,
            "status": status,
            "checkworthiness": round(rng.uniform(0.35, 0.98), 2),
            "internal_notes": None,
            "speaker_id": speaker_id,
            "article_id": article_id,
            "source_id": source_id,
            "assignee_id": None if status == "logged" else checker,
            "created_by_id": checker,
            "duplicate_of_id": None,
            "dismiss_reason": None,
            "dismiss_note": None,
            "published_at": None,
            "published_verdict_id": None,
            "created_at": created,
            "updated_at": created,
            "version": 1,
        }
        events = rows["audit_events"]
        events.append(
            self._event(created, checker, "claim.create", claim_id, None, {"status": "logged"})
        )
        if status == "logged":
            rows["claims"].append(claim)
            return
        researched = created + timedelta(hours=rng.randint(1, 72))
        if status == "dismissed":
            reason = rng.choice(DISMISS_REASONS)
            if reason == "duplicate" and claim_id == self.first_claim_id:
                reason = "opinion"
            claim["dismiss_reason"] = reason
            claim["dismiss_note"] = "Dismissed at the morning meeting."
            if reason == "duplicate":
                claim["duplicate_of_id"] = rng.randint(self.first_claim_id, claim_id - 1)
            claim["updated_at"] = researched
            rows["claims"].append(claim)
            events.append(
                self._event(
                    researched,
                    editor,
                    "claim.dismiss",
                    claim_id,
                    {"status": "researching"},
                    {"status": "dismissed", "dismiss_reason": reason},
                )
            )
            return

        for _ in range(rng.choice((1, 1, 2, 3))):
            self._evidence(claim_id, checker, researched, place, rows)
        year = created.year
        verdicts = rows["verdicts"]
        if status == "researching":
            roll = rng.random()
            if roll < 0.6:
                revision_states = ["draft"] if roll < 0.4 else ["sent_back", "draft"]
                for rev, state in enumerate(revision_states, start=1):
                    verdicts.append(
                        self._verdict(
                            claim_id, rev, state, checker, researched, place, year, language
                        )
                    )
            claim["updated_at"] = researched
            rows["claims"].append(claim)
            events.append(
                self._event(
                    researched,
                    checker,
                    "claim.start",
                    claim_id,
                    {"status": "logged"},
                    {"status": "researching"},
                )
            )
            return

        submitted = researched + timedelta(days=rng.randint(1, 10))
        if status == "in_review" and rng.random() < 0.75:
            verdicts.append(
                self._verdict(claim_id, 1, "submitted", checker, submitted, place, year, language)
            )
            claim["updated_at"] = submitted
            rows["claims"].append(claim)
            events.append(
                self._event(
                    submitted,
                    checker,
                    "claim.submit",
                    claim_id,
                    {"status": "researching"},
                    {"status": "in_review"},
                )
            )
            return

        # Published, or a published claim whose correction is in review.
        published = submitted + timedelta(hours=rng.randint(2, 96))
        corrected = status == "published" and rng.random() < 0.03
        first = self._verdict(
            claim_id,
            1,
            "superseded" if corrected else "published",
            checker,
            submitted,
            place,
            year,
            language,
        )
        first["published_at"] = published
        verdicts.append(first)
        self._approve(first, editor, published, rows)
        claim["published_at"] = published
        claim["published_verdict_id"] = first["id"]
        claim["updated_at"] = published
        claim["version"] = 2
        events.append(
            self._event(
                published,
                editor,
                "claim.approve",
                claim_id,
                {"status": "in_review"},
                {"status": "published"},
            )
        )
        if corrected or status == "in_review":
            later = published + timedelta(days=rng.randint(3, 200))
            second = self._verdict(
                claim_id,
                2,
                "published" if corrected else "submitted",
                checker,
                later,
                place,
                year,
                language,
            )
            second["correction_note"] = (
                f"Updated on {later:%d %B %Y}: the audit chamber revised the {year} figures."
            )
            verdicts.append(second)
            if corrected:
                second["published_at"] = later
                self._approve(second, editor, later, rows)
                claim["published_verdict_id"] = second["id"]
            claim["updated_at"] = later
            events.append(
                self._event(
                    later,
                    editor,
                    "claim.correct",
                    claim_id,
                    {"status": "published"},
                    {"status": "in_review"},
                )
            )
        rows["claims"].append(claim)

    def _article(
        self,
        created: datetime,
        claim_text: str,
        language: str,
        rows: dict[str, list[dict[str, Any]]],
    ) -> tuple[int | None, int | None]:
        """Several consecutive claims come from one article; some claims have none."""
        rng = self.rng
        roll = rng.random()
        if roll < 0.12:
            return None, (rng.choice(self.sources) if roll < 0.06 else None)
        if self.article is None or roll > 0.4:
            source_id = rng.choice(self.sources)
            article_id = next(self.article_id)
            title = claim_text.split(",")[0][:200]
            self.article = {
                "id": article_id,
                "source_id": source_id,
                "title": title,
                "url": f"https://news-{source_id}.example.net/{created:%Y/%m}/{article_id}",
                "published_at": created.replace(tzinfo=None, microsecond=0),
                "rubric": rng.choice(RUBRICS),
                "language": language,
                "body": claim_text,
                "format": "manual",
                "imported_by_id": None,
                "created_at": created,
                "updated_at": created,
                "version": 1,
                "text_version": 1,
            }
            rows["articles"].append(self.article)
        return self.article["id"], self.article["source_id"]

    def _verdict(
        self,
        claim_id: int,
        revision: int,
        state: str,
        author: int,
        at: datetime,
        place: str,
        year: int,
        language: str,
    ) -> dict[str, Any]:
        rating = self.pick_rating()
        draft = state in ("draft", "sent_back")
        # A draft may still lack a rating; a submitted verdict never does.
        rating_id = None if draft and self.rng.random() < 0.3 else self.rating_ids[rating]
        return {
            "id": next(self.verdict_id),
            "claim_id": claim_id,
            "revision": revision,
            "state": state,
            "rating_id": rating_id,
            "summary": self.words.summary(rating, language),
            "explanation": self.words.explanation(place, year),
            "correction_note": None,
            "author_id": author,
            "created_at": at,
            "submitted_at": None if state == "draft" else at,
            "published_at": None,
        }

    def _approve(
        self,
        verdict: dict[str, Any],
        editor: int,
        at: datetime,
        rows: dict[str, list[dict[str, Any]]],
    ) -> None:
        rows["approvals"].append(
            {
                "id": next(self.approval_id),
                "verdict_id": verdict["id"],
                "editor_id": editor,
                "approved_at": at,
            }
        )

    def _evidence(
        self,
        claim_id: int,
        checker: int,
        at: datetime,
        place: str,
        rows: dict[str, list[dict[str, Any]]],
    ) -> None:
        rng = self.rng
        evidence_id = next(self.evidence_id)
        publisher = rng.choice(PUBLISHERS)
        has_url = rng.random() < 0.85
        rows["evidence"].append(
            {
                "id": evidence_id,
                "claim_id": claim_id,
                "url": f"https://records.example.org/{evidence_id}" if has_url else None,
                "citation": None
                if has_url
                else f"{publisher}, printed edition, p. {rng.randint(2, 300)}",
                "title": f"{publisher}: {place}",
                "publisher": publisher,
                "excerpt": f"Table {rng.randint(1, 40)} lists the spending of {place} by year.",
                "stance": rng.choice(("refutes", "refutes", "supports", "context")),
                "archived_url": None,
                "added_by_id": checker,
                "removed_at": None,
                "removed_by_id": None,
                "created_at": at,
                "updated_at": at,
                "version": 1,
            }
        )

    def _event(
        self,
        at: datetime,
        actor: int,
        action: str,
        claim_id: int,
        before: dict[str, Any] | None,
        after: dict[str, Any] | None,
    ) -> dict[str, Any]:
        return {
            "id": next(self.event_id),
            "at": at,
            "actor_id": actor,
            "action": action,
            "entity_type": "claim",
            "entity_id": claim_id,
            "claim_id": claim_id,
            "before": before,
            "after": after,
            "note": None,
            "ip": None,
        }
