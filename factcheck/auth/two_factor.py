"""The second factor: the code at sign-in, enrolment, recovery codes, re-authentication."""

from __future__ import annotations

import hashlib
from typing import cast

from flask import flash, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required, login_user
from werkzeug.wrappers import Response

from ..errors import DomainError
from ..extensions import limiter
from ..forms import ActionForm
from ..models import User
from ..services import two_factor
from ..web import second_factor as state
from ..web.refusals import show_refusal
from ..web.security import load_user, no_store, safe_next, start_session
from . import bp
from .two_factor_forms import DisableForm, EnrolForm, ReauthForm, SignInCodeForm

WINDOW = "15 minutes"
ENROL_SECRET = "_enrol_secret"  # noqa: S105  (a session key, not a secret)


def _actor() -> User:
    return cast(User, current_user._get_current_object())


def _failed(_response: Response) -> bool:
    return bool(g.get("code_failed"))


def _pending_account() -> str:
    # Keyed by a digest of the pending session token: the token itself never reaches Redis.
    token = state.pending_token() or ""
    return "second-factor:" + hashlib.sha256(token.encode()).hexdigest()[:32]


def _signed_in_account() -> str:
    return f"proof:{current_user.get_id() if current_user.is_authenticated else ''}"


def finish_password_step(user: User, next_url: str | None) -> Response:
    """After the right password: ask for the code, or sign in (and send to enrolment)."""
    start_session()
    if two_factor.is_enrolled(user):
        state.start_pending(user.session_token, next_url)
        return redirect(url_for("auth.login_code"))
    login_user(user)
    state.mark_proved(second_factor=False)
    flash(_("Signed in as %(name)s.", name=user.name), "success")
    if two_factor.role_must_use(user):
        return redirect(url_for("auth.enrol_two_factor"))
    return redirect(safe_next(next_url, url_for("desk.dashboard")))


@bp.route("/login/code", methods=["GET", "POST"])
@limiter.limit(f"20 per {WINDOW}", methods=["POST"], deduct_when=_failed)
@limiter.limit(f"5 per {WINDOW}", key_func=_pending_account, methods=["POST"], deduct_when=_failed)
def login_code() -> str | Response:
    if current_user.is_authenticated:
        return redirect(url_for("desk.dashboard"))
    token = state.pending_token()
    user = load_user(token) if token else None
    if user is None:
        if state.PENDING in session:
            session.pop(state.PENDING)
            flash(_("That took too long: please sign in again."), "info")
        return redirect(url_for("auth.login"))
    form = SignInCodeForm()
    if form.validate_on_submit():
        kind = two_factor.verify_second_factor(user, form.code.data or "")
        if kind is not None:
            next_url = state.pending_next()
            start_session()
            login_user(user)
            state.mark_proved(second_factor=True)
            flash(_("Signed in as %(name)s.", name=user.name), "success")
            if kind == "recovery":
                left = two_factor.recovery_codes_left(user)
                flash(
                    ngettext(
                        "You used a recovery code; %(num)s left. Make new ones on the "
                        "second factor page if you are running low.",
                        "You used a recovery code; %(num)s left. Make new ones on the "
                        "second factor page if you are running low.",
                        left,
                    ),
                    "info",
                )
            return redirect(safe_next(next_url, url_for("desk.dashboard")))
        g.code_failed = True
        form.code.errors = [_("That code is not right, or it was used already. Try the next one.")]
    elif request.method == "POST":
        g.code_failed = True
    return render_template("auth/login_code.html", form=form)


@bp.get("/account/two-factor")
@login_required
def two_factor_page() -> str:
    user = _actor()
    enrolled = two_factor.is_enrolled(user)
    return render_template(
        "auth/two_factor.html",
        enrolled=enrolled,
        codes_left=two_factor.recovery_codes_left(user) if enrolled else 0,
        required=two_factor.role_must_use(user),
        disable_form=DisableForm(),
        action_form=ActionForm(),
    )


