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
from .monitoring import CandidateMatch, Feed, FeedItem, Job, JobPayload, SpeakerWatch
from .people import SlugRedirect, Speaker, SpeakerAlias
from .settings import SiteSettings
from .sources import Article, ArticleText, Source
from .submissions import SubmissionKey
from .tips import Tip, TipGroup
from .tracking import Appearance, ClaimEmbedding, ExternalFactCheck, ExternalFactCheckWord
from .two_factor import RecoveryCode, TotpCredential
from .verdicts import Rating, Verdict, VerdictApproval

__all__ = [
    "ApiToken",
    "Appearance",
    "ClaimEmbedding",
    "Article",
    "ArticleText",
    "AuditEvent",
    "CandidateMatch",
    "Claim",
    "ClaimStatus",
    "DismissReason",
    "Evidence",
    "ExternalFactCheck",
    "ExternalFactCheckWord",
    "Feed",
    "FeedItem",
    "ImportCandidate",
    "Job",
    "JobPayload",
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
    "SpeakerWatch",
    "SpeakerAlias",
    "SpeakerKind",
    "Stance",
    "SubmissionKey",
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
