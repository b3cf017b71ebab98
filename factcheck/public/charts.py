"""Server-side SVG charts and rating colours, within the Content Security Policy.

No inline ``style`` attributes and no script: colours travel as SVG presentation
attributes (``fill="#b3261e"``) or as rules in the generated ``/ratings.css``.
Rating colours are admin-editable data, so every colour is checked against
``#rrggbb`` before it is written anywhere.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from flask_babel import get_translations
from markupsafe import Markup, escape

from ..errors import tr
from ..models import Rating
from ..web.i18n import format_number, localized

HEX_COLOUR = re.compile(r"#[0-9A-Fa-f]{6}")
FALLBACK_COLOUR = "#52606d"
DARK_TEXT, LIGHT_TEXT = "#000000", "#ffffff"

# Geometry of the horizontal bar chart, in SVG user units: narrow enough that a
# 390 px phone draws its 14-unit text at about 13 px (560 units drew it at 8 px).
WIDTH = 340
LABEL_WIDTH = 124
BAR_SPACE = 170
ROW = 32
BAR_HEIGHT = 22
LABEL_CHARS = 15


def safe_colour(value: str | None) -> str:
    return value if value and HEX_COLOUR.fullmatch(value) else FALLBACK_COLOUR


def _luminance(colour: str) -> float:
    def channel(hex_pair: str) -> float:
        c = int(hex_pair, 16) / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(colour[i : i + 2]) for i in (1, 3, 5))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio of two #rrggbb colours."""
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def text_colour_on(background: str) -> str:
    """White or near-black text, whichever reads better on the background."""
    background = safe_colour(background)
    if contrast(background, LIGHT_TEXT) >= contrast(background, DARK_TEXT):
        return LIGHT_TEXT
    return DARK_TEXT


def rating_styles(ratings: Sequence[Rating]) -> str:
    """CSS giving each rating badge its colour (class ``rating-<id>``)."""
    rules = ["/* Rating colours, generated from the rating scale. */"]
    for rating in ratings:
        background = safe_colour(rating.colour)
        text = text_colour_on(background)
        shadow = "" if text == LIGHT_TEXT else " text-shadow: none;"
        rules.append(
            f".rating-{int(rating.id)} {{ background-color: {background}; color: {text};{shadow} }}"
        )
    return "\n".join(rules) + "\n"


def ngettext(singular: str, plural: str, n: int) -> str:
    """The catalogue's plural form, unformatted (the caller fills %(num)s)."""
    return str(get_translations().ungettext(singular, plural, n))


def _label(text: str, chars: int = LABEL_CHARS) -> str:
    return text if len(text) <= chars else text[: chars - 1] + "…"