@bp.route("/account/two-factor/enrol", methods=["GET", "POST"])
@login_required
@limiter.limit(
    f"10 per {WINDOW}", key_func=_signed_in_account, methods=["POST"], deduct_when=_failed
)
def enrol_two_factor() -> str | Response | tuple[str, int]:
    no_store()
    user = _actor()
    if two_factor.is_enrolled(user):
        flash(_("You already use a second factor."), "info")
        return redirect(url_for("auth.two_factor_page"))
    # The secret waits in this session, encrypted, until the first code confirms it.
    secret = two_factor.decrypt_secret(session.get(ENROL_SECRET) or "")
    if secret is None:
        secret = two_factor.new_secret()
        session[ENROL_SECRET] = two_factor.encrypt_secret(secret)
    form = EnrolForm()
    status = 200
    if form.validate_on_submit():
        try:
            codes = two_factor.confirm_enrolment(user, secret, form.code.data or "")
        except DomainError as exc:
            g.code_failed = True
            status = show_refusal(exc, form)
        else:
            session.pop(ENROL_SECRET, None)
            state.mark_proved(second_factor=True)
            flash(_("Your second factor is on: sign-ins will ask for a code."), "success")
            return render_template("auth/recovery_codes.html", codes=codes, first=True)
    elif request.method == "POST":
        status = 400
    return (
        render_template(
            "auth/enrol.html",
            form=form,
            enrolment=two_factor.enrolment_for(user, secret),
            required=two_factor.role_must_use(user),
        ),
        status,
    )


@bp.post("/account/two-factor/recovery-codes")
@login_required
@state.recent_proof_required("auth.two_factor_page")
def regenerate_recovery_codes() -> str | Response:
    no_store()
    form = ActionForm()
    if not form.validate_on_submit():
        return redirect(url_for("auth.two_factor_page"))
    try:
        codes = two_factor.regenerate_recovery_codes(_actor())
    except DomainError as exc:
        show_refusal(exc)
        return redirect(url_for("auth.two_factor_page"))
    return render_template("auth/recovery_codes.html", codes=codes, first=False)


@bp.post("/account/two-factor/disable")
@login_required
@limiter.limit(
    f"10 per {WINDOW}", key_func=_signed_in_account, methods=["POST"], deduct_when=_failed
)
def disable_two_factor() -> Response | tuple[str, int]:
    user = _actor()
    form = DisableForm()
    if form.validate_on_submit():
        try:
            two_factor.disable(user, form.password.data or "", form.code.data or "")
        except DomainError as exc:
            g.code_failed = bool(exc.fields)
            status = show_refusal(exc, form)
        else:
            flash(_("Your second factor is off: sign-ins ask only for the password."), "success")
            return redirect(url_for("auth.two_factor_page"))
    else:
        status = 400
    enrolled = two_factor.is_enrolled(user)
    return (
        render_template(
            "auth/two_factor.html",
            enrolled=enrolled,
            codes_left=two_factor.recovery_codes_left(user) if enrolled else 0,
            required=two_factor.role_must_use(user),
            disable_form=form,
            action_form=ActionForm(),
        ),
        status,
    )


@bp.route("/account/confirm", methods=["GET", "POST"])
@login_required
@limiter.limit(
    f"10 per {WINDOW}", key_func=_signed_in_account, methods=["POST"], deduct_when=_failed
)
def reauthenticate() -> str | Response | tuple[str, int]:
    user = _actor()
    next_url = safe_next(request.args.get("next"), url_for("desk.dashboard"))
    form = ReauthForm()
    status = 200
    if form.validate_on_submit():
        if two_factor.confirm_identity(
            user, password=form.password.data or "", code=form.code.data or ""
        ):
            state.mark_proved()
            kept = state.saved_form(next_url)
            if kept is not None:
                return render_template("auth/reauth_continue.html", kept=kept, back=next_url)
            flash(_("Thank you. You can go on."), "success")
            return redirect(next_url)
        g.code_failed = True
        form.form_errors.append(_("That is not right. Give your password or a current code."))
        status = 400
    elif request.method == "POST":
        status = 400
    return (
        render_template(
            "auth/reauthenticate.html",
            form=form,
            enrolled=two_factor.is_enrolled(user),
            next_url=next_url,
        ),
        status,
    )
