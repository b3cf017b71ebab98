"""Accounts and API tokens: the admin's pages. Access is checked before anything is loaded."""

from __future__ import annotations

from typing import Any, cast

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from ..errors import DomainError, StaleEdit
from ..forms import ActionForm
from ..models import ApiToken, Role, User
from ..policy import ROLE_LABELS, Perm
from ..reads.common import get_or_404
from ..services import accounts, audit_log, two_factor
from ..services.accounts.issued import IssuedSecret
from ..web.hosts import external_url
from ..web.refusals import show_refusal
from ..web.second_factor import recent_proof_required
from ..web.security import no_store, permission_required
from . import bp
from .forms import (
    AccountStateForm,
    CreateUserForm,
    RoleForm,
    TokenFilterForm,
    UserFilterForm,
    int_arg,
)

RECENT_EVENTS = 15


def _actor() -> User:
    return cast(User, current_user._get_current_object())


def _page_number() -> int:
    return int_arg("page", default=1) or 1


def _link_page(user: User, issued: IssuedSecret, status: int = 200) -> tuple[str, int]:
    """The one time the link is shown: absolute, so it can be pasted into a message."""
    no_store()
    url = external_url("auth.set_password", token=issued.secret)
    return (
        render_template("admin/link_issued.html", user=user, url=url, link=issued.row),
        status,
    )


@bp.get("/")
@permission_required(Perm.MANAGE_USERS)
def index() -> Response:
    return redirect(url_for("admin.users"))


@bp.get("/users")
@permission_required(Perm.MANAGE_USERS)
def users() -> str:
    form = UserFilterForm(request.args)
    page = accounts.list_users(
        _actor(),
        text=form.q.data or "",
        role=form.role.data or "",
        state=form.state.data or "",
        page=_page_number(),
    )
    token_counts = accounts.active_token_counts([u.id for u in page.items])
    return render_template("admin/users.html", form=form, page=page, token_counts=token_counts)


@bp.route("/users/new", methods=["GET", "POST"])
@permission_required(Perm.MANAGE_USERS)
@recent_proof_required()
def new_user() -> str | tuple[str, int]:
    form = CreateUserForm()
    status = 200
    if form.validate_on_submit():
        try:
            user, issued = accounts.invite_user(
                _actor(),
                email=form.email.data or "",
                name=form.name.data or "",
                role=form.role.data or "",
            )
        except DomainError as exc:
            status = show_refusal(exc, form)
        else:
            flash(_("Account created for %(name)s.", name=user.name), "success")
            return _link_page(user, issued, 201)
    elif request.method == "POST":
        status = 400
    return render_template("admin/user_new.html", form=form), status


def _user_page(
    user: User,
    *,
    role_form: RoleForm | None = None,
    state_form: AccountStateForm | None = None,
    status: int = 200,
) -> tuple[str, int]:
    if role_form is None:
        role_form = RoleForm(formdata=None, role=user.role, version=user.version)
    if state_form is None:
        state_form = AccountStateForm(formdata=None, version=user.version)
    events = audit_log.search_events(
        _actor(),
        audit_log.AuditQuery(entity_type="user", entity_id=user.id),
        per_page=RECENT_EVENTS,
    )
    return (
        render_template(
            "admin/user.html",
            user=user,
            role_form=role_form,
            state_form=state_form,
            action_form=ActionForm(),
            tokens=accounts.tokens_of(user),
            two_factor_on=two_factor.is_enrolled(user),
            events=events.events,
            changes=audit_log.changes,
        ),
        status,
    )


@bp.get("/users/<int:user_id>")
@permission_required(Perm.MANAGE_USERS)
def user_detail(user_id: int) -> tuple[str, int]:
    return _user_page(get_or_404(User, user_id))


def _stale(form: Any, user: User, exc: DomainError) -> None:
    """After a conflict the form carries the current version: saving again is deliberate."""
    if isinstance(exc, StaleEdit):
        form.version.raw_data = None  # else the field re-renders the version typed in
        form.version.data = user.version


