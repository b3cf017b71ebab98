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
from .people import SlugRedirect, Speaker, SpeakerAlias
from .settings import SiteSettings
from .sources import Article, ArticleText, Source
from .tips import Tip, TipGroup
from .verdicts import Rating, Verdict, VerdictApproval

__all__ = [
    "ApiToken",
    "Article",
    "ArticleText",
    "AuditEvent",
    "Claim",
    "ClaimStatus",
    "DismissReason",
    "Evidence",
    "ImportCandidate",
    "Notification",
    "PasswordLink",
    "Rating",
    "Role",
    "SiteSettings",
    "SlugRedirect",
    "Source",
    "SourceKind",
    "Speaker",
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
