"""Stylesheets built from data: each rating's colour, served as CSS.

The CSP forbids inline styles, so a rating's colour reaches the page through
this same-origin stylesheet, with a text colour chosen for contrast.
"""

from __future__ import annotations

import hashlib

from flask import Flask, Response, request

from ..services.ratings import scale


def _text_colour(hex_colour: str) -> str:
    """Black or white, whichever contrasts more with the background (WCAG luminance)."""
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    luminance = 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    return "#000000" if (luminance + 0.05) / 0.05 > 1.05 / (luminance + 0.05) else "#ffffff"


def ratings_css() -> str:
    rules = []
    for rating in scale():
        colour = rating.colour if len(rating.colour) == 7 else "#6c757d"
        rules.append(
            f".rating-{rating.slug} {{ background-color: {colour}; color: {_text_colour(colour)}; }}\n"
            f".rating-fill-{rating.slug} {{ fill: {colour}; }}"
        )
    return "\n".join(rules) + "\n"


def init_app(app: Flask) -> None:
    @app.get("/ratings.css")
    def ratings_stylesheet() -> Response:
        body = ratings_css()
        etag = hashlib.sha256(body.encode()).hexdigest()[:16]
        if request.if_none_match.contains(etag):
            return Response(status=304)
        resp = Response(body, mimetype="text/css")
        resp.set_etag(etag)
        resp.cache_control.public = True
        resp.cache_control.max_age = 60
        return resp
