"""Desk forms: claims, evidence, verdicts, workflow actions, speakers, sources, ratings."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField
from wtforms import (
    HiddenField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import URL, InputRequired, Length, NumberRange, Optional, Regexp
from wtforms.widgets import HiddenInput

from ..enums import DISMISS_REASON_LABELS, SourceKind, SpeakerKind, Stance
from ..forms import BoundedIntegerField, IsoDateField, SubmissionKeyField, VersionedForm
from ..limits import (
    ARTICLE_TITLE_MAX,
    CLAIM_CONTEXT_MAX,
    CLAIM_NOTES_MAX,
    CLAIM_QUOTE_MAX,
    CLAIM_TEXT_MAX,
    CLAIM_TEXT_MIN,
    CORRECTION_NOTE_MAX,
    EVIDENCE_CITATION_MAX,
    EVIDENCE_EXCERPT_MAX,
    EVIDENCE_PUBLISHER_MAX,
    EVIDENCE_TITLE_MAX,
    SOURCE_NAME_MAX,
    SPEAKER_NAME_MAX,
    SPEAKER_TITLE_MAX,
    URL_MAX,
    VERDICT_EXPLANATION_MAX,
    VERDICT_SUMMARY_MAX,
)
from ..services.claims import LANGUAGES

LANGUAGE_CHOICES = list(LANGUAGES.items())
# No stance is chosen for the fact-checker: the first option asks for one.
STANCE_CHOICES = [
    ("", _l("Choose: supports, refutes or gives context")),
    (Stance.SUPPORTS, _l("Supports the claim")),
    (Stance.REFUTES, _l("Refutes the claim")),
    (Stance.CONTEXT, _l("Gives context")),
]
REASON_CHOICES = [("", _l("Choose a reason"))] + [
    (k.value, _l(v)) for k, v in DISMISS_REASON_LABELS.items()
]
SPEAKER_KINDS = [(SpeakerKind.PERSON, _l("Person")), (SpeakerKind.ORGANIZATION, _l("Organization"))]
SOURCE_KINDS = [(k.value, k.value.replace("_", " ").capitalize()) for k in SourceKind]


class OptionalVersionForm(FlaskForm):
    version = BoundedIntegerField(widget=HiddenInput(), validators=[Optional()])


class ClaimForm(OptionalVersionForm):
    submission_key = SubmissionKeyField()
    text = TextAreaField(
        _l("Claim, as checked"),
        validators=[
            InputRequired(message=_l("Write the claim.")),
            Length(
                min=CLAIM_TEXT_MIN,
                max=CLAIM_TEXT_MAX,
                message=_l(
                    "The claim needs at least %(min)s and at most %(max)s characters.",
                    min=CLAIM_TEXT_MIN,
                    max=CLAIM_TEXT_MAX,
                ),
            ),
        ],
        description=_l("The statement in a standalone sentence, as you will check it."),
    )
    quote = TextAreaField(
        _l("Verbatim quote"), validators=[Optional(), Length(max=CLAIM_QUOTE_MAX)]
    )
    context = StringField(
        _l("Context or occasion"),
        validators=[Optional(), Length(max=CLAIM_CONTEXT_MAX)],
        description=_l("Where and when it was said, e.g. “Press conference in Eastbrook”."),
    )
    stated_on = IsoDateField(_l("Date stated"), validators=[Optional()])
    speaker = StringField(
        _l("Speaker"),
        validators=[
            InputRequired(message=_l("Say who made the statement.")),
            Length(max=SPEAKER_NAME_MAX),
        ],
        description=_l(
            "Start typing to pick an existing speaker or alias; a new name creates a speaker."
        ),
        render_kw={
            "list": "speaker-options",
            "autocomplete": "off",
            "data-suggest": "/desk/speakers/suggest",
        },
    )
    speaker_title = StringField(
        _l("New speaker's title or role"), validators=[Optional(), Length(max=SPEAKER_TITLE_MAX)]
    )
    speaker_affiliation = StringField(
        _l("New speaker's affiliation"), validators=[Optional(), Length(max=200)]
    )
    source = StringField(
        _l("Source (outlet)"),
        validators=[Optional(), Length(max=SOURCE_NAME_MAX)],
        render_kw={"list": "source-options", "autocomplete": "off"},
    )
    article_title = StringField(
        _l("Article headline"), validators=[Optional(), Length(max=ARTICLE_TITLE_MAX)]
    )
    article_url = StringField(
        _l("Article URL"),
        validators=[
            Optional(),
            URL(
                require_tld=False,
                message=_l("Give a full address starting with http:// or https://."),
            ),
            Length(max=URL_MAX),
        ],
    )
    article_id = BoundedIntegerField(widget=HiddenInput(), validators=[Optional()])
    tags = StringField(
        _l("Tags"),
        validators=[Optional(), Length(max=500)],
        description=_l("Separate tags with commas."),
    )
    language = SelectField(_l("Language"), choices=LANGUAGE_CHOICES, default="en")
    internal_notes = TextAreaField(
        _l("Internal notes"),
        validators=[Optional(), Length(max=CLAIM_NOTES_MAX)],
        description=_l("Never shown to the public."),
    )


class EvidenceForm(OptionalVersionForm):
    submission_key = SubmissionKeyField()
    stance = SelectField(
        _l("Stance"),
        choices=STANCE_CHOICES,
        validators=[
            InputRequired(_l("Choose whether this source supports, refutes or gives context."))
        ],
    )
    url = StringField(_l("URL"), validators=[Optional(), Length(max=URL_MAX)])
    citation = TextAreaField(
        _l("Citation"),
        validators=[Optional(), Length(max=EVIDENCE_CITATION_MAX)],
        description=_l("For offline sources: a full reference."),
    )
    title = StringField(_l("Title"), validators=[Optional(), Length(max=EVIDENCE_TITLE_MAX)])
    publisher = StringField(
        _l("Publisher"), validators=[Optional(), Length(max=EVIDENCE_PUBLISHER_MAX)]
    )
    excerpt = TextAreaField(
        _l("Excerpt"), validators=[Optional(), Length(max=EVIDENCE_EXCERPT_MAX)]
    )
    archived_url = StringField(_l("Archived URL"), validators=[Optional(), Length(max=URL_MAX)])


class VerdictForm(FlaskForm):
    base_revision = BoundedIntegerField(widget=HiddenInput(), validators=[InputRequired()])
    rating = SelectField(_l("Rating"), coerce=str, validators=[Optional()])
    summary = StringField(
        _l("One-line summary"),
        validators=[
            Optional(),
            Length(
                max=VERDICT_SUMMARY_MAX,
                message=_l("Keep the summary to %(max)s characters.", max=VERDICT_SUMMARY_MAX),
            ),
        ],
        render_kw={"maxlength": VERDICT_SUMMARY_MAX},
    )
    explanation = TextAreaField(
        _l("Explanation (Markdown)"),
        validators=[Optional(), Length(max=VERDICT_EXPLANATION_MAX)],
        render_kw={"rows": 14},
    )
    correction_note = TextAreaField(
        _l("Correction note (public)"),
        validators=[Optional(), Length(max=CORRECTION_NOTE_MAX)],
        description=_l("Shown under “Corrections and updates” when this version is published."),
    )


class TransitionForm(OptionalVersionForm):
    action = HiddenField(validators=[InputRequired()])
    comment = TextAreaField(_l("Comment"), validators=[Optional(), Length(max=2000)])
    reason = SelectField(_l("Reason"), choices=REASON_CHOICES, validators=[Optional()])
    duplicate_of = BoundedIntegerField(
        _l("Duplicate of claim #"), validators=[Optional(), NumberRange(min=1)]
    )
    assignee = SelectField(_l("Fact-checker"), coerce=str, validators=[Optional()], choices=[])


class SpeakerForm(VersionedForm):
    name = StringField(_l("Name"), validators=[InputRequired(), Length(max=200)])
    kind = SelectField(_l("Kind"), choices=SPEAKER_KINDS)
    title = StringField(_l("Title or role"), validators=[Optional(), Length(max=200)])
    affiliation = StringField(_l("Affiliation"), validators=[Optional(), Length(max=200)])
    country = StringField(_l("Country"), validators=[Optional(), Length(max=100)])
    wikidata_id = StringField(
        _l("Wikidata id"),
        validators=[Optional(), Regexp(r"^Q\d+$", message=_l("A Wikidata id looks like Q12345."))],
    )
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=2000)])
    aliases = TextAreaField(
        _l("Aliases"), validators=[Optional(), Length(max=4000)], description=_l("One per line.")
    )


class SourceForm(VersionedForm):
    name = StringField(_l("Name"), validators=[InputRequired(), Length(max=200)])
    homepage_url = StringField(_l("Homepage URL"), validators=[Optional(), Length(max=500)])
    kind = SelectField(_l("Kind"), choices=SOURCE_KINDS)


class MergeForm(FlaskForm):
    survivor = SelectField(_l("Keep"), coerce=int, validators=[InputRequired()])
    duplicate = SelectField(
        _l("Merge into it and remove"), coerce=int, validators=[InputRequired()]
    )


class RatingForm(OptionalVersionForm):
    name = StringField(_l("Name"), validators=[InputRequired(), Length(max=80)])
    ordinal = BoundedIntegerField(
        _l("Ordinal value"),
        validators=[Optional(), NumberRange(min=0, max=100)],
        description=_l(
            "Higher is truer. Leave empty for a rating outside the scale, such as “Unproven”."
        ),
    )
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=1000)])
    # The Ukrainian texts (empty: readers of /uk/ see the English ones, marked in the desk).
    name_uk = StringField(_l("Name in Ukrainian"), validators=[Optional(), Length(max=80)])
    description_uk = TextAreaField(
        _l("Description in Ukrainian"), validators=[Optional(), Length(max=1000)]
    )
    colour = StringField(
        _l("Colour"),
        validators=[
            InputRequired(),
            Regexp(r"^#[0-9a-fA-F]{6}$", message=_l("A colour like #1a7f37.")),
        ],
        render_kw={"type": "color"},
    )


class ImportForm(FlaskForm):
    submission_key = SubmissionKeyField()
    text = TextAreaField(
        _l("Paste the article"),
        validators=[Optional(), Length(max=500_000)],
        render_kw={"rows": 10},
    )
    file = FileField(
        _l("…or upload a file"),
        validators=[
            Optional(),
            FileAllowed(["txt", "html", "htm"], "Upload a .txt or .html file."),
        ],
    )
    url = StringField(_l("…or give its web address"), validators=[Optional(), Length(max=1000)])
    source = StringField(
        _l("Source (outlet)"),
        validators=[Optional(), Length(max=SOURCE_NAME_MAX)],
        description=_l(
            "Needed for plain text; the sample format and most web pages name it themselves."
        ),
        render_kw={"list": "source-options", "autocomplete": "off"},
    )


class CandidateForm(FlaskForm):
    version = BoundedIntegerField(widget=HiddenInput(), validators=[InputRequired()])
    text = TextAreaField(
        _l("Claim"),
        validators=[InputRequired(), Length(min=CLAIM_TEXT_MIN, max=CLAIM_TEXT_MAX)],
        render_kw={"rows": 3},
    )
    speaker = StringField(
        _l("Speaker"),
        validators=[InputRequired(message=_l("Say who made the statement.")), Length(max=200)],
    )
    speaker_title = StringField(_l("Speaker's title"), validators=[Optional(), Length(max=200)])
    same_as = BoundedIntegerField(
        _l("Same as claim #"), validators=[Optional(), NumberRange(min=1)]
    )


class AppearanceForm(FlaskForm):
    """One more place a claim was made (claim tracking)."""

    submission_key = SubmissionKeyField()

    title = StringField(
        _l("Title"),
        validators=[
            InputRequired(message=_l("Give the article's title or name the occasion.")),
            Length(max=500),
        ],
    )
    url = StringField(_l("Address (URL)"), validators=[Optional(), Length(max=1000)])
    speaker = StringField(
        _l("Said by"),
        validators=[InputRequired(message=_l("Say who said it there.")), Length(max=200)],
    )
    said_on = IsoDateField(
        _l("Date"), validators=[InputRequired(message=_l("Give the date (YYYY-MM-DD)."))]
    )
    text = TextAreaField(
        _l("Wording used"),
        validators=[Optional(), Length(max=5000)],
        description=_l("The words used there, if they differ from the claim as checked."),
    )


class ClaimReviewIngestForm(FlaskForm):
    """Other organisations' ClaimReview, from a file or a web address (run as a job)."""

    file = FileField(
        "A DataFeed JSON, JSON-LD or HTML file",
        validators=[
            Optional(),
            FileAllowed(
                ["json", "jsonld", "html", "htm"], "Upload a .json, .jsonld or .html file."
            ),
        ],
    )
    url = StringField("…or its web address", validators=[Optional(), Length(max=2000)])
