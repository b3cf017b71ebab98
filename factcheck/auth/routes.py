"""Sign-in, sign-out, password links, own password and own API tokens."""

from __future__ import annotations

from flask import flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from werkzeug.wrappers import Response

from ..errors import DomainError
from ..extensions import limiter
from ..forms import ActionForm
from ..models import ApiToken
from ..reads.common import get_or_404
from ..services import accounts, notifications
from ..web import second_factor
from ..web.refusals import show_refusal
from ..web.security import no_store, start_session
from . import bp
from .forms import (
    ChangePasswordForm,
    LanguageForm,
    LoginForm,
    ResetRequestForm,
    SetPasswordForm,
    TokenForm,
)
from .two_factor import finish_password_step

LOGIN_WINDOW = "15 minutes"


def _attempted_email() -> str:
    return "account:" + (request.form.get("email") or "").strip().lower()[:254]


def _login_failed(_response: Response) -> bool:
    return bool(g.get("login_failed"))


def _signed_in_account() -> str:
    return f"user:{current_user.get_id() if current_user.is_authenticated else ''}"


def _password_check_failed(_response: Response) -> bool:
    return bool(g.get("password_check_failed"))


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(f"20 per {LOGIN_WINDOW}", methods=["POST"], deduct_when=_login_failed)
@limiter.limit(
    f"5 per {LOGIN_WINDOW}", key_func=_attempted_email, methods=["POST"], deduct_when=_login_failed
)
def login() -> str | Response:
    if current_user.is_authenticated:
        return redirect(url_for("desk.dashboard"))
    form = LoginForm()
    if form.validate_on_submit():
        user = accounts.authenticate(form.email.data or "", form.password.data or "")
        if user is not None:
            return finish_password_step(user, request.args.get("next"))
        g.login_failed = True
        # One message whether or not the email has an account.
        form.form_errors.append(_("The email or password is not right."))
    elif request.method == "POST":
        g.login_failed = True
    return render_template("auth/login.html", form=form)


@bp.post("/logout")
@login_required
def logout() -> Response:
    form = ActionForm()
    if form.validate_on_submit():
        accounts.sign_out(current_user._get_current_object())
        logout_user()
        flash(_("You are signed out."), "info")
    return redirect(url_for("public.home"))


@bp.route("/reset-password", methods=["GET", "POST"])
@limiter.limit("10 per hour", methods=["POST"])
def reset_request() -> str | Response:
    form = ResetRequestForm()
    if form.validate_on_submit():
        accounts.request_password_reset(form.email.data or "")
        # The same answer either way: the page must not reveal who has an account.
        flash(
            _(
                "If that email has an account, an administrator has been asked to give "
                "you a reset link."
            ),
            "info",
        )
        return redirect(url_for("auth.login"))
    return render_template("auth/reset_request.html", form=form)


@bp.route("/set-password/<token>", methods=["GET", "POST"])
def set_password(token: str) -> str | Response:
    no_store()
    link = accounts.find_password_link(token)
    form = SetPasswordForm()
    if form.validate_on_submit():
        try:
            accounts.use_password_link(token, form.password.data or "")
        except DomainError as exc:
            show_refusal(exc, form)
        else:
            if current_user.is_authenticated:
                logout_user()
            flash(_("Your password is set. Please sign in."), "success")
            return redirect(url_for("auth.login"))
    return render_template("auth/set_password.html", form=form, link=link)


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
# Someone at an unlocked desk must not be able to guess the current password at leisure.
@limiter.limit(
    f"10 per {LOGIN_WINDOW}",
    key_func=_signed_in_account,
    methods=["POST"],
    deduct_when=_password_check_failed,
)
def change_password() -> str | Response:
    form = ChangePasswordForm()
    if form.validate_on_submit():
        user = current_user._get_current_object()
        try:
            accounts.change_password(
                user, form.current_password.data or "", form.password.data or ""
            )
        except DomainError as exc:
            g.password_check_failed = "current_password" in exc.fields
            show_refusal(exc, form)
        else:
            # The token rotated: keep this browser signed in with a fresh session.
            passed = second_factor.passed_second_factor()
            start_session()
            login_user(user)
            second_factor.mark_proved(second_factor=passed)
            flash(
                _(
                    "Your password has been changed; other sessions were signed out "
                    "and your API tokens were revoked."
                ),
                "success",
            )
            return redirect(url_for("desk.dashboard"))
    return render_template("auth/change_password.html", form=form)


@bp.route("/account/language", methods=["GET", "POST"])
@login_required
def language() -> str | Response:
    """The person's interface language in the desk (public pages follow their URL)."""
    user = current_user._get_current_object()
    form = LanguageForm(locale=user.locale or "")
    if form.validate_on_submit():
        try:
            accounts.set_locale(user, form.locale.data or None)
        except DomainError as exc:
            show_refusal(exc, form)
        else:
            flash(_("Your language is saved."), "success")
            return redirect(url_for("auth.language"))
    return render_template("auth/language.html", form=form)


@bp.route("/account/tokens", methods=["GET", "POST"])
@login_required
@second_factor.recent_proof_required()
# The password prompt must not become a way to guess the password at an unlocked desk.
@limiter.limit(
    f"10 per {LOGIN_WINDOW}",
    key_func=_signed_in_account,
    methods=["POST"],
    deduct_when=_password_check_failed,
)
def tokens() -> str | Response:
    user = current_user._get_current_object()
    form = TokenForm()
    issued = None
    if form.validate_on_submit():
        try:
            issued = accounts.create_api_token(
                user,
                user,
                form.name.data or "",
                days=form.days.data if form.days.data is not None else -1,
                password=form.password.data or "",
            )
        except DomainError as exc:
            g.password_check_failed = "password" in exc.fields
            show_refusal(exc, form)
        else:
            no_store()
            form = TokenForm(formdata=None)
    return render_template(
        "auth/tokens.html",
        form=form,
        tokens=accounts.tokens_of(user),
        issued=issued,
        revoke_form=ActionForm(),
    )


@bp.post("/account/tokens/<int:token_id>/revoke")
@login_required
def revoke_token(token_id: int) -> Response:
    user = current_user._get_current_object()
    token = get_or_404(ApiToken, token_id)
    form = ActionForm()
    if form.validate_on_submit():
        accounts.revoke_api_token(user, token)
        flash(_("Token “%(token)s” revoked.", token=token.name), "success")
    return redirect(url_for("auth.tokens"))


@bp.get("/account/notifications", endpoint="notifications")
@login_required
def notifications_page() -> str:
    user = current_user._get_current_object()
    return render_template(
        "auth/notifications.html",
        notifications=notifications.unread_for(user),
        form=ActionForm(),
    )


@bp.post("/account/notifications/read")
@login_required
def mark_notifications_read() -> Response:
    form = ActionForm()
    if form.validate_on_submit():
        notifications.mark_all_read(current_user._get_current_object())
        flash(_("All notifications are marked as read."), "success")
    return redirect(url_for("auth.notifications"))
