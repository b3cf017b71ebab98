"""The desk: every view here needs a signed-in newsroom account."""

from __future__ import annotations

from typing import Any, cast

from flask import render_template
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from ..extensions import login_manager
from ..models import User
from ..policy import Perm, can, require
from ..reads import claims as claim_reads
from . import bp


def actor() -> User:
    return cast(User, current_user._get_current_object())


@bp.before_request
def signed_in_newsroom_only() -> Response | None:
    if not current_user.is_authenticated:
        return login_manager.unauthorized()  # type: ignore[no-any-return]
    require(current_user, Perm.USE_DESK)
    return None


@bp.get("/")
@login_required
def dashboard() -> str:
    data: dict[str, Any] = claim_reads.dashboard(
        actor(), can_review=can(current_user, Perm.APPROVE)
    )
    return render_template("desk/dashboard.html", **data)


from . import (  # noqa: E402, F401
    appearance_views,
    catalog_views,
    claim_views,
    import_views,
    monitor_views,
    rating_views,
    tips_views,
)
