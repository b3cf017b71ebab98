"""Domain errors raised by services; the web layers turn them into responses."""

from __future__ import annotations

from typing import Any


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
