"""Readers' tips: take a request, answer it at once when a fact-check exists, group the rest.

A tip is grouped with earlier tips (and claims) that ask about the same claim,
so the desk sees demand ("asked 14 times") instead of a queue of duplicates.
Nothing a reader sends is ever shown on the public site; the status page shows
only our own published fact-check. An email given is kept for the days the
site settings say, then erased.

The package: ``intake`` takes a reader's request and answers the status link,
``grouping`` decides which tips (and claims) ask about the same claim, ``desk``
is the desk's side (the groups' list, logging, answering, dismissing).
"""

from __future__ import annotations

from .desk import (
    NEWEST_TIPS_SHOWN,
    SORTS,
    GroupRow,
    answer_with,
    demand_for,
    dismiss,
    get_group,
    groups_page,
    log_claim_for,
    newest_link,
)
from .grouping import (
    GROUP_MIN_SCORE,
    GROUP_POOL,
    GROUP_WINDOW,
    Match,
    answer_for,
    asks_the_same,
    claim_core,
    published_matches,
)
from .intake import (
    DISMISS_LABELS,
    EMAIL_MAX,
    GROUP_STATES,
    SEEN_AT_MAX,
    TEXT_MAX,
    TEXT_MIN,
    Submitted,
    TipInput,
    TipStatus,
    erase_expired_emails,
    plain_text,
    sender_key,
    submit_tip,
    text_key,
    tip_status,
    validate_tip,
)

__all__ = [
    "DISMISS_LABELS",
    "EMAIL_MAX",
    "GROUP_MIN_SCORE",
    "GROUP_POOL",
    "GROUP_STATES",
    "GROUP_WINDOW",
    "NEWEST_TIPS_SHOWN",
    "SEEN_AT_MAX",
    "SORTS",
    "TEXT_MAX",
    "TEXT_MIN",
    "GroupRow",
    "Match",
    "Submitted",
    "TipInput",
    "TipStatus",
    "answer_for",
    "answer_with",
    "asks_the_same",
    "claim_core",
    "demand_for",
    "dismiss",
    "erase_expired_emails",
    "get_group",
    "groups_page",
    "log_claim_for",
    "newest_link",
    "plain_text",
    "published_matches",
    "sender_key",
    "submit_tip",
    "text_key",
    "tip_status",
    "validate_tip",
]
