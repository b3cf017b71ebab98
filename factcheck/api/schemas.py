"""marshmallow schemas: what the API accepts (unknown fields refused) and what it answers.

The same classes feed the OpenAPI document, so the documentation is the code.
"""

from __future__ import annotations

from typing import Any

from marshmallow import RAISE, Schema, ValidationError, fields, validate, validates_schema

from ..models.enums import ClaimStatus, DismissReason, Stance, values
from ..services.claims import LANGUAGES
from ..workflow import Action

MAX_ID = 2**31 - 1  # the largest id either engine stores in an integer column
MAX_PER_PAGE = 100


class Text(fields.String):
    """A string both engines can store: no NUL character, no lone surrogate."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        text = super()._deserialize(value, attr, data, **kwargs)
        if "\x00" in text:
            raise ValidationError("Must not contain NUL characters.")
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            raise ValidationError("Must be valid Unicode text.") from None
        return text


def _id(**kwargs: Any) -> fields.Integer:
    return fields.Integer(strict=True, validate=validate.Range(1, MAX_ID), **kwargs)


class InputSchema(Schema):
    class Meta:
        unknown = RAISE


# --- query strings ----------------------------------------------------------


class PageQuery(InputSchema):
    page = fields.Integer(
        load_default=1,
        validate=validate.Range(1, 100_000),
        metadata={"description": "Page number, from 1."},
    )
    per_page = fields.Integer(
        load_default=20,
        validate=validate.Range(1, MAX_PER_PAGE),
        metadata={"description": f"Items per page, 1 to {MAX_PER_PAGE}."},
    )


class ClaimFilters(InputSchema):
    q = Text(
        validate=validate.Length(max=200),
        metadata={"description": "Words that must all appear in the claim, quote or speaker."},
    )
    rating = Text(validate=validate.Length(max=100), metadata={"description": "A rating's slug."})
    speaker = Text(validate=validate.Length(max=220), metadata={"description": "A speaker's slug."})
    source = Text(validate=validate.Length(max=220), metadata={"description": "A source's slug."})
    tag = Text(validate=validate.Length(max=100), metadata={"description": "A tag's slug."})
    date_from = fields.Date(
        data_key="from", metadata={"description": "Statements made on or after (YYYY-MM-DD)."}
    )
    date_to = fields.Date(
        data_key="to", metadata={"description": "Statements made on or before (YYYY-MM-DD)."}
    )
    status = fields.String(
        validate=validate.OneOf(values(ClaimStatus)),
        metadata={
            "description": "Workflow status. Without a token only published fact-checks "
            "exist, so other values give an empty list."
        },
    )

    @validates_schema
    def _dates_in_order(self, data: dict[str, Any], **kwargs: Any) -> None:
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            raise ValidationError("'from' is after 'to'.", field_name="from")


class ClaimListQuery(ClaimFilters, PageQuery):
    pass


class NameQuery(PageQuery):
    q = Text(
        validate=validate.Length(max=200),
        metadata={"description": "Part of the name (or an alias) to look for."},
    )


class SearchQuery(PageQuery):
    q = Text(
        required=True,
        validate=validate.Length(max=200),
        metadata={"description": "The words to search for."},
    )


# --- request bodies ---------------------------------------------------------


def _language(**kwargs: Any) -> fields.String:
    return fields.String(
        validate=validate.OneOf(sorted(LANGUAGES)),
        metadata={"description": "Language code of the statement."},
        **kwargs,
    )


class ClaimFields(InputSchema):
    """Fields shared by creating and changing a claim."""

    quote = Text(allow_none=True, validate=validate.Length(max=5000))
    context = Text(allow_none=True, validate=validate.Length(max=500))
    source = Text(
        allow_none=True,
        validate=validate.Length(max=200),
        metadata={"description": "The outlet's name; found or created."},
    )
    article_url = Text(
        allow_none=True,
        validate=validate.Length(max=1000),
        metadata={"description": "Address of the article the statement appeared in."},
    )
    tags = fields.List(
        Text(validate=validate.Length(min=1, max=80)), validate=validate.Length(max=20)
    )


class ClaimCreate(ClaimFields):
    text = Text(
        required=True,
        validate=validate.Length(min=10, max=1000),
        metadata={"description": "The statement as checked."},
    )
    speaker = Text(
        required=True,
        validate=validate.Length(min=1, max=200),
        metadata={"description": "Who said it: found by name or alias, else created."},
    )
    date = fields.Date(
        required=True, metadata={"description": "When the statement was made (YYYY-MM-DD)."}
    )
    language = _language(load_default="en")


class ClaimPatch(ClaimFields):
    text = Text(validate=validate.Length(min=10, max=1000))
    speaker = Text(validate=validate.Length(min=1, max=200))
    date = fields.Date(allow_none=True)
    language = _language()
    version = fields.Integer(
        strict=True,
        validate=validate.Range(1, MAX_ID),
        metadata={"description": "The claim's version as read; or send If-Match instead."},
    )


class EvidenceCreate(InputSchema):
    url = Text(allow_none=True, validate=validate.Length(max=1000))
    citation = Text(allow_none=True, validate=validate.Length(max=2000))
    title = Text(allow_none=True, validate=validate.Length(max=500))
    publisher = Text(allow_none=True, validate=validate.Length(max=200))
    excerpt = Text(allow_none=True, validate=validate.Length(max=5000))
    archived_url = Text(allow_none=True, validate=validate.Length(max=1000))
    stance = fields.String(required=True, validate=validate.OneOf(values(Stance)))


class VerdictPut(InputSchema):
    rating = Text(
        allow_none=True,
        validate=validate.Length(max=100),
        metadata={"description": "A rating's slug, as GET /api/v1/ratings lists."},
    )
    summary = Text(load_default="", validate=validate.Length(max=280))
    explanation = Text(
        load_default="",
        validate=validate.Length(max=50000),
        metadata={"description": "Markdown."},
    )
    correction_note = Text(allow_none=True, validate=validate.Length(max=5000))
    version = fields.Integer(
        strict=True,
        allow_none=True,
        validate=validate.Range(0, MAX_ID),
        metadata={
            "description": "The verdict revision this draft is based on (0 when there was "
            "none). Omit it to build on the latest revision; give it to be told (409) "
            "when someone saved a revision since you read it."
        },
    )


class TransitionPost(InputSchema):
    action = fields.String(
        required=True,
        validate=validate.Length(max=30),
        metadata={"enum": [a.value for a in Action], "description": "The workflow action."},
    )
    comment = Text(
        load_default="",
        validate=validate.Length(max=5000),
        metadata={"description": "Needed to send back and to correct."},
    )
    reason = fields.String(
        load_default="",
        validate=validate.OneOf(["", *values(DismissReason)]),
        metadata={"description": "Needed to dismiss."},
    )
    duplicate_of = _id(allow_none=True, metadata={"description": "With reason 'duplicate'."})
    assignee = Text(
        allow_none=True,
        validate=validate.Length(max=254),
        metadata={"description": "For 'assign': the account's email or id."},
    )
    version = fields.Integer(
        strict=True,
        allow_none=True,
        validate=validate.Range(1, MAX_ID),
        metadata={"description": "The claim's version as read (optional)."},
    )


# --- responses --------------------------------------------------------------


def _req(field: fields.Field) -> fields.Field:
    field.required = True
    return field


class ErrorBody(Schema):
    status = _req(fields.Integer())
    message = _req(fields.String())
    fields_ = _req(fields.Dict(keys=fields.String(), values=fields.String(), data_key="fields"))


class Error(Schema):
    error = _req(fields.Nested(ErrorBody))


class RatingBrief(Schema):
    slug = _req(fields.String())
    name = _req(fields.String())
    ordinal = _req(fields.Integer(allow_none=True))
    colour = _req(fields.String())


class Rating(RatingBrief):
    id = _req(fields.Integer())
    description = _req(fields.String())
    position = _req(fields.Integer())


class SpeakerBrief(Schema):
    id = _req(fields.Integer())
    name = _req(fields.String())
    slug = _req(fields.String())
    title = _req(fields.String(allow_none=True))
    api_url = _req(fields.String())


class RatingCount(RatingBrief):
    count = _req(fields.Integer())


class Speaker(SpeakerBrief):
    kind = _req(fields.String())
    affiliation = _req(fields.String(allow_none=True))
    country = _req(fields.String(allow_none=True))
    wikidata_id = _req(fields.String(allow_none=True))
    description = _req(fields.String(allow_none=True))
    aliases = _req(fields.List(fields.String()))
    claim_count = _req(fields.Integer(metadata={"description": "Claims the caller can read."}))
    claims_url = _req(fields.String())


class SpeakerDetail(Speaker):
    ratings = _req(
        fields.List(
            fields.Nested(RatingCount),
            metadata={"description": "Published fact-checks per rating."},
        )
    )


class SourceBrief(Schema):
    id = _req(fields.Integer())
    name = _req(fields.String())
    slug = _req(fields.String())
    api_url = _req(fields.String())


class Source(SourceBrief):
    homepage_url = _req(fields.String(allow_none=True))
    kind = _req(fields.String())
    claim_count = _req(fields.Integer())
    claims_url = _req(fields.String())


class SourceDetail(Source):
    ratings = _req(fields.List(fields.Nested(RatingCount)))


class Article(Schema):
    id = _req(fields.Integer())
    title = _req(fields.String())
    url = _req(fields.String(allow_none=True))
    published_at = _req(
        fields.String(
            allow_none=True,
            metadata={"description": "The outlet's local date and time as printed, no zone."},
        )
    )
    rubric = _req(fields.String(allow_none=True))


class Evidence(Schema):
    id = _req(fields.Integer())
    url = _req(fields.String(allow_none=True))
    citation = _req(fields.String(allow_none=True))
    title = _req(fields.String(allow_none=True))
    publisher = _req(fields.String(allow_none=True))
    excerpt = _req(fields.String(allow_none=True))
    stance = _req(fields.String(validate=validate.OneOf(values(Stance))))
    archived_url = _req(fields.String(allow_none=True))
    added_at = _req(fields.DateTime())
    version = _req(fields.Integer())


class Verdict(Schema):
    id = _req(fields.Integer())
    revision = _req(fields.Integer())
    state = _req(fields.String())
    rating = _req(fields.Nested(RatingBrief, allow_none=True))
    summary = _req(fields.String())
    explanation = _req(fields.String(metadata={"description": "Markdown as written."}))
    explanation_html = _req(fields.String(metadata={"description": "Sanitized HTML."}))
    correction_note = _req(fields.String(allow_none=True))
    published_at = _req(fields.DateTime(allow_none=True))


class UserBrief(Schema):
    id = _req(fields.Integer())
    name = _req(fields.String())


class Draft(Verdict):
    author = _req(fields.Nested(UserBrief))
    created_at = _req(fields.DateTime())
    submitted_at = _req(fields.DateTime(allow_none=True))
    approvals = _req(fields.Integer())


class Claim(Schema):
    id = _req(fields.Integer())
    status = _req(
        fields.String(
            validate=validate.OneOf(values(ClaimStatus)),
            metadata={
                "description": "Without a token a public claim always reads 'published'; "
                "a correction under way shows only to staff."
            },
        )
    )
    version = _req(fields.Integer(metadata={"description": "Row version for optimistic locking."}))
    text = _req(fields.String())
    slug = _req(fields.String())
    quote = _req(fields.String(allow_none=True))
    context = _req(fields.String(allow_none=True))
    date = _req(fields.Date(allow_none=True))
    language = _req(fields.String())
    speaker = _req(fields.Nested(SpeakerBrief))
    source = _req(fields.Nested(SourceBrief, allow_none=True))
    article = _req(fields.Nested(Article, allow_none=True))
    tags = _req(fields.List(fields.String()))
    rating = _req(fields.Nested(RatingBrief, allow_none=True))
    verdict = _req(
        fields.Nested(Verdict, allow_none=True, metadata={"description": "The published verdict."})
    )
    published_at = _req(fields.DateTime(allow_none=True))
    url = _req(fields.String(allow_none=True, metadata={"description": "The public page."}))
    api_url = _req(fields.String())
    # staff only
    assignee = fields.Nested(UserBrief, allow_none=True)
    dismiss_reason = fields.String(allow_none=True)
    duplicate_of = fields.Integer(allow_none=True)
    created_at = fields.DateTime()
    updated_at = fields.DateTime()


class ClaimDetail(Claim):
    evidence = _req(fields.List(fields.Nested(Evidence)))
    corrections = _req(
        fields.List(
            fields.Nested(Verdict),
            metadata={"description": "Earlier published versions, newest first."},
        )
    )
    draft = fields.Nested(
        Draft,
        allow_none=True,
        metadata={"description": "Staff only: the revision in progress since publication."},
    )


class Page(Schema):
    total = _req(fields.Integer())
    page = _req(fields.Integer())
    per_page = _req(fields.Integer())
    next = _req(fields.String(allow_none=True, metadata={"description": "The next page's URL."}))


class ClaimPage(Page):
    items = _req(fields.List(fields.Nested(Claim)))


class SpeakerPage(Page):
    items = _req(fields.List(fields.Nested(Speaker)))


class SourcePage(Page):
    items = _req(fields.List(fields.Nested(Source)))


class RatingPage(Page):
    items = _req(fields.List(fields.Nested(Rating)))


class SearchPage(ClaimPage):
    query = _req(fields.String())
    total_is_estimate = _req(
        fields.Boolean(metadata={"description": "True when the query matched too many to count."})
    )


class Similar(Schema):
    score = _req(fields.Float(metadata={"description": "0 to 1."}))
    claim = _req(fields.Nested(Claim))


class SimilarPage(Page):
    items = _req(fields.List(fields.Nested(Similar)))
