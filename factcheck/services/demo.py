"""The demo newsroom: fictional data replayed through the real services.

`factcheck demo load` reads ``factcheck/data/demo/scenario.toml`` and the
articles beside it, then does what a newsroom would do: an admin creates the
accounts, fact-checkers log claims and add evidence, editors assign, send back,
dismiss, approve and correct. Every row therefore comes with its audit events,
notifications and search index entries, exactly as if people had clicked.
"""

from __future__ import annotations

import importlib
import re
import secrets
import tomllib
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select

from ..errors import Conflict
from ..extensions import db
from ..models import Article, Claim, ClaimStatus, Rating, Source, User
from ..reads.claims import status_counts
from ..workflow import Action
from . import accounts, catalog, claims, reviews, verdicts
from .defaults import ensure_defaults

DEMO_DIR = Path(__file__).resolve().parent.parent / "data" / "demo"
SCENARIO = "scenario.toml"
NOT_EMPTY = (
    "The database is not empty (it already has accounts or claims); "
    "`factcheck demo load` only fills an empty database."
)


@dataclass
class DemoLogin:
    role: str
    email: str
    password: str


@dataclass
class DemoResult:
    logins: list[DemoLogin]
    claims_by_status: dict[str, int] = field(default_factory=dict)
    articles: int = 0
    sources: int = 0
    speakers: int = 0

    @property
    def claims(self) -> int:
        return sum(self.claims_by_status.values())


@dataclass
class DemoArticle:
    """What the demo needs from an article file in the newsroom sample format."""

    source: str
    published_at: datetime
    rubric: str | None
    title: str
    body: str


def database_is_empty() -> bool:
    """No account and no claim yet: the only state the demo may fill."""
    has_user = db.session.scalar(select(User.id).limit(1)) is not None
    return not has_user and db.session.scalar(select(Claim.id).limit(1)) is None


def read_scenario(directory: Path = DEMO_DIR) -> dict[str, Any]:
    with open(directory / SCENARIO, "rb") as fh:
        return tomllib.load(fh)


# --- reading the article files -------------------------------------------------

_DATE_LINE = re.compile(r"^date\s+(\d{4}-\d{2}-\d{2})\s+(\S.*?)\s*$", re.IGNORECASE)
_TIME_LINE = re.compile(r"^(\d{1,2}):(\d{2})\s+(\d{1,2})\.(\d{1,2})\.(\d{4})$")


def read_demo_article(path: Path) -> DemoArticle:
    """Read a demo article with the importer's reader, or with a small header parser.

    The importer (``factcheck.extraction.read_article``) is the one reader of the
    sample format; the fallback only exists so the demo works in a checkout that
    does not have the importer yet.
    """
    data = path.read_bytes()
    reader = getattr(_extraction_module(), "read_article", None)
    if reader is None:
        return parse_sample(data.decode("utf-8"))
    parsed = reader(data, filename=path.name)
    if not parsed.source or parsed.published_at is None:
        raise ValueError(f"{path.name}: the header names no outlet or date.")
    return DemoArticle(
        source=parsed.source,
        published_at=parsed.published_at,
        rubric=parsed.rubric,
        title=parsed.title,
        body=parsed.body,
    )


def _extraction_module() -> Any:
    try:
        return importlib.import_module("factcheck.extraction")
    except ImportError:
        return None


def parse_sample(text: str) -> DemoArticle:
    """The sample format: `date YYYY-MM-DD Outlet`, a rubric, `HH:MM DD.MM.YYYY`, title, body."""
    lines = [line.strip() for line in text.lstrip("\ufeff").splitlines()]
    header = [i for i, line in enumerate(lines) if line][:4]
    if len(header) < 4:
        raise ValueError("A demo article needs a date line, a rubric, a time line and a title.")
    date_match = _DATE_LINE.match(lines[header[0]])
    time_match = _TIME_LINE.match(lines[header[2]])
    if date_match is None or time_match is None:
        raise ValueError(
            "A demo article starts `date YYYY-MM-DD Outlet`, rubric, `HH:MM DD.MM.YYYY`."
        )
    hour, minute, day, month, year = (int(g) for g in time_match.groups())
    paragraphs: list[str] = []
    block: list[str] = []
    for line in [*lines[header[3] + 1 :], ""]:
        if line:
            block.append(line)
        elif block:
            paragraphs.append(" ".join(block))
            block = []
    return DemoArticle(
        source=date_match.group(2),
        published_at=datetime(year, month, day, hour, minute),
        rubric=lines[header[1]],
        title=lines[header[3]],
        body="\n\n".join(paragraphs),
    )


