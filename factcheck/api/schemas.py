"""marshmallow schemas of what the API accepts: query strings and bodies, unknown fields refused.

The same classes feed the OpenAPI document, so the documentation is the code;
the answers' schemas are in ``responses``.
"""

from __future__ import annotations

from typing import Any

from marshmallow import RAISE, Schema, ValidationError, fields, validate, validates_schema

from ..enums import ClaimStatus, DismissReason, Stance, values
from ..limits import (
    CLAIM_CONTEXT_MAX,
    CLAIM_QUOTE_MAX,
    CLAIM_TEXT_MAX,
    CLAIM_TEXT_MIN,
    CORRECTION_NOTE_MAX,
    EVIDENCE_CITATION_MAX,
    EVIDENCE_EXCERPT_MAX,
    EVIDENCE_PUBLISHER_MAX,
    EVIDENCE_TITLE_MAX,
    MAX_ID,
    MAX_PAGE,
    MAX_PER_PAGE,
    MAX_QUERY_CHARS,
    RATING_SLUG_MAX,
    SLUG_MAX,
    SOURCE_NAME_MAX,
    SPEAKER_NAME_MAX,
    TAG_NAME_MAX,
    TAG_SLUG_MAX,
    TAGS_PER_CLAIM,
    URL_MAX,
    VERDICT_EXPLANATION_MAX,
    VERDICT_SUMMARY_MAX,
)
from ..services.claims import LANGUAGES
from ..workflow import Action

# What ``Text`` stores, as the document states it (a validator beside it may narrow it).
NO_NUL = r"^[^\x00]*$"


