"""Desk forms: claims, evidence, verdicts, workflow actions, speakers, sources, ratings."""

from __future__ import annotations

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

from ..enums import DISMISS_REASON_LABELS, STANCE_LABELS, SourceKind, SpeakerKind
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
STANCE_CHOICES = [("", "Choose: supports, refutes or gives context")] + [
    (k.value, v) for k, v in STANCE_LABELS.items()
]
REASON_CHOICES = [("", "Choose a reason")] + [
    (k.value, v) for k, v in DISMISS_REASON_LABELS.items()
]
SPEAKER_KINDS = [(SpeakerKind.PERSON, "Person"), (SpeakerKind.ORGANIZATION, "Organization")]
SOURCE_KINDS = [(k.value, k.value.replace("_", " ").capitalize()) for k in SourceKind]


class OptionalVersionForm(FlaskForm):
    version = BoundedIntegerField(widget=HiddenInput(), validators=[Optional()])


class ClaimForm(OptionalVersionForm):
    submission_key = SubmissionKeyField()
    text = TextAreaField(
        "Claim, as checked",
        validators=[
            InputRequired(message="Write the claim."),
            Length(
                min=CLAIM_TEXT_MIN,
                max=CLAIM_TEXT_MAX,
                message=f"The claim needs at least {CLAIM_TEXT_MIN} and at most "
                f"{CLAIM_TEXT_MAX} characters.",
            ),
        ],
        description="The statement in a standalone sentence, as you will check it.",
    )
    quote = TextAreaField("Verbatim quote", validators=[Optional(), Length(max=CLAIM_QUOTE_MAX)])
    context = StringField(
        "Context or occasion",
        validators=[Optional(), Length(max=CLAIM_CONTEXT_MAX)],
        description="Where and when it was said, e.g. “Press conference in Eastbrook”.",
    )
    stated_on = IsoDateField("Date stated", validators=[Optional()])
    speaker = StringField(
        "Speaker",
        validators=[
            InputRequired(message="Say who made the statement."),
            Length(max=SPEAKER_NAME_MAX),
        ],
        description="Start typing to pick an existing speaker or alias; a new name creates a speaker.",
        render_kw={
            "list": "speaker-options",
            "autocomplete": "off",
            "data-suggest": "/desk/speakers/suggest",
        },
    )
    speaker_title = StringField(
        "New speaker's title or role", validators=[Optional(), Length(max=SPEAKER_TITLE_MAX)]
    )
    speaker_affiliation = StringField(
        "New speaker's affiliation", validators=[Optional(), Length(max=200)]
    )
    source = StringField(
        "Source (outlet)",
        validators=[Optional(), Length(max=SOURCE_NAME_MAX)],
        render_kw={"list": "source-options", "autocomplete": "off"},
    )
    article_title = StringField(
        "Article headline", validators=[Optional(), Length(max=ARTICLE_TITLE_MAX)]
    )
    article_url = StringField(
        "Article URL",
        validators=[
            Optional(),
            URL(
                require_tld=False, message="Give a full address starting with http:// or https://."
            ),
            Length(max=URL_MAX),
        ],
    )
    article_id = BoundedIntegerField(widget=HiddenInput(), validators=[Optional()])
    tags = StringField(
        "Tags", validators=[Optional(), Length(max=500)], description="Separate tags with commas."
    )
    language = SelectField("Language", choices=LANGUAGE_CHOICES, default="en")
    internal_notes = TextAreaField(
        "Internal notes",
        validators=[Optional(), Length(max=CLAIM_NOTES_MAX)],
        description="Never shown to the public.",
    )


class EvidenceForm(OptionalVersionForm):
    submission_key = SubmissionKeyField()
    stance = SelectField(
        "Stance",
        choices=STANCE_CHOICES,
        validators=[
            InputRequired("Choose whether this source supports, refutes or gives context.")
        ],
    )
    url = StringField("URL", validators=[Optional(), Length(max=URL_MAX)])
    citation = TextAreaField(
        "Citation",
        validators=[Optional(), Length(max=EVIDENCE_CITATION_MAX)],
        description="For offline sources: a full reference.",
    )
    title = StringField("Title", validators=[Optional(), Length(max=EVIDENCE_TITLE_MAX)])
    publisher = StringField(
        "Publisher", validators=[Optional(), Length(max=EVIDENCE_PUBLISHER_MAX)]
    )
    excerpt = TextAreaField("Excerpt", validators=[Optional(), Length(max=EVIDENCE_EXCERPT_MAX)])
    archived_url = StringField("Archived URL", validators=[Optional(), Length(max=URL_MAX)])


class VerdictForm(FlaskForm):
    base_revision = BoundedIntegerField(widget=HiddenInput(), validators=[InputRequired()])
    rating = SelectField("Rating", coerce=str, validators=[Optional()])
    summary = StringField(
        "One-line summary",
        validators=[
            Optional(),
            Length(
                max=VERDICT_SUMMARY_MAX,
                message=f"Keep the summary to {VERDICT_SUMMARY_MAX} characters.",
            ),
        ],
        render_kw={"maxlength": VERDICT_SUMMARY_MAX},
    )
    explanation = TextAreaField(
        "Explanation (Markdown)",
        validators=[Optional(), Length(max=VERDICT_EXPLANATION_MAX)],
        render_kw={"rows": 14},
    )
    correction_note = TextAreaField(
        "Correction note (public)",
        validators=[Optional(), Length(max=CORRECTION_NOTE_MAX)],
        description="Shown under “Corrections and updates” when this version is published.",
    )


