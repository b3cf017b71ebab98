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

from ..models import Rating
from ..web.i18n import format_number, localized

HEX_COLOUR = re.compile(r"#[0-9A-Fa-f]{6}")
FALLBACK_COLOUR = "#52606d"
DARK_TEXT, LIGHT_TEXT = "#111111", "#ffffff"

# Geometry of the horizontal bar chart, in SVG user units.
WIDTH = 560
LABEL_WIDTH = 150
BAR_SPACE = 330
ROW = 32
BAR_HEIGHT = 22
LABEL_CHARS = 22


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


def _label(text: str) -> str:
    return text if len(text) <= LABEL_CHARS else text[: LABEL_CHARS - 1] + "…"


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
