"""Accounts, one module per aggregate: ``users``, password ``links``, API ``tokens``.

The names are re-exported here so ``from factcheck.services import accounts`` keeps
working for callers that only need one or two of them.
"""

from __future__ import annotations

from .issued import IssuedSecret
from .links import LINK_LIFETIME, LINK_PURPOSES, find_password_link, issue_password_link
from .tokens import (
    DEFAULT_LIFETIME_DAYS,
    LIFETIME_CHOICES_DAYS,
    TOKEN_PREFIX,
    TOKEN_STATES,
    active_token_counts,
    create_api_token,
    list_tokens,
    revoke_all_tokens,
    revoke_api_token,
    tokens_of,
    user_for_token,
)
from .users import (
    NAME_MAX,
    USER_STATES,
    authenticate,
    change_password,
    change_role,
    create_user,
    end_all_sessions,
    find_user_by_email,
    invite_user,
    list_users,
    normalize_email,
    parse_role,
    request_password_reset,
    set_active,
    set_locale,
    set_password_from_command_line,
    sign_out,
    use_password_link,
)

__all__ = [
    "DEFAULT_LIFETIME_DAYS",
    "LIFETIME_CHOICES_DAYS",
    "LINK_LIFETIME",
    "LINK_PURPOSES",
    "NAME_MAX",
    "TOKEN_PREFIX",
    "TOKEN_STATES",
    "USER_STATES",
    "IssuedSecret",
    "active_token_counts",
    "authenticate",
    "change_password",
    "set_locale",
    "change_role",
    "create_api_token",
    "create_user",
    "end_all_sessions",
    "find_password_link",
    "find_user_by_email",
    "invite_user",
    "issue_password_link",
    "list_tokens",
    "list_users",
    "normalize_email",
    "parse_role",
    "request_password_reset",
    "revoke_all_tokens",
    "revoke_api_token",
    "set_active",
    "set_password_from_command_line",
    "sign_out",
    "tokens_of",
    "use_password_link",
    "user_for_token",
]
