"""Forms of the second factor and of re-authentication."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import InputRequired, Length, Optional

CODE_ATTRS = {"autocomplete": "one-time-code", "autocapitalize": "off", "spellcheck": "false"}


def code_field(label: str, *, required: bool = True) -> StringField:
    return StringField(
        label,
        validators=[InputRequired() if required else Optional(), Length(max=20)],
        render_kw=CODE_ATTRS,
    )


class SignInCodeForm(FlaskForm):
    code = code_field("Code from your authenticator app, or a recovery code")


class EnrolForm(FlaskForm):
    code = code_field("The 6-digit code your app shows now")


class DisableForm(FlaskForm):
    password = PasswordField(_l("Your password"), validators=[InputRequired(), Length(max=1024)])
    code = code_field("A current code, or a recovery code")


class ReauthForm(FlaskForm):
    password = PasswordField(_l("Your password"), validators=[Optional(), Length(max=1024)])
    code = code_field("Or a code from your authenticator app", required=False)

    def validate(self, extra_validators: object = None) -> bool:
        ok: bool = super().validate(extra_validators)
        if ok and not (self.password.data or (self.code.data or "").strip()):
            self.form_errors.append(_("Give your password or a code."))
            return False
        return ok
