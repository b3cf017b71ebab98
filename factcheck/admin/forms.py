"""Forms of the admin pages; the services check every rule again."""

from __future__ import annotations

from flask import request
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    EmailField,
    SelectField,
    SelectMultipleField,
    StringField,
    URLField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from ..forms import BoundedIntegerField, VersionedForm
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


ROLE_CHOICES = [(role.value, ROLE_LABELS[role]) for role in Role]


class CreateUserForm(FlaskForm):
    name = StringField("Name", validators=[InputRequired(), Length(max=NAME_MAX)])
    email = EmailField("Email", validators=[InputRequired(), Length(max=254)])
    role = SelectField("Role", choices=ROLE_CHOICES, default=Role.FACT_CHECKER.value)


class RoleForm(VersionedForm):
    role = SelectField("Role", choices=ROLE_CHOICES)


class AccountStateForm(VersionedForm):
    """Deactivate or reactivate: the button, plus the version the admin was looking at."""


class SettingsForm(VersionedForm):
    site_name = StringField(
        "Site name",
        validators=[InputRequired(), Length(max=site_settings.TEXT_LIMITS["site_name"])],
    )
    organization_name = StringField(
        "Organisation name",
        validators=[InputRequired(), Length(max=site_settings.TEXT_LIMITS["organization_name"])],
        description="Shown in the footer and as the author of the published ClaimReviews.",
    )
    organization_url = URLField(
        "Organisation web address",
        validators=[InputRequired(), Length(max=site_settings.TEXT_LIMITS["organization_url"])],
        description="Starts with https:// (or http://).",
    )
    approvals_required = SelectField(
        "Editor approvals needed to publish",
        choices=[(n, str(n)) for n in range(1, site_settings.APPROVALS_RANGE[1] + 1)],
        coerce=int,
    )
    session_idle_minutes = BoundedIntegerField(
        "Sign out after this many idle minutes",
        validators=[InputRequired(), NumberRange(*site_settings.IDLE_MINUTES_RANGE)],
    )
    session_max_hours = BoundedIntegerField(
        "Sign out after this many hours in any case",
        validators=[InputRequired(), NumberRange(*site_settings.MAX_HOURS_RANGE)],
    )
    two_factor_roles = SelectMultipleField(
        "Roles that must use a second factor",
        choices=ROLE_CHOICES,
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
    )
    webhook_url = URLField(
        "Monitoring webhook (optional)",
        validators=[Optional(), Length(max=500)],
        description="Monitoring alerts are also POSTed here as JSON signed with an "
        "X-Factcheck-Signature header (a newsroom chat). Leave empty for none.",
    )
    tip_email_days = BoundedIntegerField(
        "Erase readers' emails on tips after this many days",
        validators=[InputRequired(), NumberRange(*site_settings.TIP_EMAIL_DAYS_RANGE)],
    )


class UserFilterForm(FlaskForm):
    class Meta:
        csrf = False  # a GET search form

    q = StringField("Name or email", validators=[Optional(), Length(max=100)])
    role = SelectField("Role", choices=[("", "Any role"), *ROLE_CHOICES], validate_choice=False)
    state = SelectField(
        "State",
        choices=[
            ("", "Any"),
            ("active", "Active"),
            ("inactive", "Deactivated"),
        ],
        validate_choice=False,
    )


class TokenFilterForm(FlaskForm):
    class Meta:
        csrf = False

    state = SelectField(
        "State",
        choices=[
            ("active", "Active"),
            ("expired", "Expired"),
            ("revoked", "Revoked"),
            ("all", "All"),
        ],
        default="active",
    )


class AuditFilterForm(FlaskForm):
    class Meta:
        csrf = False

    action = StringField(
        "Action",
        validators=[Optional(), Length(max=60)],
        description="Exact (user.role_change) or a family ending in a dot (auth.).",
    )
    actor = SelectField("Who", choices=[("", "Anyone")], validate_choice=False)
    entity_type = StringField(
        "Entity type",
        validators=[Optional(), Length(max=30)],
        render_kw={"list": "entity-types"},
    )
    entity_id = BoundedIntegerField(
        "Entity id", validators=[Optional(), NumberRange(min=1, max=DB_INT_MAX)]
    )
    date_from = DateField("From", validators=[Optional()])
    date_to = DateField("To", validators=[Optional()])
    q = StringField("Note contains", validators=[Optional(), Length(max=200)])
