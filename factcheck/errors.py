"""Domain errors raised by services; the web layers turn them into responses."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def _same(text: str) -> str:
    return text


def _same_plural(singular: str, plural: str, n: int) -> str:
    return singular if n == 1 else plural


# The web layer plugs in the catalogue's gettext (factcheck/web/i18n.py); without it
# (the command line, a bare test) messages stay in English.
_gettext: Callable[[str], str] = _same
_ngettext: Callable[[str, str, int], str] = _same_plural


def _plain_number(value: float) -> str:
    return f"{value:,}" if isinstance(value, int) else f"{value:g}"


_number: Callable[[float], str] = _plain_number


def set_translator(
    gettext: Callable[[str], str],
    ngettext: Callable[[str, str, int], str],
    number: Callable[[float], str] | None = None,
) -> None:
    global _gettext, _ngettext, _number
    _gettext, _ngettext = gettext, ngettext
    _number = number or _plain_number


def num(value: float) -> str:
    """A number for a message, as the request's language writes it ("1,000", "1 000")."""
    return _number(value)


def tr(text: str, **params: Any) -> str:
    """A message for people, in the request's language; ``%(name)s`` filled from ``params``."""
    translated = _gettext(text)
    return translated % params if params else translated


def ntr(singular: str, plural: str, n: int, **params: Any) -> str:
    """``tr`` for a message about ``n`` things (``%(num)s`` is n)."""
    return _ngettext(singular, plural, n) % {"num": n, **params}


class DomainError(Exception):
    status = 400

    def __init__(self, message: str, *, fields: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.fields = fields or {}


class ValidationFailed(DomainError):
    status = 400


class PermissionDenied(DomainError):
    status = 403


class NotFound(DomainError):
    status = 404


class Conflict(DomainError):
    """The state of the data forbids the action (a rule or a workflow state)."""

    status = 409


class TransitionNotAllowed(Conflict):
    pass


class StaleEdit(Conflict):
    """Someone saved the row since the form was loaded."""

    def __init__(
        self, message: str, *, current: Any = None, submitted: dict[str, Any] | None = None
    ):
        super().__init__(message)
        self.current = current
        self.submitted = submitted or {}
