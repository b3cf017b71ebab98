"""Site settings and the audit log."""

from __future__ import annotations

from typing import cast

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from ..errors import DomainError, StaleEdit
from ..locales import LOCALES
from ..models import User
from ..policy import Perm
from ..services import audit_log, two_factor
from ..services import settings as site_settings
from ..web.refusals import show_refusal
from ..web.second_factor import recent_proof_required
from ..web.security import permission_required
from . import bp
from .forms import AuditFilterForm, SettingsForm, int_arg

NOBODY = "none"  # the actor filter's value for events without a signed-in actor


def _actor() -> User:
    return cast(User, current_user._get_current_object())


@bp.route("/settings", methods=["GET", "POST"])
@permission_required(Perm.MANAGE_SETTINGS)
@recent_proof_required()
def settings() -> Response | tuple[str, int]:
    current = site_settings.get_settings()
    if request.method == "GET":
        form = SettingsForm(obj=current)
        form.version.data = site_settings.settings_version(current)
        form.two_factor_roles.data = list(two_factor.parse_roles(current.two_factor_roles))
        for code, fields in (current.translations or {}).items():
            for key, text in fields.items():
                if f"{key}_{code}" in form:
                    form[f"{key}_{code}"].data = text
        return render_template("admin/settings.html", form=form, conflict=None), 200
    form = SettingsForm()
    if not form.validate_on_submit():
        return render_template("admin/settings.html", form=form, conflict=None), 400
    values = {name: form[name].data for name in site_settings.EDITABLE if name in form}
    values["translations"] = {
        code: {
            key: form[f"{key}_{code}"].data
            for key in site_settings.TRANSLATED_LIMITS
            if f"{key}_{code}" in form
        }
        for code in LOCALES
    }
    try:
        site_settings.update_settings(_actor(), form.version.data, values)
    except DomainError as exc:
        show_refusal(exc, form)
        conflict = None
        if isinstance(exc, StaleEdit):
            # Show what is saved now beside what was typed; saving again overwrites it.
            conflict = site_settings.get_settings()
            form.version.raw_data = None
            form.version.data = site_settings.settings_version(conflict)
        return render_template("admin/settings.html", form=form, conflict=conflict), exc.status
    flash(_("The site settings are saved."), "success")
    return redirect(url_for("admin.settings"))


@bp.get("/audit")
@permission_required(Perm.READ_AUDIT)
def audit() -> tuple[str, int]:
    form = AuditFilterForm(request.args)
    form.actor.choices = [
        ("", _("Anyone")),
        (NOBODY, _("Nobody signed in (sign-in attempts, command line)")),
        *[(str(user_id), label) for user_id, label in audit_log.actor_choices()],
    ]
    page = None
    status = 200
    if form.validate():
        actor = form.actor.data or ""
        query = audit_log.AuditQuery(
            action=form.action.data or "",
            actor_id=int(actor) if actor.isdigit() and len(actor) < 10 else None,
            anonymous_only=actor == NOBODY,
            entity_type=form.entity_type.data or "",
            entity_id=form.entity_id.data,
            date_from=form.date_from.data,
            date_to=form.date_to.data,
            text=form.q.data or "",
        )
        try:
            page = audit_log.search_events(
                _actor(),
                query,
                before=int_arg("before"),
                after=int_arg("after", low=0),
            )
        except DomainError as exc:
            status = show_refusal(exc, form)
    else:
        status = 400
    return (
        render_template(
            "admin/audit.html",
            form=form,
            page=page,
            changes=audit_log.changes,
            entity_types=audit_log.ENTITY_TYPES,
            action_families=audit_log.ACTION_FAMILIES,
        ),
        status,
    )
