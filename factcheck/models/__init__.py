"""The data model, one module per aggregate."""

from ..enums import (
    ClaimStatus,
    DismissReason,
    Role,
    SourceKind,
    SpeakerKind,
    Stance,
    VerdictState,
)
from .accounts import ApiToken, PasswordLink, User
from .audit import AuditEvent, Notification
from .claims import Claim, Evidence, Tag, claim_tags
from .imports import ImportCandidate
from .monitoring import CandidateMatch, Feed, FeedItem, Job, SpeakerWatch
from .people import SlugRedirect, Speaker, SpeakerAlias
from .settings import SiteSettings
from .sources import Article, Source
from .tips import Tip, TipGroup
from .verdicts import Rating, Verdict, VerdictApproval

__all__ = [
    "ApiToken",
    "Article",
    "AuditEvent",
    "CandidateMatch",
    "Claim",
    "ClaimStatus",
    "DismissReason",
    "Evidence",
    "Feed",
    "FeedItem",
    "ImportCandidate",
    "Job",
    "Notification",
    "PasswordLink",
    "Rating",
    "Role",
    "SiteSettings",
    "SlugRedirect",
    "Source",
    "SourceKind",
    "Speaker",
    "SpeakerWatch",
    "SpeakerAlias",
    "SpeakerKind",
    "Stance",
    "Tag",
    "Tip",
    "TipGroup",
    "User",
    "Verdict",
    "VerdictApproval",
    "VerdictState",
    "claim_tags",
]
