"""Walk every route of the app: fill URL parameters from real rows, snapshot the database.

Used by test_security_routes.py (who may reach what) and test_security_xss.py (no page
renders a payload live). When a route has a URL parameter the walker does not know,
it fails and names it: add the name to ``PARAMS`` below (or a per-endpoint entry to
``OVERRIDES``) and give it a value in ``World.params``.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import sqlalchemy as sa
from flask import Flask

from factcheck.extensions import db

from .conftest import PASSWORD

IGNORED_METHODS = {"HEAD", "OPTIONS"}
# URL parameter name -> key of World.params holding the value to use.
PARAMS = {
    "user_id": "user_id",
    "token_id": "api_token_id",
    "api_token_id": "api_token_id",
    "token": "password_link",
    "claim_id": "claim_id",
    "speaker_id": "speaker_id",
    "source_id": "source_id",
    "article_id": "article_id",
    "evidence_id": "evidence_id",
    "verdict_id": "verdict_id",
    "revision": "revision",
    "rating_id": "rating_id",
    "notification_id": "notification_id",
    "candidate_id": "candidate_id",
    "appearance_id": "appearance_id",
    "claim_ref": "claim_ref",
    "direction": "direction",
    "feed_id": "feed_id",
    "job_id": "job_id",
    "group_id": "tip_group_id",
}
# (endpoint, parameter) -> key of World.params, where a name means different things.
OVERRIDES: dict[tuple[str, str], str] = {
    ("public.speaker", "slug"): "speaker_slug",
    ("api.get_speaker", "slug"): "speaker_slug",
    ("public.source", "slug"): "source_slug",
    ("api.get_source", "slug"): "source_slug",
    ("public.tip_status", "token"): "tip_token",
    # The same public pages again under /uk/ (the public blueprint registered twice).
    ("public_uk.speaker", "slug"): "speaker_slug",
    ("public_uk.source", "slug"): "source_slug",
    ("public_uk.tip_status", "token"): "tip_token",
}


@dataclass
class Route:
    endpoint: str
    rule: str
    url: str
    methods: frozenset[str]


@dataclass
class World:
    """Rows the walker's URLs point at, by the keys of PARAMS."""

    params: dict[str, Any] = field(default_factory=dict)


class UnknownParameter(LookupError):
    pass


def routes(app: Flask, world: World) -> Iterator[Route]:
    """Every registered route but static files, with its URL built from real rows."""
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if rule.endpoint == "static" or rule.endpoint.endswith(".static"):
            continue
        values: dict[str, Any] = {}
        for name in sorted(rule.arguments):
            key = OVERRIDES.get((rule.endpoint, name)) or PARAMS.get(name)
            if key is None or key not in world.params:
                raise UnknownParameter(
                    f"{rule.endpoint} ({rule.rule}) has the URL parameter '{name}' that the "
                    "route walker cannot fill: map it in PARAMS or OVERRIDES of "
                    "tests/routewalk.py and create the row in the fixture that builds World."
                )
            values[name] = world.params[key]
        built = rule.build(values, append_unknown=False)
        assert built is not None, f"cannot build {rule.rule} from {values}"
        url = built[1]
        methods = frozenset((rule.methods or set()) - IGNORED_METHODS)
        yield Route(rule.endpoint, rule.rule, url if url.startswith("/") else "/" + url, methods)


def snapshot() -> dict[str, tuple[Any, ...]]:
    """Row count, non-null count of every column and sum of versions, per table.

    Inserts and deletes change the count, NULL <-> value changes (revoked_at, read_at,
    used_at) a column's count, and every update of a versioned row its version sum.
    """
    db.session.expire_all()
    state: dict[str, tuple[Any, ...]] = {}
    for table in db.metadata.sorted_tables:
        columns: list[Any] = [sa.func.count()]
        columns += [sa.func.count(column) for column in table.c]
        if "version" in table.c:
            columns.append(sa.func.coalesce(sa.func.sum(table.c.version), 0))
        state[table.name] = tuple(db.session.execute(sa.select(*columns).select_from(table)).one())
    db.session.rollback()
    return state


def differences(before: Mapping[str, Any], after: Mapping[str, Any]) -> list[str]:
    return [name for name in before if before[name] != after.get(name)]


