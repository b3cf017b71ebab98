from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, SelectField, StringField
from wtforms.validators import EqualTo, InputRequired, Length

from ..locales import LOCALE_NAMES, LOCALES
from ..services.accounts.tokens import DEFAULT_LIFETIME_DAYS, LIFETIME_CHOICES_DAYS
from ..services.passwords import MAX_LENGTH


class LoginForm(FlaskForm):
    email = EmailField("Email", validators=[InputRequired(), Length(max=254)])
    password = PasswordField("Password", validators=[InputRequired(), Length(max=1024)])


class ResetRequestForm(FlaskForm):
    email = EmailField("Email", validators=[InputRequired(), Length(max=254)])


class SetPasswordForm(FlaskForm):
    password = PasswordField(
        "New password",
        validators=[InputRequired(), Length(max=MAX_LENGTH)],
        description="At least 12 characters. A passphrase of a few words works well.",
    )
    confirm = PasswordField(
        "Repeat the new password",
        validators=[InputRequired(), EqualTo("password", message="The two passwords differ.")],
    )


class ChangePasswordForm(SetPasswordForm):
    current_password = PasswordField("Current password", validators=[InputRequired()])


class TokenForm(FlaskForm):
    name = StringField("Token name", validators=[InputRequired(), Length(max=100)])
    days = SelectField(
        "Expires",
        choices=[(d, f"after {d} days" if d else "never") for d in LIFETIME_CHOICES_DAYS],
        coerce=int,
        default=DEFAULT_LIFETIME_DAYS,
    )
    password = PasswordField(
        "Your current password",
        validators=[InputRequired(), Length(max=1024)],
        description="A token acts as you: confirm it is you who creates it.",
    )


class LanguageForm(FlaskForm):
    locale = SelectField(
        _l("Language of the desk"),
        choices=[("", _l("As my browser asks"))] + [(code, LOCALE_NAMES[code]) for code in LOCALES],
        validate_choice=True,
    )
