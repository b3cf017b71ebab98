from __future__ import annotations

from flask import render_template
from flask_login import login_required

from . import bp


@bp.get("/users")
@login_required
def users() -> str:
    return render_template("desk/dashboard.html")
