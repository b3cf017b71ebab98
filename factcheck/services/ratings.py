"""The rating scale: editors create, edit, reorder and delete ratings."""

from __future__ import annotations

from sqlalchemy import func, select

from ..errors import Conflict, ValidationFailed, ntr, tr
from ..extensions import db
from ..limits import RATING_NAME_MAX
from ..locales import DEFAULT_LOCALE, LOCALES
from ..models import Rating, User, Verdict
from ..policy import Perm, require
from . import audit
from .locking import check_version, guarded
from .slugs import unique_slug

FIELDS = ("name", "ordinal", "description", "colour", "position", "translations")
TRANSLATED = ("name", "description")


def scale() -> list[Rating]:
    return list(db.session.scalars(select(Rating).order_by(Rating.position, Rating.id)))


def clean_translations(
    values: dict[str, dict[str, str]] | None,
) -> dict[str, dict[str, str]] | None:
    """{"uk": {"name": ..., "description": ...}} with blanks dropped; None when nothing is left.

    Only the interface's other languages are kept; a missing name or description shows
    the default-language text (marked as untranslated in the desk).
    """
    out: dict[str, dict[str, str]] = {}
    for code, fields in (values or {}).items():
        if code not in LOCALES or code == DEFAULT_LOCALE or not isinstance(fields, dict):
            continue
        kept = {}
        for key in TRANSLATED:
            text = (
                " ".join(str(fields.get(key) or "").split())
                if key == "name"
                else str(fields.get(key) or "").strip()
            )
            if key == "name" and len(text) > RATING_NAME_MAX:
                raise ValidationFailed(
                    tr("A rating name has at most %(max)s characters.", max=RATING_NAME_MAX),
                    fields={f"name_{code}": tr("Too long.")},
                )
            if text:
                kept[key] = text
        if kept:
            out[code] = kept
    return out or None


def _validate(name: str, colour: str) -> tuple[str, str]:
    name = " ".join((name or "").split())
    if not name:
        raise ValidationFailed(tr("A rating needs a name."), fields={"name": tr("Required.")})
    colour = (colour or "").strip().lower()
    if (
        len(colour) != 7
        or not colour.startswith("#")
        or any(c not in "0123456789abcdef" for c in colour[1:])
    ):
        raise ValidationFailed(
            tr("A colour looks like #1a7f37."), fields={"colour": tr("A colour like #1a7f37.")}
        )
    return name, colour


@guarded("This rating")
def create_rating(
    actor: User,
    *,
    name: str,
    ordinal: int | None,
    description: str,
    colour: str,
    translations: dict[str, dict[str, str]] | None = None,
) -> Rating:
    require(actor, Perm.MANAGE_RATINGS)
    name, colour = _validate(name, colour)
    position = (db.session.scalar(select(func.max(Rating.position))) or 0) + 1
    rating = Rating(
        name=name,
        slug=unique_slug(Rating, name),
        ordinal=ordinal,
        description=description or "",
        colour=colour,
        translations=clean_translations(translations),
        position=position,
    )
    db.session.add(rating)
    db.session.flush()
    audit.record(actor, "rating.create", "rating", rating.id, after=audit.snapshot(rating, FIELDS))
    db.session.commit()
    return rating


@guarded("This rating")
def update_rating(
    actor: User,
    rating: Rating,
    version: int | None,
    *,
    name: str,
    ordinal: int | None,
    description: str,
    colour: str,
    translations: dict[str, dict[str, str]] | None = None,
) -> Rating:
    """Change a rating; ``translations`` (when given) replaces its other-language texts."""
    require(actor, Perm.MANAGE_RATINGS)
    check_version(
        rating,
        version,
        {"name": name, "ordinal": ordinal, "description": description, "colour": colour},
        what=f"The rating “{rating.name}”",
    )
    name, colour = _validate(name, colour)
    before = audit.snapshot(rating, FIELDS)
    if translations is not None:
        rating.translations = clean_translations(translations)
    rating.name, rating.ordinal, rating.description, rating.colour = (
        name,
        ordinal,
        description or "",
        colour,
    )
    b, a = audit.changed(before, audit.snapshot(rating, FIELDS))
    audit.record(actor, "rating.update", "rating", rating.id, before=b, after=a)
    db.session.commit()
    return rating


def move_rating(actor: User, rating: Rating, direction: int) -> None:
    """Swap a rating with its neighbour above (-1) or below (+1)."""
    require(actor, Perm.MANAGE_RATINGS)
    ordered = scale()
    index = next(i for i, r in enumerate(ordered) if r.id == rating.id)
    other_index = index + (1 if direction > 0 else -1)
    if not 0 <= other_index < len(ordered):
        return
    ordered[index], ordered[other_index] = ordered[other_index], ordered[index]
    for position, row in enumerate(ordered):
        if row.position != position:
            row.position = position
    audit.record(
        actor, "rating.reorder", "rating", rating.id, after={"order": [r.slug for r in ordered]}
    )
    db.session.commit()


def delete_rating(actor: User, rating: Rating) -> None:
    require(actor, Perm.MANAGE_RATINGS)
    uses = (
        db.session.scalar(select(func.count(Verdict.id)).where(Verdict.rating_id == rating.id)) or 0
    )
    if uses:
        raise Conflict(
            ntr(
                "“%(rating_name)s” is used by %(num)s verdict version and cannot be deleted. "
                "Rename it or change its description instead.",
                "“%(rating_name)s” is used by %(num)s verdict versions and cannot be deleted. "
                "Rename it or change its description instead.",
                uses,
                rating_name=rating.name,
            )
        )
    audit.record(actor, "rating.delete", "rating", rating.id, before=audit.snapshot(rating, FIELDS))
    db.session.delete(rating)
    db.session.commit()
