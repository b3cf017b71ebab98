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

# argon2-cffi's defaults are RFC 9106's low-memory profile (t=3, 64 MiB, p=4): about
# a third of a second per hash. Tests hash hundreds of passwords, so a testing app
# uses a cheap profile unless PASSWORD_HASH_PROFILE says otherwise; it never applies
# outside TESTING, and hashes made with it are upgraded at the next sign-in.
PROFILES: dict[str, PasswordHasher] = {
    "standard": PasswordHasher(),
    "fast": PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1),
}


def _profile() -> str:
    if not has_app_context():
        return "standard"
    config = current_app.config
    if not config.get("TESTING"):
        return "standard"
    profile = config.get("PASSWORD_HASH_PROFILE") or "fast"
    return profile if profile in PROFILES else "standard"


def _hasher(profile: str) -> PasswordHasher:
    return PROFILES[profile]


@cache
def _dummy_hash(profile: str) -> str:
    # Verified against when an email has no account, so timing does not tell.
    return _hasher(profile).hash("dummy password for timing equality")


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
    personal = {email.lower(), email.split("@")[0].lower(), " ".join(name.lower().split())}
    if lowered in personal - {""} or " ".join(lowered.split()) in personal - {""}:
        return "Do not use your name or email as your password."
    return None


def hash_password(password: str) -> str:
    return _hasher(_profile()).hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    profile = _profile()
    try:
        return _hasher(profile).verify(password_hash or _dummy_hash(profile), password) and bool(
            password_hash
        )
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher(_profile()).check_needs_rehash(password_hash)
