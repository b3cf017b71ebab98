"""The JSON API (/api/v1), its OpenAPI document and docs page, and its CLI commands."""

from flask import Blueprint

from ..extensions import limiter

bp = Blueprint("api", __name__)

from . import auth, catalog, claim_writes, claims, docs, errors, tips  # noqa: E402, F401

# One bucket per token (per address without one) across every API call.
limiter.shared_limit(auth.rate_limit, scope="api", key_func=auth.rate_key)(bp)
