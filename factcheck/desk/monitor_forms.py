"""Forms of the monitor pages: feeds, the watch list, the monitor's filters."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DecimalField, SelectField, StringField
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from ..forms import BoundedIntegerField, SubmissionKeyField
from ..services.feeds import INTERVAL_RANGE


class FeedForm(FlaskForm):
    submission_key = SubmissionKeyField()
    url = StringField(
        _l("Feed address (RSS or Atom)"), validators=[InputRequired(), Length(max=1000)]
    )
    source = StringField(
        _l("Source (outlet)"),
        validators=[InputRequired(), Length(max=200)],
        render_kw={"list": "source-options", "autocomplete": "off"},
    )
    interval_minutes = BoundedIntegerField(
        _l("Poll every (minutes)"),
        default=30,
        validators=[InputRequired(), NumberRange(*INTERVAL_RANGE)],
    )


class FeedUpdateForm(FlaskForm):
    active = SelectField(_l("State"), choices=[("1", _l("Active")), ("0", _l("Paused"))])
    interval_minutes = BoundedIntegerField(
        _l("Poll every (minutes)"), validators=[InputRequired(), NumberRange(*INTERVAL_RANGE)]
    )


class WatchForm(FlaskForm):
    speaker = StringField(
        _l("Speaker (name or alias)"),
        validators=[InputRequired(), Length(max=200)],
        render_kw={"list": "speaker-options", "autocomplete": "off"},
    )


class MonitorFilterForm(FlaskForm):
    """Read from the query string: a GET, so no CSRF token."""

    class Meta:
        csrf = False

    speaker = StringField(_l("Speaker"), validators=[Optional(), Length(max=200)])
    source = SelectField(_l("Source"), choices=[("", _l("All sources"))], validate_choice=False)
    min_score = DecimalField(
        _l("Minimum score"), places=2, validators=[Optional(), NumberRange(0, 1)], default=0
    )
    repeats = BooleanField(_l("Only repeats of published fact-checks"))
    watched = BooleanField(_l("Only my watched speakers"))