def build_world(users: Mapping[str, Any], make_claim: Any, **texts: str) -> World:
    """Rows of every kind the routes point at, made through the services.

    ``texts`` may replace the words of the published claim, its speaker, evidence and
    verdict (the XSS test passes payloads): claim, quote, context, speaker,
    speaker_title, source, article_title, tag, evidence, summary, explanation.
    """
    from factcheck.models import Notification
    from factcheck.services import accounts, reviews, verdicts
    from factcheck.services import claims as claim_service
    from factcheck.workflow import Action

    t = texts.get
    checker, editor = users["fact_checker"], users["editor"]
    # no_autoflush: log_claim links the speaker before adding the claim to the session, and
    # the tag look-up would autoflush it half-built (SAWarning, an error in this suite).
    with db.session.no_autoflush:
        published = _log(checker, claim_service, t)
    reviews.transition(checker, published, Action.START)
    evidence = claim_service.add_evidence(
        checker,
        published,
        claim_service.EvidenceInput(
            stance="refutes",
            url="https://port.example.org/annual-report",
            citation=t("evidence", "Port of Example, annual report 2024"),
            title=t("evidence", "Annual report 2024"),
            publisher=t("evidence", "Port of Example"),
            excerpt=t("evidence", "2.1 million TEU were handled."),
        ),
    )
    verdict = verdicts.save_draft(
        checker,
        published,
        0,
        verdicts.DraftInput(
            rating="false",
            summary=t("summary", "The port moved 2.1 million containers, not 3 million."),
            explanation=t("explanation", "The [report](https://port.example.org/) says 2.1."),
        ),
    )
    reviews.transition(checker, published, Action.SUBMIT)
    reviews.transition(editor, published, Action.APPROVE)

    in_review = make_claim("in_review", text="The bridge was built in 1901 by the city.")
    researching = make_claim("researching", text="The museum had 2 million visitors last year.")
    logged = make_claim("logged", text="The tram network is 40 kilometres long.")
    dismissed = make_claim("dismissed", text="The new stadium will be the best in the world.")
    issued_token = accounts.create_api_token(
        checker, checker, t("token", "walker token"), password=PASSWORD
    )
    invited, link = accounts.invite_user(
        users["admin"], email="invited.walker@example.org", name="Invited Walker", role="editor"
    )
    from factcheck.services import importing

    imported = importing.import_article(
        checker,
        "Harbour pilots to strike\n\nPilot leader Ada Brine said that 40% of pilots will strike on Monday.",
        source_name=t("source", "The Example Gazette"),
    )
    from factcheck.services import appearances

    # A confirmed appearance: only editors may remove it now.
    appearance = appearances.add_appearance(
        checker,
        published,
        appearances.AppearanceInput(
            title=t("article_title", "Said again on the radio"),
            speaker=t("speaker", "Walker Speaker"),
            said_on=date(2025, 2, 1),
            url="https://radio.example.org/said-again",
            text=t("claim", "The port handled 3 million containers, again."),
        ),
    )
    appearances.confirm_appearance(editor, appearance)
    from factcheck.services import feeds, monitor

    feed = feeds.add_feed(checker, "https://feeds.example.org/rss", t("source", "Example Gazette"))
    job = monitor.queue_reindex(users["admin"])
    monitor.watch_speaker(checker, published.speaker.name)
    from factcheck.services import tips

    tip = tips.submit_tip(
        tips.TipInput(claim="The harbour handled 9 million containers last year. " + t("claim", ""),
                      seen_at="A leaflet", email="reader@example.org"),
        address="127.0.0.9",
    )  # fmt: skip
    notification = Notification(user_id=checker.id, message=f"Claim #{published.id} is yours.")
    db.session.add(notification)
    db.session.commit()
    return World(
        params={
            "user_id": checker.id,
            "api_token_id": issued_token.row.id,
            "password_link": link.secret,
            "claim_id": published.id,
            "claim_ref": f"{published.id}-{published.slug}",
            "direction": "up",
            "candidate_id": imported.candidates[0].id,
            "imported_article_id": imported.article.id,
            "claim_in_review_id": in_review.id,
            "claim_researching_id": researching.id,
            "claim_logged_id": logged.id,
            "claim_dismissed_id": dismissed.id,
            "speaker_id": published.speaker_id,
            "speaker_slug": published.speaker.slug,
            "source_id": published.source_id,
            "source_slug": published.source.slug if published.source else None,
            "article_id": published.article_id,
            "evidence_id": evidence.id,
            "verdict_id": verdict.id,
            "revision": verdict.revision,
            "rating_id": verdict.rating_id,
            "notification_id": notification.id,
            "appearance_id": appearance.id,
            "invited_user_id": invited.id,
            "feed_id": feed.id,
            "job_id": job.id,
            "tip_token": tip.token,
            "tip_group_id": tip.tip.group_id,
        }
    )


def _log(checker: Any, claim_service: Any, t: Any) -> Any:
    from factcheck.services import catalog

    # Made first: log_claim creating them itself trips the autoflush described above.
    source = catalog.create_source(checker, t("source", "The Example Gazette"))
    article = catalog.create_article(
        checker,
        source,
        catalog.ArticleInput(
            title=t("article_title", "Port celebrates a record year"),
            url="https://gazette.example.org/port-record",
        ),
    )
    db.session.commit()
    return claim_service.log_claim(
        checker,
        claim_service.ClaimInput(
            text=t("claim", "The harbour authority moved 3 million containers in 2024."),
            speaker=t("speaker", "Ilse Fictional"),
            speaker_title=t("speaker_title", "Harbour master of Port Example"),
            quote=t("quote", "We moved three million boxes."),
            context=t("context", "At the annual port dinner"),
            source_id=source.id,
            article_id=article.id,
            tags=[t("tag", "ports")],
            stated_on=date(2025, 2, 3),
        ),
    )