# --- loading -------------------------------------------------------------------


def load_demo(directory: Path = DEMO_DIR) -> DemoResult:
    """Fill an empty database with the demo newsroom; the passwords are returned once."""
    if not database_is_empty():
        raise Conflict(NOT_EMPTY)
    scenario = read_scenario(directory)
    ensure_defaults()
    _check_ratings(scenario)

    people, logins = _create_accounts(scenario["accounts"])
    checker = people["checker1"]
    sources = {
        s["name"]: catalog.create_source(
            checker, s["name"], homepage_url=s.get("homepage_url"), kind=s["kind"]
        )
        for s in scenario["sources"]
    }
    speakers = {
        s["key"]: catalog.create_speaker(
            checker,
            s["name"],
            title=s.get("title"),
            affiliation=s.get("affiliation"),
            kind=s.get("kind", "person"),
            country=s.get("country"),
            aliases=s.get("aliases", []),
        )
        for s in scenario["speakers"]
    }
    articles = {
        a["key"]: _create_article(checker, sources, directory, a) for a in scenario["articles"]
    }
    db.session.commit()

    player = _Player(people)
    for spec in scenario["claims"]:
        article = articles.get(spec["article"]) if "article" in spec else None
        source = article.source if article is not None else sources[spec["source"]]
        stated_on = spec.get("stated_on")
        if stated_on is None and article is not None and article.published_at is not None:
            stated_on = article.published_at.date()
        claim = claims.log_claim(
            people[spec["logged_by"]],
            claims.ClaimInput(
                text=spec["text"],
                speaker_id=speakers[spec["speaker"]].id,
                quote=spec.get("quote"),
                context=spec.get("context"),
                stated_on=stated_on if isinstance(stated_on, date) else None,
                source_id=source.id if source is not None else None,
                article_id=article.id if article is not None else None,
                tags=spec.get("tags", []),
                language=spec.get("language", "en"),
                checkworthiness=spec.get("checkworthiness"),
            ),
        )
        player.play(claim, spec)

    return DemoResult(
        logins=logins,
        claims_by_status=claim_counts(),
        articles=len(articles),
        sources=len(sources),
        speakers=len(speakers),
    )


def claim_counts() -> dict[str, int]:
    """Claims per workflow status, every status listed (zero included)."""
    return status_counts()


def _check_ratings(scenario: dict[str, Any]) -> None:
    wanted = set()
    for spec in scenario["claims"]:
        for part in ("verdict", "resubmit", "correction"):
            if part in spec:
                wanted.add(spec[part]["rating"])
    have = set(db.session.scalars(select(Rating.slug)))
    if missing := sorted(wanted - have):
        raise Conflict("The rating scale lacks the demo's ratings: " + ", ".join(missing) + ".")


def _create_accounts(specs: list[dict[str, Any]]) -> tuple[dict[str, User], list[DemoLogin]]:
    people: dict[str, User] = {}
    logins: list[DemoLogin] = []
    admin: User | None = None
    # The first admin comes from the operator (as `factcheck users create` does);
    # the admin then creates everyone else.
    for spec in sorted(specs, key=lambda s: s["role"] != "admin"):
        password = secrets.token_urlsafe(12)
        user = accounts.create_user(
            admin, email=spec["email"], name=spec["name"], role=spec["role"], password=password
        )
        if admin is None and user.role == "admin":
            admin = user
        people[spec["key"]] = user
        logins.append(DemoLogin(user.role, user.email, password))
    return people, logins


