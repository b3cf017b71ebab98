"""What every installation starts with: the default rating scale and the settings row."""

from __future__ import annotations

from sqlalchemy import func, select

from ..extensions import db
from ..models import Rating
from .settings import ensure_settings

# The default scale in Ukrainian (the names Ukrainian fact-checkers use), by slug.
UKRAINIAN_RATINGS = {
    "true": ("Правда", "Твердження точне, нічого суттєвого не пропущено."),
    "mostly-true": ("Переважно правда", "Точне, але потребує уточнень чи додаткової інформації."),
    "half-true": (
        "Напівправда",
        "Частково точне; пропускає важливі деталі або подає факти поза контекстом.",
    ),
    "misleading": ("Маніпуляція", "Містить частку правди, але створює хибне враження."),
    "mostly-false": ("Переважно неправда", "Містить частку правди, але ігнорує ключові факти."),
    "false": ("Неправда", "Твердження не відповідає дійсності."),
    "unproven": ("Не доведено", "Наявні дані не підтверджують і не спростовують твердження."),
}

DEFAULT_RATINGS = [
    ("True", "true", 6, "The statement is accurate and nothing significant is missing.", "#1a7f37"),
    (
        "Mostly true",
        "mostly-true",
        5,
        "Accurate, but needs clarification or additional information.",
        "#4d8a1f",
    ),
    (
        "Half true",
        "half-true",
        4,
        "Partially accurate; leaves out important details or takes things out of context.",
        "#8a6d00",
    ),
    (
        "Misleading",
        "misleading",
        3,
        "Contains an element of truth but creates a false impression.",
        "#b35900",
    ),
    (
        "Mostly false",
        "mostly-false",
        2,
        "Contains an element of truth but ignores critical facts.",
        "#c2410c",
    ),
    ("False", "false", 1, "The statement is not accurate.", "#b3261e"),
    (
        "Unproven",
        "unproven",
        None,
        "The available evidence neither proves nor disproves it.",
        "#52606d",
    ),
]


def ensure_defaults() -> None:
    """Create the default rating scale and settings when none exist (idempotent)."""
    ensure_settings()
    if not db.session.scalar(select(func.count(Rating.id))):
        for position, (name, slug, ordinal, description, colour) in enumerate(DEFAULT_RATINGS):
            db.session.add(
                Rating(
                    name=name,
                    slug=slug,
                    ordinal=ordinal,
                    description=description,
                    colour=colour,
                    position=position,
                    translations=(
                        {
                            "uk": dict(
                                zip(("name", "description"), UKRAINIAN_RATINGS[slug], strict=True)
                            )
                        }
                        if slug in UKRAINIAN_RATINGS
                        else None
                    ),
                )
            )
    db.session.commit()