class TransitionForm(OptionalVersionForm):
    action = HiddenField(validators=[InputRequired()])
    comment = TextAreaField("Comment", validators=[Optional(), Length(max=2000)])
    reason = SelectField("Reason", choices=REASON_CHOICES, validators=[Optional()])
    duplicate_of = BoundedIntegerField(
        "Duplicate of claim #", validators=[Optional(), NumberRange(min=1)]
    )
    assignee = SelectField("Fact-checker", coerce=str, validators=[Optional()], choices=[])


class SpeakerForm(VersionedForm):
    name = StringField("Name", validators=[InputRequired(), Length(max=200)])
    kind = SelectField("Kind", choices=SPEAKER_KINDS)
    title = StringField("Title or role", validators=[Optional(), Length(max=200)])
    affiliation = StringField("Affiliation", validators=[Optional(), Length(max=200)])
    country = StringField("Country", validators=[Optional(), Length(max=100)])
    wikidata_id = StringField(
        "Wikidata id",
        validators=[Optional(), Regexp(r"^Q\d+$", message="A Wikidata id looks like Q12345.")],
    )
    description = TextAreaField("Description", validators=[Optional(), Length(max=2000)])
    aliases = TextAreaField(
        "Aliases", validators=[Optional(), Length(max=4000)], description="One per line."
    )


class SourceForm(VersionedForm):
    name = StringField("Name", validators=[InputRequired(), Length(max=200)])
    homepage_url = StringField("Homepage URL", validators=[Optional(), Length(max=500)])
    kind = SelectField("Kind", choices=SOURCE_KINDS)


class MergeForm(FlaskForm):
    survivor = SelectField("Keep", coerce=int, validators=[InputRequired()])
    duplicate = SelectField("Merge into it and remove", coerce=int, validators=[InputRequired()])


class RatingForm(OptionalVersionForm):
    name = StringField("Name", validators=[InputRequired(), Length(max=80)])
    ordinal = BoundedIntegerField(
        "Ordinal value",
        validators=[Optional(), NumberRange(min=0, max=100)],
        description="Higher is truer. Leave empty for a rating outside the scale, such as “Unproven”.",
    )
    description = TextAreaField("Description", validators=[Optional(), Length(max=1000)])
    colour = StringField(
        "Colour",
        validators=[
            InputRequired(),
            Regexp(r"^#[0-9a-fA-F]{6}$", message="A colour like #1a7f37."),
        ],
        render_kw={"type": "color"},
    )


class ImportForm(FlaskForm):
    submission_key = SubmissionKeyField()
    text = TextAreaField(
        "Paste the article", validators=[Optional(), Length(max=500_000)], render_kw={"rows": 10}
    )
    file = FileField(
        "…or upload a file",
        validators=[
            Optional(),
            FileAllowed(["txt", "html", "htm"], "Upload a .txt or .html file."),
        ],
    )
    url = StringField("…or give its web address", validators=[Optional(), Length(max=1000)])
    source = StringField(
        "Source (outlet)",
        validators=[Optional(), Length(max=SOURCE_NAME_MAX)],
        description="Needed for plain text; the sample format and most web pages name it themselves.",
        render_kw={"list": "source-options", "autocomplete": "off"},
    )


class CandidateForm(FlaskForm):
    version = BoundedIntegerField(widget=HiddenInput(), validators=[InputRequired()])
    text = TextAreaField(
        "Claim",
        validators=[InputRequired(), Length(min=CLAIM_TEXT_MIN, max=CLAIM_TEXT_MAX)],
        render_kw={"rows": 3},
    )
    speaker = StringField(
        "Speaker",
        validators=[InputRequired(message="Say who made the statement."), Length(max=200)],
    )
    speaker_title = StringField("Speaker's title", validators=[Optional(), Length(max=200)])
    same_as = BoundedIntegerField("Same as claim #", validators=[Optional(), NumberRange(min=1)])


class AppearanceForm(FlaskForm):
    """One more place a claim was made (claim tracking)."""

    submission_key = SubmissionKeyField()

    title = StringField(
        "Title",
        validators=[
            InputRequired(message="Give the article's title or name the occasion."),
            Length(max=500),
        ],
    )
    url = StringField("Address (URL)", validators=[Optional(), Length(max=1000)])
    speaker = StringField(
        "Said by", validators=[InputRequired(message="Say who said it there."), Length(max=200)]
    )
    said_on = IsoDateField(
        "Date", validators=[InputRequired(message="Give the date (YYYY-MM-DD).")]
    )
    text = TextAreaField(
        "Wording used",
        validators=[Optional(), Length(max=5000)],
        description="The words used there, if they differ from the claim as checked.",
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
