"""factcheck: a claim-tracking fact-check database with a web UI.

Importing the package loads nothing else: the pure modules (``workflow``,
``extraction``, ``enums``, ``limits``, ``errors``) stay free of Flask and the
database, and ``create_app`` (in ``factcheck.app``) is loaded when first asked for.
"""

from __future__ import annotations

from typing import Any

__all__ = ["create_app"]


def __getattr__(name: str) -> Any:
    if name in ("create_app", "ROOT"):
        from . import app

        return getattr(app, name)
    raise AttributeError(f"module 'factcheck' has no attribute {name!r}")