def _create_article(
    actor: User, sources: dict[str, Source], directory: Path, spec: dict[str, Any]
) -> Article:
    parsed = read_demo_article(directory / spec["file"])
    if parsed.source not in sources:
        raise ValueError(f"{spec['file']}: the outlet {parsed.source!r} is not in the scenario.")
    return catalog.create_article(
        actor,
        sources[parsed.source],
        catalog.ArticleInput(
            title=parsed.title,
            url=spec.get("url"),
            published_at=parsed.published_at,
            rubric=parsed.rubric,
            language=spec.get("language", "en"),
            body=parsed.body,
            format="sample",
        ),
    )


class _Player:
    """Moves one claim through the workflow to the status the scenario asks for."""

    def __init__(self, people: dict[str, User]) -> None:
        self.people = people
        self.editor = people["editor1"]
        self.other_editor = people["editor2"]
        self.claim_ids: dict[str, int] = {}

    def play(self, claim: Claim, spec: dict[str, Any]) -> None:
        self.claim_ids[spec["key"]] = claim.id
        status = spec["status"]
        if status == ClaimStatus.DISMISSED:
            self._dismiss(claim, spec["dismiss"])
        elif status != ClaimStatus.LOGGED:
            self._research(claim, spec)
        db.session.refresh(claim)
        if claim.status != status:
            raise RuntimeError(f"demo claim {spec['key']} ended {claim.status}, not {status}")

    def _dismiss(self, claim: Claim, spec: dict[str, Any]) -> None:
        duplicate_of = self.claim_ids[spec["duplicate_of"]] if "duplicate_of" in spec else None
        reviews.transition(
            self.editor,
            claim,
            Action.DISMISS,
            reason=spec["reason"],
            comment=spec.get("note", ""),
            duplicate_of=duplicate_of,
        )

    def _research(self, claim: Claim, spec: dict[str, Any]) -> None:
        if "assign_to" in spec:
            researcher = self.people[spec["assign_to"]]
            reviews.transition(self.editor, claim, Action.ASSIGN, assignee_id=researcher.id)
        else:
            researcher = self.people[spec["logged_by"]]
            reviews.transition(researcher, claim, Action.START)
        for evidence in spec.get("evidence", []):
            claims.add_evidence(researcher, claim, claims.EvidenceInput(**evidence))
        if "verdict" in spec:
            self._draft(researcher, claim, spec["verdict"])
        if "send_back" in spec:
            reviews.transition(researcher, claim, Action.SUBMIT)
            reviews.transition(self.editor, claim, Action.SEND_BACK, comment=spec["send_back"])
            if "resubmit" in spec:
                self._draft(researcher, claim, spec["resubmit"])
        if spec["status"] == ClaimStatus.RESEARCHING:
            return
        reviews.transition(researcher, claim, Action.SUBMIT)
        if spec["status"] == ClaimStatus.IN_REVIEW and "correction" not in spec:
            return
        reviews.transition(self.editor, claim, Action.APPROVE)
        if "correction" in spec:
            self._correct(claim, spec["correction"])

    def _correct(self, claim: Claim, spec: dict[str, Any]) -> None:
        opener = self.people[spec["opened_by"]]
        reviews.transition(opener, claim, Action.CORRECT, comment=spec["note"])
        self._draft(opener, claim, spec, correction_note=spec["note"])
        if spec.get("publish"):
            # Four eyes: the editor who revised the verdict does not approve it.
            approver = self.other_editor if opener.id == self.editor.id else self.editor
            reviews.transition(approver, claim, Action.APPROVE)

    @staticmethod
    def _draft(
        author: User, claim: Claim, spec: dict[str, Any], correction_note: str | None = None
    ) -> None:
        latest = verdicts.latest_revision(claim.id)
        verdicts.save_draft(
            author,
            claim,
            latest.revision if latest else 0,
            verdicts.DraftInput(
                rating=spec["rating"],
                summary=spec["summary"],
                explanation=spec["explanation"].strip(),
                correction_note=correction_note,
            ),
        )