class Text(fields.String):
    """A string both engines can store: no NUL character, no lone surrogate."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        metadata = dict(kwargs.pop("metadata", None) or {})
        metadata.setdefault("pattern", NO_NUL)
        super().__init__(*args, metadata=metadata, **kwargs)

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


# An address the services store: http or https, a host, no spaces (``catalog.check_url``).
# Control characters and spaces spelled out: "\s" differs between Python and JSON Schema.
WEB_ADDRESS_PATTERN = r"^https?://[^\x00-\x20/?#]+[^\x00-\x20]*$"
WEB_ADDRESS = validate.Regexp(
    WEB_ADDRESS_PATTERN, error="Give a full address starting with http:// or https://."
)


def _address(metadata: dict[str, Any] | None = None) -> Text:
    return Text(
        allow_none=True,
        validate=[validate.Length(max=URL_MAX), WEB_ADDRESS],
        metadata={**(metadata or {}), "pattern": WEB_ADDRESS_PATTERN},
    )


class InputSchema(Schema):
    class Meta:
        unknown = RAISE


# --- query strings ----------------------------------------------------------


class PageQuery(InputSchema):
    page = fields.Integer(
        load_default=1,
        validate=validate.Range(1, MAX_PAGE),
        metadata={"description": "Page number, from 1."},
    )
    per_page = fields.Integer(
        load_default=20,
        validate=validate.Range(1, MAX_PER_PAGE),
        metadata={"description": f"Items per page, 1 to {MAX_PER_PAGE}."},
    )


class ClaimFilters(InputSchema):
    q = Text(
        validate=validate.Length(max=MAX_QUERY_CHARS),
        metadata={
            "description": "Full-text search: words (or word beginnings) that must all appear "
            "in the claim, its quote or context, its speaker or its published verdict."
        },
    )
    rating = Text(
        validate=validate.Length(max=RATING_SLUG_MAX), metadata={"description": "A rating's slug."}
    )
    speaker = Text(
        validate=validate.Length(max=SLUG_MAX), metadata={"description": "A speaker's slug."}
    )
    source = Text(
        validate=validate.Length(max=SLUG_MAX), metadata={"description": "A source's slug."}
    )
    tag = Text(
        validate=validate.Length(max=TAG_SLUG_MAX), metadata={"description": "A tag's slug."}
    )
    date_from = fields.Date(
        data_key="from", metadata={"description": "Statements made on or after (YYYY-MM-DD)."}
    )
    date_to = fields.Date(
        data_key="to",
        metadata={
            "description": "Statements made on or before (YYYY-MM-DD). Must not be before "
            "`from`: a `to` earlier than `from` is refused with 400."
        },
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
        validate=validate.Length(max=MAX_QUERY_CHARS),
        metadata={"description": "Part of the name (or an alias) to look for."},
    )


class SearchQuery(PageQuery):
    q = Text(
        required=True,
        validate=validate.Length(max=MAX_QUERY_CHARS),
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

    quote = Text(allow_none=True, validate=validate.Length(max=CLAIM_QUOTE_MAX))
    context = Text(allow_none=True, validate=validate.Length(max=CLAIM_CONTEXT_MAX))
    source = Text(
        allow_none=True,
        validate=validate.Length(max=SOURCE_NAME_MAX),
        metadata={"description": "The outlet's name; found or created."},
    )
    article_url = _address(
        metadata={"description": "Address of the article the statement appeared in (http/https)."}
    )
    tags = fields.List(
        Text(validate=validate.Length(min=1, max=TAG_NAME_MAX)),
        validate=validate.Length(max=TAGS_PER_CLAIM),
    )


class ClaimCreate(ClaimFields):
    text = Text(
        required=True,
        validate=validate.Length(min=CLAIM_TEXT_MIN, max=CLAIM_TEXT_MAX),
        metadata={"description": "The statement as checked."},
    )
    speaker = Text(
        required=True,
        validate=validate.Length(min=1, max=SPEAKER_NAME_MAX),
        metadata={"description": "Who said it: found by name or alias, else created."},
    )
    date = fields.Date(
        required=True, metadata={"description": "When the statement was made (YYYY-MM-DD)."}
    )
    language = _language(load_default="en")


class ClaimPatch(ClaimFields):
    text = Text(validate=validate.Length(min=CLAIM_TEXT_MIN, max=CLAIM_TEXT_MAX))
    speaker = Text(validate=validate.Length(min=1, max=SPEAKER_NAME_MAX))
    date = fields.Date(allow_none=True)
    language = _language()
    version = fields.Integer(
        strict=True,
        validate=validate.Range(1, MAX_ID),
        metadata={"description": "The claim's version as read; or send If-Match instead."},
    )


class EvidenceCreate(InputSchema):
    url = _address()
    citation = Text(allow_none=True, validate=validate.Length(max=EVIDENCE_CITATION_MAX))
    title = Text(allow_none=True, validate=validate.Length(max=EVIDENCE_TITLE_MAX))
    publisher = Text(allow_none=True, validate=validate.Length(max=EVIDENCE_PUBLISHER_MAX))
    excerpt = Text(allow_none=True, validate=validate.Length(max=EVIDENCE_EXCERPT_MAX))
    archived_url = _address()
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
        validate=validate.Length(max=RATING_SLUG_MAX),
        metadata={"description": "A rating's slug, as GET /api/v1/ratings lists."},
    )
    summary = Text(load_default="", validate=validate.Length(max=VERDICT_SUMMARY_MAX))
    explanation = Text(
        load_default="",
        validate=validate.Length(max=VERDICT_EXPLANATION_MAX),
        metadata={"description": "Markdown."},
    )
    correction_note = Text(allow_none=True, validate=validate.Length(max=CORRECTION_NOTE_MAX))
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


# --- rules the schemas cannot state ---------------------------------------------
# Listed in the document as each operation's ``x-rules`` (and in its description);
# breaking one is a 400 whose ``fields`` names the key given here.

_READABLE_ADDRESS = "An address a URL parser can read (an IPv6 host's brackets balanced)."
FILTER_RULES = {"from": "`from` must not be after `to`."}
SEARCH_RULES = {
    "q": "Must hold at least one word (letters or digits); punctuation alone is refused."
}
CLAIM_RULES = {
    "text": f"At least {CLAIM_TEXT_MIN} characters once runs of spaces are folded into one.",
    "speaker": "Not only spaces.",
    "stated_on": "The `date`: not in the future.",
    "source": "Not only spaces.",
    "article_url": _READABLE_ADDRESS,
}
EVIDENCE_RULES = {
    "url": "Give `url` or `citation` (or both). " + _READABLE_ADDRESS,
    "archived_url": _READABLE_ADDRESS,
}
VERDICT_RULES = {
    "rating": "A slug that `GET /api/v1/ratings` lists; required while a correction is in "
    "review (the version saved then is the one reviewed).",
    "summary": "Required (not only spaces) while a correction is in review.",
}
TRANSITION_RULES = {
    "action": "One of the actions listed.",
    "assignee": "For `assign`: an existing, active account (email or id).",
    "duplicate_of": "With reason `duplicate`: another existing claim's id.",
    "comment": "Needed to send back and to correct.",
    "reason": "Needed to dismiss.",
}

# From a new claim to the calls a client makes next (schemathesis follows these).
_CLAIM_ID = {"claim_id": "$response.body#/id"}
CLAIM_LINKS: dict[str, Any] = {
    "GetClaim": {"operationId": "get_claim", "parameters": _CLAIM_ID},
    "ChangeClaim": {"operationId": "update_claim", "parameters": _CLAIM_ID},
    "AddEvidence": {"operationId": "add_evidence", "parameters": _CLAIM_ID},
    "SaveVerdict": {"operationId": "save_verdict", "parameters": _CLAIM_ID},
    "Transition": {"operationId": "transition", "parameters": _CLAIM_ID},
    "SimilarClaims": {"operationId": "similar_claims", "parameters": _CLAIM_ID},
}
APPEARANCE_RULES = {
    "url": _READABLE_ADDRESS + " The same address twice for one claim is a 409.",
    "title": "Not only spaces.",
    "speaker": "Not only spaces.",
    "date": "Not later than today.",
}
