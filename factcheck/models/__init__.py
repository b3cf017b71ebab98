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
from .tracking import Appearance, ExternalFactCheck, ExternalFactCheckWord
from .two_factor import RecoveryCode, TotpCredential
from .verdicts import Rating, Verdict, VerdictApproval

__all__ = [
    "ApiToken",
    "Appearance",
    "Article",
    "ArticleText",
    "AuditEvent",
    "Claim",
    "ClaimStatus",
    "DismissReason",
    "Evidence",
    "ExternalFactCheck",
    "ExternalFactCheckWord",
    "ImportCandidate",
    "Notification",
    "PasswordLink",
    "Rating",
    "RecoveryCode",
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
    "TotpCredential",
    "User",
    "Verdict",
    "VerdictApproval",
    "VerdictState",
    "claim_tags",
]
