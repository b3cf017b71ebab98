"""Rate limits on readers' tips, shared by the public form and the API.

One allowance per address and one across all readers, whichever channel a tip
comes through, so a second channel gives no second allowance.
"""

from __future__ import annotations

from flask import current_app

from ..extensions import limiter


def address_limit() -> str:
    return str(current_app.config.get("TIPS_RATE_PER_ADDRESS", "5 per minute;30 per day"))


def global_limit() -> str:
    return str(current_app.config.get("TIPS_RATE_GLOBAL", "300 per hour"))


def _everyone() -> str:
    return "all readers"


# Shared by the form and the API, so a second channel gives no second allowance.
per_address = limiter.shared_limit(address_limit, scope="tips-address", methods=["POST"])
across_everyone = limiter.shared_limit(
    global_limit, scope="tips-global", key_func=_everyone, methods=["POST"]
)
