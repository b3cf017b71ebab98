from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext as _nl
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, SelectField, StringField
from wtforms.validators import EqualTo, InputRequired, Length

from ..locales import LOCALE_NAMES, LOCALES
from ..services.accounts.tokens import DEFAULT_LIFETIME_DAYS, LIFETIME_CHOICES_DAYS
from ..services.passwords import MAX_LENGTH


class LoginForm(FlaskForm):
    email = EmailField(_l("Email"), validators=[InputRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[InputRequired(), Length(max=1024)])


class ResetRequestForm(FlaskForm):
    email = EmailField(_l("Email"), validators=[InputRequired(), Length(max=254)])


class SetPasswordForm(FlaskForm):
    password = PasswordField(
        _l("New password"),
        validators=[InputRequired(), Length(max=MAX_LENGTH)],
        description=_l("At least 12 characters. A passphrase of a few words works well."),
    )
    confirm = PasswordField(
        _l("Repeat the new password"),
        validators=[InputRequired(), EqualTo("password", message=_l("The two passwords differ."))],
    )


class ChangePasswordForm(SetPasswordForm):
    current_password = PasswordField(_l("Current password"), validators=[InputRequired()])


class TokenForm(FlaskForm):
    name = StringField(_l("Token name"), validators=[InputRequired(), Length(max=100)])
    days = SelectField(
        _l("Expires"),
        choices=[
            (d, _nl("after %(num)s day", "after %(num)s days", d) if d else _l("never"))
            for d in LIFETIME_CHOICES_DAYS
        ],
        coerce=int,
        default=DEFAULT_LIFETIME_DAYS,
    )
    password = PasswordField(
        _l("Your current password"),
        validators=[InputRequired(), Length(max=1024)],
        description=_l("A token acts as you: confirm it is you who creates it."),
    )


class LanguageForm(FlaskForm):
    locale = SelectField(
        _l("Language of the desk"),
        choices=[("", _l("As my browser asks"))] + [(code, LOCALE_NAMES[code]) for code in LOCALES],
        validate_choice=True,
    )
