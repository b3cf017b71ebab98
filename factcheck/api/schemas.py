"""marshmallow schemas of what the API accepts: query strings and bodies, unknown fields refused.

The same classes feed the OpenAPI document, so the documentation is the code;
the answers' schemas are in ``responses``.
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


class AppearanceCreate(InputSchema):
    url = Text(
        required=True,
        validate=validate.Length(min=1, max=1000),
        metadata={"description": "Where it was said again: an http(s) address."},
    )
    title = Text(required=True, validate=validate.Length(min=1, max=500))
    speaker = Text(
        required=True,
        validate=validate.Length(min=1, max=200),
        metadata={"description": "Who said it there (linked to a speaker found by name or alias)."},
    )
    date = fields.Date(
        required=True,
        metadata={"description": "When it was said there (YYYY-MM-DD); not later than today."},
    )
    text = Text(
        allow_none=True,
        validate=validate.Length(max=5000),
        metadata={"description": "The wording used there."},
    )


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
