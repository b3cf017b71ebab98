"""An admin turns off someone's second factor (a lost phone and lost recovery codes)."""

from __future__ import annotations

from flask import flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from ..forms import ActionForm
from ..models import User
from ..policy import Perm
from ..reads.common import get_or_404
from ..services import two_factor
from ..web.second_factor import recent_proof_required
from ..web.security import permission_required
from . import bp


@bp.post("/users/<int:user_id>/two-factor/reset")
@permission_required(Perm.MANAGE_USERS)
@recent_proof_required("admin.user_detail")
def reset_two_factor(user_id: int) -> Response:
    user = get_or_404(User, user_id)
    form = ActionForm()
    if form.validate_on_submit():
        two_factor.reset_by_admin(current_user._get_current_object(), user)
        flash(
            _(
                "The second factor of %(name)s is off and their sessions ended; they set it "
                "up again at their next sign-in if their role must use one.",
                name=user.name,
            ),
            "success",
        )
    return redirect(url_for("admin.user_detail", user_id=user.id))
