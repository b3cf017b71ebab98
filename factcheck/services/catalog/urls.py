"""Addresses people type: only well-formed http(s) URLs are stored."""

from __future__ import annotations

from urllib.parse import urlsplit

from ...errors import ValidationFailed, tr
from ...limits import URL_MAX


def check_url(value: str | None, field: str) -> str | None:
    """A well-formed http(s) URL, or None for an empty value."""
    value = (value or "").strip()
    if not value:
        return None
    try:
        parts = urlsplit(value)
    except ValueError:  # an unbalanced IPv6 bracket ("http://[")
        parts = urlsplit("")
    if (
        parts.scheme not in ("http", "https")
        or not parts.netloc
        or " " in value
        or len(value) > URL_MAX
    ):
        raise ValidationFailed(
            tr(
                "“%(value_80)s” is not a web address (it must start with http:// or https://).",
                value_80=value[:80],
            ),
            fields={field: "Give a full address starting with http:// or https://."},
        )
    return value
