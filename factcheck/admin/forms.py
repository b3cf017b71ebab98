"""Forms of the admin pages; the services check every rule again."""

from __future__ import annotations

from flask import request
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    URLField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from ..forms import BoundedIntegerField, IsoDateField, VersionedForm
from ..limits import MAX_ID, bounded_int
from ..models import Role
from ..policy import ROLE_LABELS
from ..services import settings as site_settings
from ..services.accounts.users import NAME_MAX

DB_INT_MAX = MAX_ID


def int_arg(name: str, *, default: int | None = None, low: int = 1) -> int | None:
    """A whole number from the query string, or ``default`` when absent or out of range."""
    value = request.args.get(name, type=bounded_int)
    if value is None or not low <= value <= DB_INT_MAX:
        return default
    return value


ROLE_CHOICES = [(role.value, _l(ROLE_LABELS[role])) for role in Role]


class CreateUserForm(FlaskForm):
    name = StringField(_l("Name"), validators=[InputRequired(), Length(max=NAME_MAX)])
    email = EmailField(_l("Email"), validators=[InputRequired(), Length(max=254)])
    role = SelectField(_l("Role"), choices=ROLE_CHOICES, default=Role.FACT_CHECKER.value)


class RoleForm(VersionedForm):
    role = SelectField(_l("Role"), choices=ROLE_CHOICES)


class AccountStateForm(VersionedForm):
    """Deactivate or reactivate: the button, plus the version the admin was looking at."""


class SettingsForm(VersionedForm):
    site_name = StringField(
        _l("Site name"),
        validators=[InputRequired(), Length(max=site_settings.TEXT_LIMITS["site_name"])],
    )
    organization_name = StringField(
        _l("Organisation name"),
        validators=[InputRequired(), Length(max=site_settings.TEXT_LIMITS["organization_name"])],
        description=_l("Shown in the footer and as the author of the published ClaimReviews."),
    )
    organization_url = URLField(
        _l("Organisation web address"),
        validators=[InputRequired(), Length(max=site_settings.TEXT_LIMITS["organization_url"])],
        description=_l("Starts with https:// (or http://)."),
    )
    # The text settings in Ukrainian; empty: the English ones (site name, organisation).
    site_name_uk = StringField(
        _l("Site name in Ukrainian"),
        validators=[Optional(), Length(max=site_settings.TRANSLATED_LIMITS["site_name"])],
    )
    organization_name_uk = StringField(
        _l("Organisation name in Ukrainian"),
        validators=[Optional(), Length(max=site_settings.TRANSLATED_LIMITS["organization_name"])],
    )
    privacy_note_en = TextAreaField(
        _l("Privacy note of the tip form, in English"),
        validators=[Optional(), Length(max=site_settings.TRANSLATED_LIMITS["privacy_note"])],
        description=_l("Empty: the standard wording, which quotes the number of days below."),
    )
    privacy_note_uk = TextAreaField(
        _l("Privacy note of the tip form, in Ukrainian"),
        validators=[Optional(), Length(max=site_settings.TRANSLATED_LIMITS["privacy_note"])],
        description=_l("Empty: the standard wording, which quotes the number of days below."),
    )
    approvals_required = SelectField(
        _l("Editor approvals needed to publish"),
        choices=[(n, str(n)) for n in range(1, site_settings.APPROVALS_RANGE[1] + 1)],
        coerce=int,
    )
    session_idle_minutes = BoundedIntegerField(
        _l("Sign out after this many idle minutes"),
        validators=[InputRequired(), NumberRange(*site_settings.IDLE_MINUTES_RANGE)],
    )
    session_max_hours = BoundedIntegerField(
        _l("Sign out after this many hours in any case"),
        validators=[InputRequired(), NumberRange(*site_settings.MAX_HOURS_RANGE)],
    )
    two_factor_roles = SelectMultipleField(
        _l("Roles that must use a second factor"),
        choices=ROLE_CHOICES,
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
    )
    webhook_url = URLField(
        _l("Monitoring webhook (optional)"),
        validators=[Optional(), Length(max=500)],
        description=_l(
            "Monitoring alerts are also POSTed here as JSON signed with an "
            "X-Factcheck-Signature header (a newsroom chat). Leave empty for none."
        ),
    )
    tip_email_days = BoundedIntegerField(
        _l("Erase readers' emails on tips after this many days"),
        validators=[InputRequired(), NumberRange(*site_settings.TIP_EMAIL_DAYS_RANGE)],
    )
    show_bylines = BooleanField(
        "Name the writer and the approving editor on public fact-checks",
        description="The byline under each fact-check's headline, with the people's "
        "names as shown on their accounts.",
    )


class UserFilterForm(FlaskForm):
    class Meta:
        csrf = False  # a GET search form

    q = StringField(_l("Name or email"), validators=[Optional(), Length(max=100)])
    role = SelectField(
        _l("Role"), choices=[("", _l("Any role")), *ROLE_CHOICES], validate_choice=False
    )
    state = SelectField(
        _l("State"),
        choices=[
            ("", _l("Any")),
            ("active", _l("Active")),
            ("inactive", _l("Deactivated")),
        ],
        validate_choice=False,
    )


class TokenFilterForm(FlaskForm):
    class Meta:
        csrf = False

    state = SelectField(
        _l("State"),
        choices=[
            ("active", _l("Active")),
            ("expired", _l("Expired")),
            ("revoked", _l("Revoked")),
            ("all", _l("All")),
        ],
        default="active",
    )


class AuditFilterForm(FlaskForm):
    class Meta:
        csrf = False

    action = StringField(
        _l("Action"),
        validators=[Optional(), Length(max=60)],
        description=_l("Exact (user.role_change) or a family ending in a dot (auth.)."),
    )
    actor = SelectField(_l("Who"), choices=[("", _l("Anyone"))], validate_choice=False)
    entity_type = StringField(
        _l("Entity type"),
        validators=[Optional(), Length(max=30)],
        render_kw={"list": "entity-types"},
    )
    entity_id = BoundedIntegerField(
        _l("Entity id"), validators=[Optional(), NumberRange(min=1, max=DB_INT_MAX)]
    )
    date_from = IsoDateField(_l("From"), validators=[Optional()])
    date_to = IsoDateField(_l("To"), validators=[Optional()])
    q = StringField(_l("Note contains"), validators=[Optional(), Length(max=200)])
