"""Bearer tokens: who is calling, and the rate-limit key that follows from it.

A request without an Authorization header is anonymous and reads published
data. A header that is present must carry a working token (not revoked, its
account active); anything else is a 401 with a Bearer challenge, on reads too,
so a client with a dead token finds out at once instead of silently reading
less.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app, request
from flask_limiter.util import get_remote_address

from ..errors import tr
from ..models import ApiToken, User
from ..policy import Perm, can
from ..services import accounts
from . import bp
from .errors import Unauthorized

MAX_TOKEN_CHARS = 200
# Kept on the request, not on g: an app context (and its g) can outlive one request.
_ENVIRON_KEY = "factcheck.api_caller"


@dataclass(frozen=True)
class Caller:
    user: User | None = None
    token: ApiToken | None = None
    # Why the presented credentials were refused, when they were.
    problem: str | None = None
    error_code: str | None = None


def _identify() -> Caller:
    header = request.headers.get("Authorization", "")
    if not header.strip():
        return Caller()
    scheme, _, secret = header.strip().partition(" ")
    secret = secret.strip()
    if scheme.lower() != "bearer" or not secret or " " in secret:
        return Caller(
            problem="Send the token as 'Authorization: Bearer <token>'.",
            error_code="invalid_request",
        )
    if len(secret) > MAX_TOKEN_CHARS or not secret.isascii():
        found = None
    else:
        found = accounts.user_for_token(secret)
    if found is None:
        return Caller(
            problem="This API token is not valid: it may have expired or been revoked "
            "(a password change revokes every token of the account), "
            "or its account deactivated.",
            error_code="invalid_token",
        )
    user, token = found
    return Caller(user=user, token=token)


def caller() -> Caller:
    """The request's caller, looked up once per request (the rate limiter asks first)."""
    found = request.environ.get(_ENVIRON_KEY)
    if found is None:
        found = request.environ[_ENVIRON_KEY] = _identify()
    return found


def check_credentials() -> None:
    """Refuse a request whose Authorization header does not hold a working token."""
    found = caller()
    if found.problem:
        raise Unauthorized(found.problem, error=found.error_code)


def api_user() -> User | None:
    return caller().user


def require_token() -> User:
    user = api_user()
    if user is None:
        raise Unauthorized(
            tr(
                "This call needs an API token: send 'Authorization: Bearer <token>'. "
                "Staff create tokens on their account page or with `factcheck tokens create`."
            )
        )
    return user


def staff_reader() -> User | None:
    """The caller when they may read the desk's unpublished work, else None."""
    user = api_user()
    return user if user is not None and can(user, Perm.USE_DESK) else None


def rate_limit() -> str:
    return str(current_app.config.get("API_RATE_LIMIT") or "300 per minute")


def rate_key() -> str:
    """One bucket per person (all their tokens together); anonymous callers per address."""
    found = caller()
    if found.user is not None:
        return f"api-user:{found.user.id}"
    return "api-ip:" + (get_remote_address() or "unknown")


@bp.before_request
def guard_request() -> None:
    """Bound the body size and refuse bad credentials before any view runs."""
    request.max_content_length = current_app.config.get("API_MAX_CONTENT_LENGTH", 256 * 1024)
    check_credentials()
