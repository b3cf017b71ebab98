"""Password hashing (argon2id) and the password rules."""

from __future__ import annotations

from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from flask import current_app, has_app_context
from zxcvbn.frequency_lists import FREQUENCY_LISTS

MIN_LENGTH = 12
MAX_LENGTH = 128
COMMON_PASSWORDS_CHECKED = 30000  # zxcvbn's list of the most common passwords

_DEFAULT_HASHER = PasswordHasher()
# Tests set ARGON2_FAST so thousands of sign-ins stay quick; production never does.
_FAST_HASHER = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


def _hasher() -> PasswordHasher:
    if has_app_context() and current_app.config.get("ARGON2_FAST"):
        return _FAST_HASHER
    return _DEFAULT_HASHER


@cache
def _dummy_hash(fast: bool) -> str:
    # Verified against when an email has no account, so timing does not tell.
    return (_FAST_HASHER if fast else _DEFAULT_HASHER).hash("dummy password for timing equality")


@cache
def _common_passwords() -> frozenset[str]:
    return frozenset(p.lower() for p in FREQUENCY_LISTS["passwords"][:COMMON_PASSWORDS_CHECKED])


def password_problem(password: str, *, email: str = "", name: str = "") -> str | None:
    """Why a new password is refused, or None. Length and commonness, no composition rules."""
    if len(password) < MIN_LENGTH:
        return f"Use at least {MIN_LENGTH} characters."
    if len(password) > MAX_LENGTH:
        return f"Use at most {MAX_LENGTH} characters."
    lowered = password.lower()
    if lowered in _common_passwords() or lowered.strip() in _common_passwords():
        return "This password is one of the most common passwords; choose another."
    if len(set(password)) < 4:
        return "This password repeats too few characters; choose another."
    local = email.split("@")[0].lower()
    if local and len(local) >= 4 and lowered == local or name and lowered == name.lower():
        return "Do not use your name or email as your password."
    return None


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    try:
        hasher = _hasher()
        dummy = _dummy_hash(hasher is _FAST_HASHER)
        return hasher.verify(password_hash or dummy, password) and bool(password_hash)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher().check_needs_rehash(password_hash)
