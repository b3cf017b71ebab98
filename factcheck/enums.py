"""Enumerated values stored as strings and guarded by CHECK constraints."""

from __future__ import annotations

from enum import StrEnum

from .locales import N_


class Role(StrEnum):
    FACT_CHECKER = "fact_checker"
    EDITOR = "editor"
    ADMIN = "admin"


class ClaimStatus(StrEnum):
    LOGGED = "logged"
    RESEARCHING = "researching"
    IN_REVIEW = "in_review"
    PUBLISHED = "published"
    DISMISSED = "dismissed"


class Stance(StrEnum):
    SUPPORTS = "supports"
    REFUTES = "refutes"
    CONTEXT = "context"


class DismissReason(StrEnum):
    OPINION = "opinion"
    PREDICTION = "prediction"
    NOT_CHECK_WORTHY = "not_check_worthy"
    DUPLICATE = "duplicate"


class SpeakerKind(StrEnum):
    PERSON = "person"
    ORGANIZATION = "organization"


class SourceKind(StrEnum):
    NEWS_AGENCY = "news_agency"
    NEWSPAPER = "newspaper"
    BROADCASTER = "broadcaster"
    ONLINE = "online"
    SOCIAL_MEDIA = "social_media"
    OFFICIAL = "official"
    OTHER = "other"


class VerdictState(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    SENT_BACK = "sent_back"
    PUBLISHED = "published"
    SUPERSEDED = "superseded"


STANCE_LABELS = {
    Stance.SUPPORTS: N_("Supports the claim"),
    Stance.REFUTES: N_("Refutes the claim"),
    Stance.CONTEXT: N_("Gives context"),
}

DISMISS_REASON_LABELS = {
    DismissReason.OPINION: N_("Opinion"),
    DismissReason.PREDICTION: N_("Prediction"),
    DismissReason.NOT_CHECK_WORTHY: N_("Not check-worthy"),
    DismissReason.DUPLICATE: N_("Duplicate of another claim"),
}


def values(enum: type[StrEnum]) -> list[str]:
    return [member.value for member in enum]
