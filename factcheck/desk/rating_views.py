"""The rating scale, managed by editors."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from ..errors import DomainError
from ..forms import ActionForm
from ..models import Rating
from ..policy import Perm, require
from ..reads.common import get_or_404
from ..services import ratings as rating_service
from ..web.refusals import show_refusal
from . import bp
from .forms import RatingForm
from .routes import actor


@bp.get("/ratings")
def ratings() -> str:
    require(actor(), Perm.MANAGE_RATINGS)
    return render_template(
        "desk/ratings.html", ratings=rating_service.scale(), action_form=ActionForm()
    )


@bp.route("/ratings/new", methods=["GET", "POST"])
@bp.route("/ratings/<int:rating_id>/edit", methods=["GET", "POST"])
def edit_rating(rating_id: int | None = None) -> str | Response:
    require(actor(), Perm.MANAGE_RATINGS)
    rating = get_or_404(Rating, rating_id) if rating_id else None
    form = RatingForm(obj=rating) if request.method == "GET" and rating else RatingForm()
    if request.method == "GET" and rating is not None:
        ukrainian = (rating.translations or {}).get("uk") or {}
        form.name_uk.data = ukrainian.get("name", "")
        form.description_uk.data = ukrainian.get("description", "")
    if form.validate_on_submit():
        values = {
            "name": form.name.data or "",
            "ordinal": form.ordinal.data,
            "description": form.description.data or "",
            "colour": form.colour.data or "",
            "translations": {
                "uk": {
                    "name": form.name_uk.data or "",
                    "description": form.description_uk.data or "",
                }
            },
        }
        try:
            if rating is None:
                rating_service.create_rating(actor(), **values)
            else:
                rating_service.update_rating(actor(), rating, form.version.data, **values)
        except DomainError as exc:
            show_refusal(exc, form)
        else:
            flash(_("Rating saved."), "success")
            return redirect(url_for("desk.ratings"))
    return render_template("desk/rating_form.html", form=form, rating=rating)


@bp.post("/ratings/<int:rating_id>/move/<direction>")
def move_rating(rating_id: int, direction: str) -> Response:
    rating = get_or_404(Rating, rating_id)
    if direction not in ("up", "down"):
        abort(404)
    if ActionForm().validate_on_submit():
        rating_service.move_rating(actor(), rating, -1 if direction == "up" else 1)
    return redirect(url_for("desk.ratings"))


@bp.post("/ratings/<int:rating_id>/delete")
def delete_rating(rating_id: int) -> Response:
    rating = get_or_404(Rating, rating_id)
    if ActionForm().validate_on_submit():
        name = rating.name
        try:
            rating_service.delete_rating(actor(), rating)
        except DomainError as exc:
            show_refusal(exc)
        else:
            flash(_("Rating “%(name)s” deleted.", name=name), "success")
    return redirect(url_for("desk.ratings"))