def ratings_chart(breakdown: Sequence[tuple[Rating, int]], *, chart_id: str, title: str) -> Markup:
    """A horizontal bar chart of claims per rating, as accessible inline SVG."""
    total = sum(count for _, count in breakdown)
    largest = max((count for _, count in breakdown), default=0) or 1
    height = ROW * len(breakdown) + 8
    published = ngettext(
        "%(num)s published fact-check.", "%(num)s published fact-checks.", total
    ) % {"num": format_number(total)}
    # Names, numbers and words in the page's language (the public URL decides).
    names = {rating.id: localized(rating, "name") for rating, _ in breakdown}
    summary = "; ".join(
        f"{names[rating.id]}: {format_number(count)}" for rating, count in breakdown
    )
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{WIDTH}" height="{height}" '
        f'viewBox="0 0 {WIDTH} {height}" aria-labelledby="{chart_id}-title {chart_id}-desc" '
        f'class="ratings-chart" id="{chart_id}">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(published)} {escape(summary)}.</desc>',
    ]
    for row, (rating, count) in enumerate(breakdown):
        y = 4 + row * ROW
        middle = y + BAR_HEIGHT / 2
        bar = round(BAR_SPACE * count / largest) if count else 0
        parts.append(
            f"<g><title>{escape(names[rating.id])}: {format_number(count)}</title>"
            f'<text x="{LABEL_WIDTH - 8}" y="{middle}" text-anchor="end" '
            f'dominant-baseline="middle" fill="currentColor" font-size="14">'
            f"{escape(_label(names[rating.id]))}</text>"
        )
        if bar:
            parts.append(
                f'<rect x="{LABEL_WIDTH}" y="{y}" width="{bar}" height="{BAR_HEIGHT}" rx="3" '
                f'fill="{safe_colour(rating.colour)}"/>'
            )
        parts.append(
            f'<text x="{LABEL_WIDTH + bar + 6}" y="{middle}" dominant-baseline="middle" '
            f'fill="currentColor" font-size="14" font-weight="bold">{format_number(count)}</text></g>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704  (every piece of text is escaped above)


# Geometry of the rating scale graphic (a ladder, best rating on top), in SVG user units.
# At 320 units wide it is drawn at its natural size on a 390 px phone: the text stays 15 px.
SCALE_WIDTH = 320
SCALE_ROW = 30
SCALE_SWATCH = 22
SCALE_GAP = 14  # between the ordinal scale and the ratings outside it ("Unproven")
SCALE_LABEL_CHARS = 24


def _name(rating: Rating) -> str:
    return str(localized(rating, "name"))


def _ordinal_position(scale: Sequence[Rating], rating: Rating) -> str:
    ordered = [r for r in scale if r.ordinal is not None]
    if rating.ordinal is None or rating not in ordered:
        if not ordered:
            return _name(rating)
        return tr(
            "%(rating)s is outside the scale from %(first)s to %(last)s",
            rating=_name(rating),
            first=_name(ordered[0]),
            last=_name(ordered[-1]),
        )
    return tr(
        "%(rating)s, %(position)s of %(count)s on the scale from %(first)s to %(last)s",
        rating=_name(rating),
        position=ordered.index(rating) + 1,
        count=len(ordered),
        first=_name(ordered[0]),
        last=_name(ordered[-1]),
    )


def rating_scale_graphic(scale: Sequence[Rating], current: Rating, *, chart_id: str) -> Markup:
    """The whole rating scale with this claim's place on it, as accessible inline SVG.

    Readable without colour: the claim's rating is the row with the frame, the bold
    name and the words "This claim"; a screen reader hears the title and description.
    """
    ordinal = [r for r in scale if r.ordinal is not None]
    others = [r for r in scale if r.ordinal is None]
    if current not in scale:
        others.append(current)
    rows: list[tuple[Rating, float]] = [(r, 4 + i * SCALE_ROW) for i, r in enumerate(ordinal)]
    offset = 4 + len(ordinal) * SCALE_ROW + (SCALE_GAP if ordinal and others else 0)
    rows += [(r, offset + i * SCALE_ROW) for i, r in enumerate(others)]
    height = int((rows[-1][1] if rows else 0) + SCALE_ROW + 4)
    this_claim = tr("This claim")
    title = tr("Our rating: %(position)s", position=_ordinal_position(scale, current))
    names = ", ".join(_name(r) for r in ordinal)
    desc = tr("The scale, from the top: %(names)s.", names=names) if names else ""
    if ordinal and others:
        desc += " " + tr("Outside the scale: %(names)s.", names=", ".join(_name(r) for r in others))
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{SCALE_WIDTH}" '
        f'height="{height}" viewBox="0 0 {SCALE_WIDTH} {height}" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" class="rating-scale" id="{chart_id}">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(desc)}</desc>',
    ]
    if ordinal and others:
        line_y = 4 + len(ordinal) * SCALE_ROW + SCALE_GAP / 2 - 2
        parts.append(
            f'<line x1="0" x2="{SCALE_WIDTH}" y1="{line_y}" y2="{line_y}" '
            'stroke="currentColor" stroke-opacity="0.35" stroke-dasharray="4 4"/>'
        )
    for rating, y in rows:
        is_current = rating.id == current.id
        middle = y + SCALE_ROW / 2 - 2
        weight = ' font-weight="bold"' if is_current else ""
        parts.append(f"<g><title>{escape(_name(rating))}</title>")
        if is_current:
            parts.append(
                f'<rect x="1" y="{y - 2}" width="{SCALE_WIDTH - 2}" height="{SCALE_ROW}" rx="4" '
                'fill="none" stroke="currentColor" stroke-width="2"/>'
            )
        parts.append(
            f'<rect x="6" y="{y + (SCALE_ROW - SCALE_SWATCH) / 2 - 2}" width="{SCALE_SWATCH}" '
            f'height="{SCALE_SWATCH}" rx="3" fill="{safe_colour(rating.colour)}"/>'
            f'<text x="{14 + SCALE_SWATCH}" y="{middle}" dominant-baseline="middle" '
            f'fill="currentColor" font-size="15"{weight}>'
            f"{escape(_label(_name(rating), SCALE_LABEL_CHARS))}</text>"
        )
        if is_current:
            parts.append(
                f'<text x="{SCALE_WIDTH - 10}" y="{middle}" text-anchor="end" '
                'dominant-baseline="middle" fill="currentColor" font-size="15" '
                f'font-weight="bold">◀ {escape(this_claim)}</text>'
            )
        parts.append("</g>")
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704  (every piece of text is escaped above)
