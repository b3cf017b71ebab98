"""Who may do what: one table of role x permission, asked by views, templates and services."""

from __future__ import annotations

from enum import StrEnum
from typing import Protocol

from .enums import Role
from .errors import PermissionDenied, tr
from .locales import N_


class Perm(StrEnum):
    USE_DESK = "use_desk"
    LOG_CLAIM = "log_claim"
    EDIT_CLAIM = "edit_claim"
    IMPORT_ARTICLE = "import_article"
    ADD_EVIDENCE = "add_evidence"
    DRAFT_VERDICT = "draft_verdict"
    START = "start"
    SUBMIT = "submit"
    EDIT_SPEAKER = "edit_speaker"
    MANAGE_OWN_TOKENS = "manage_own_tokens"
    ADD_APPEARANCE = "add_appearance"
    READ_TIPS = "read_tips"
    # editors
    APPROVE = "approve"
    SEND_BACK = "send_back"
    DISMISS = "dismiss"
    ASSIGN = "assign"
    CORRECT = "correct"
    MANAGE_RATINGS = "manage_ratings"
    MERGE = "merge"
    CONFIRM_APPEARANCE = "confirm_appearance"
    ANSWER_TIPS = "answer_tips"
    READ_TIP_EMAILS = "read_tip_emails"
    # admins
    MANAGE_USERS = "manage_users"
    MANAGE_ALL_TOKENS = "manage_all_tokens"
    MANAGE_SETTINGS = "manage_settings"
    READ_AUDIT = "read_audit"


_FACT_CHECKER = {
    Perm.USE_DESK,
    Perm.LOG_CLAIM,
    Perm.EDIT_CLAIM,
    Perm.IMPORT_ARTICLE,
    Perm.ADD_EVIDENCE,
    Perm.DRAFT_VERDICT,
    Perm.START,
    Perm.SUBMIT,
    Perm.EDIT_SPEAKER,
    Perm.MANAGE_OWN_TOKENS,
    Perm.ADD_APPEARANCE,
    Perm.READ_TIPS,
}
_EDITOR = _FACT_CHECKER | {
    Perm.APPROVE,
    Perm.SEND_BACK,
    Perm.DISMISS,
    Perm.ASSIGN,
    Perm.CORRECT,
    Perm.MANAGE_RATINGS,
    Perm.MERGE,
    Perm.CONFIRM_APPEARANCE,
    Perm.ANSWER_TIPS,
    Perm.READ_TIP_EMAILS,
}
_ADMIN = _EDITOR | {
    Perm.MANAGE_USERS,
    Perm.MANAGE_ALL_TOKENS,
    Perm.MANAGE_SETTINGS,
    Perm.READ_AUDIT,
}

PERMISSIONS: dict[Role, frozenset[Perm]] = {
    Role.FACT_CHECKER: frozenset(_FACT_CHECKER),
    Role.EDITOR: frozenset(_EDITOR),
    Role.ADMIN: frozenset(_ADMIN),
}

ROLE_LABELS = {
    Role.FACT_CHECKER: N_("Fact-checker"),
    Role.EDITOR: N_("Editor"),
    Role.ADMIN: N_("Admin"),
}


class Actor(Protocol):
    role: str

    @property
    def is_active(self) -> bool: ...


def can(user: Actor | None, perm: Perm | str) -> bool:
    if user is None or not getattr(user, "is_authenticated", True) or not user.is_active:
        return False
    try:
        role = Role(user.role)
    except ValueError:
        return False
    return Perm(perm) in PERMISSIONS[role]


def require(user: Actor | None, perm: Perm | str) -> None:
    if not can(user, perm):
        raise PermissionDenied(tr("Your role does not allow this action."))