@bp.post("/users/<int:user_id>/role")
@permission_required(Perm.MANAGE_USERS)
@recent_proof_required("admin.user_detail")
def change_role(user_id: int) -> Response | tuple[str, int]:
    user = get_or_404(User, user_id)
    form = RoleForm()
    if not form.validate_on_submit():
        return _user_page(user, role_form=form, status=400)
    try:
        accounts.change_role(_actor(), user, form.role.data or "", form.version.data)
    except DomainError as exc:
        status = show_refusal(exc, form)
        user = get_or_404(User, user_id)
        _stale(form, user, exc)
        return _user_page(user, role_form=form, status=status)
    flash(
        _("%(name)s is now: %(role)s.", name=user.name, role=gettext(ROLE_LABELS[Role(user.role)])),
        "success",
    )
    return redirect(url_for("admin.user_detail", user_id=user.id))


def _set_active(user_id: int, active: bool) -> Response | tuple[str, int]:
    user = get_or_404(User, user_id)
    form = AccountStateForm()
    if not form.validate_on_submit():
        return _user_page(user, state_form=form, status=400)
    try:
        accounts.set_active(_actor(), user, active, form.version.data)
    except DomainError as exc:
        status = show_refusal(exc, form)
        user = get_or_404(User, user_id)
        _stale(form, user, exc)
        return _user_page(user, state_form=form, status=status)
    if active:
        flash(_("The account of %(name)s is active again.", name=user.name), "success")
    else:
        flash(
            _(
                "The account of %(name)s is deactivated: signed out everywhere, "
                "API tokens revoked.",
                name=user.name,
            ),
            "success",
        )
    return redirect(url_for("admin.user_detail", user_id=user.id))


@bp.post("/users/<int:user_id>/deactivate")
@permission_required(Perm.MANAGE_USERS)
def deactivate_user(user_id: int) -> Response | tuple[str, int]:
    return _set_active(user_id, False)


@bp.post("/users/<int:user_id>/reactivate")
@permission_required(Perm.MANAGE_USERS)
def reactivate_user(user_id: int) -> Response | tuple[str, int]:
    return _set_active(user_id, True)


@bp.post("/users/<int:user_id>/password-link")
@permission_required(Perm.MANAGE_USERS)
@recent_proof_required("admin.user_detail")
def password_link(user_id: int) -> Response | tuple[str, int]:
    user = get_or_404(User, user_id)
    form = ActionForm()
    if not form.validate_on_submit():
        return redirect(url_for("admin.user_detail", user_id=user.id))
    # Someone who never set a password gets a fresh invitation rather than a "reset".
    purpose = "reset" if user.password_hash else "invite"
    try:
        issued = accounts.issue_password_link(_actor(), user, purpose)
    except DomainError as exc:
        show_refusal(exc)
        return redirect(url_for("admin.user_detail", user_id=user_id))
    return _link_page(user, issued)


@bp.get("/tokens")
@permission_required(Perm.MANAGE_ALL_TOKENS)
def tokens() -> str:
    form = TokenFilterForm(request.args)
    state = form.state.data if form.state.data in accounts.TOKEN_STATES else "active"
    page = accounts.list_tokens(_actor(), state=state, page=_page_number())
    return render_template("admin/tokens.html", form=form, page=page, action_form=ActionForm())


@bp.post("/tokens/<int:token_id>/revoke")
@permission_required(Perm.MANAGE_ALL_TOKENS)
def revoke_token(token_id: int) -> Response:
    token = get_or_404(ApiToken, token_id)
    form = ActionForm()
    if form.validate_on_submit():
        accounts.revoke_api_token(_actor(), token)
        flash(
            _("Token “%(token)s” of %(name)s revoked.", token=token.name, name=token.user.name),
            "success",
        )
    if request.args.get("from") == "user":
        return redirect(url_for("admin.user_detail", user_id=token.user_id))
    return redirect(url_for("admin.tokens"))
