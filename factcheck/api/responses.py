"""marshmallow schemas of what the API answers; they document the responses in OpenAPI.

Views build plain dicts (``present``) and dump them through these, so an answer
holds exactly the documented fields, typed as documented.
"""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields, validate

from ..enums import ClaimStatus, Stance, values


def _req(field: fields.Field[Any]) -> fields.Field[Any]:
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
    claim_changes = fields.Dict(
        allow_none=True,
        metadata={
            "description": "During a correction of a published claim: its public fields as "
            "this revision changes them (text, quote, context, date, language, speaker, "
            "source, article, tags); the claim takes them when another editor approves."
        },
    )


class ActionChoice(Schema):
    action = _req(fields.String())
    label = _req(fields.String())
    allowed = _req(fields.Boolean())
    reason = _req(
        fields.String(
            allow_none=True,
            metadata={"description": "Why the action is closed to you now (four eyes, state...)."},
        )
    )


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
    version = _req(
        fields.Integer(
            metadata={
                "description": "With a token: the row version for optimistic locking. "
                "Without: the published revision, which changes only with what the public reads."
            }
        )
    )
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


class Appearance(Schema):
    id = _req(fields.Integer())
    url = _req(fields.String(allow_none=True))
    title = _req(fields.String())
    speaker = _req(fields.String(metadata={"description": "Who made the statement there."}))
    date = _req(fields.Date(metadata={"description": "When it was said there."}))
    text = _req(fields.String(allow_none=True, metadata={"description": "The wording used."}))
    status = _req(
        fields.String(
            validate=validate.OneOf(["pending", "confirmed"]),
            metadata={
                "description": "An appearance is public once an editor other than the person "
                "who added it confirmed it; without a token only confirmed ones are listed."
            },
        )
    )


class ClaimDetail(Claim):
    evidence = _req(fields.List(fields.Nested(Evidence)))
    appearances = _req(
        fields.List(
            fields.Nested(Appearance),
            metadata={"description": "Every place the claim was made again, earliest first."},
        )
    )
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
    actions = fields.List(
        fields.Nested(ActionChoice),
        metadata={
            "description": "Staff only: the workflow actions your role has in this state, "
            "each open (`allowed`) or closed with the `reason` (four eyes, a missing "
            "rating...). POST one to `/transitions`."
        },
    )


class Page(Schema):
    total = _req(fields.Integer())
    page = _req(fields.Integer())
    per_page = _req(fields.Integer())
    next = _req(fields.String(allow_none=True, metadata={"description": "The next page's URL."}))


class ClaimPage(Page):
    items = _req(fields.List(fields.Nested(Claim)))
    total_is_estimate = _req(
        fields.Boolean(
            metadata={
                "description": "True when more claims match than were counted: `total` is "
                "then a lower bound (the count stops 1,000 claims past the page)."
            }
        )
    )


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


class ExternalFactCheck(Schema):
    id = _req(fields.Integer())
    url = _req(fields.String(metadata={"description": "The other organisation's review."}))
    publisher = _req(fields.String())
    claim = _req(fields.String(metadata={"description": "The claim as they reviewed it."}))
    claimant = _req(fields.String(allow_none=True))
    rating = _req(
        fields.String(allow_none=True, metadata={"description": "Their rating, as text."})
    )
    date = _req(fields.Date(allow_none=True, metadata={"description": "When they published it."}))


class Similar(Schema):
    score = _req(fields.Float(metadata={"description": "0 to 1."}))
    match = _req(
        fields.String(
            validate=validate.OneOf(["same", "related"]),
            metadata={
                "description": "`same`: the earlier verdict answers this claim (same subject, "
                "figure, direction and time frame); `related`: the same topic, worth a look."
            },
        )
    )
    claim = fields.Nested(Claim, metadata={"description": "One of our claims (or `external`)."})
    external = fields.Nested(
        ExternalFactCheck,
        metadata={"description": "Another organisation's fact-check (instead of `claim`)."},
    )


class SimilarPage(Page):
    items = _req(fields.List(fields.Nested(Similar)))
