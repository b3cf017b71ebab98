"""The interface's languages (pure: the models, services and web layer all read it)."""

from __future__ import annotations

LOCALES = ("en", "uk")
DEFAULT_LOCALE = "en"
# Each language's name in itself, for the language switch and the account setting.
LOCALE_NAMES = {"en": "English", "uk": "Українська"}
# The public site's address prefix per language; the default language has none.
PREFIXED = {"uk": "/uk"}


def N_(message: str) -> str:  # noqa: N802  (the name pybabel looks for)
    """Mark a string for the catalogue without translating it (it is translated when shown)."""
    return message
