"""Claims written through the API (a staff token): logging and editing a claim, its
evidence and appearances, the verdict draft and the workflow's transitions."""

from __future__ import annotations

from typing import Any

from flask import Response, request

from ..errors import NotFound, PermissionDenied, ValidationFailed, tr
from ..models import Appearance, Claim, User
from ..reads.common import find
from ..services import accounts, appearances, reviews, verdicts
from ..services import claims as claim_service
from ..workflow import Action, parse_action
from . import bp, present
from . import responses as r
from . import schemas as s
from .auth import require_token
from .claims import claim_response, reload_claim
from .common import json_response, load_claim
from .errors import ETAG_PATTERN, PreconditionRequired, load_body, parse_etag
from .idempotency import idempotent
from .spec import ETAG, operation


def _claim_input(body: dict[str, Any], current: Claim | None = None) -> claim_service.ClaimInput:
    """The service's input: the current claim with the body's fields laid over it."""
    if current is None:
        data = claim_service.ClaimInput(text=body["text"], speaker=body["speaker"])
    else:
        data = claim_service.ClaimInput(
            text=current.text,
            speaker_id=current.speaker_id,
            quote=current.quote,
            context=current.context,
            stated_on=current.stated_on,
            source_id=current.source_id,
            article_id=current.article_id,
            tags=[t.name for t in current.tags],
            language=current.language,
            internal_notes=current.internal_notes,
            checkworthiness=current.checkworthiness,
        )
    if "text" in body:
        data.text = body["text"]
    if "speaker" in body:
        data.speaker, data.speaker_id = body["speaker"], None
    if "date" in body:
        data.stated_on = body["date"]
    for name in ("quote", "context", "language"):
        if name in body:
            setattr(data, name, body[name])
    if "source" in body:
        data.source, data.source_id = body["source"], None
    if "article_url" in body:
        data.article_url, data.article_id = body["article_url"], None
    if "tags" in body:
        data.tags = list(body["tags"] or [])
    return data


@bp.post("/v1/claims")
@operation(
    summary="Log a claim",
    tag="claims",
    auth="token",
    description="The speaker is found by name or alias, or created; so is the source. "
    "The new claim is `logged`.",
    body=s.ClaimCreate,
    responses={201: ("The new claim.", r.ClaimDetail)},
    headers={201: ETAG},
    rules=s.CLAIM_RULES,
    links={201: s.CLAIM_LINKS},
    idempotent=True,
)
@idempotent
def create_claim() -> Response:
    user = require_token()
    body = load_body(s.ClaimCreate())
    claim = claim_service.log_claim(user, _claim_input(body))
    return claim_response(reload_claim(claim.id), user, 201)


def _version_read(body: dict[str, Any]) -> int:
    header = request.headers.get("If-Match")
    if "version" in body:
        return int(body["version"])
    if header:
        return parse_etag(header)
    raise PreconditionRequired(
        tr(
            "Say which version you are changing: send 'version' (from the claim you read) "
            "or an If-Match header with its ETag."
        ),
        fields={"version": tr("Required (or If-Match).")},
    )


@bp.patch("/v1/claims/<int:claim_id>")
@operation(
    summary="Change a claim",
    tag="claims",
    auth="token",
    description="Send only the fields to change, with the `version` you read (or If-Match "
    "with the ETag). A claim changed since is a 409 and nothing is saved. Every field "
    "here is public: on a published claim a change goes through a correction (four eyes). "
    "Without a correction under way it is a 409 (an editor opens one with the transition "
    "`correct`); during one, an editor's change is recorded on a new revision under review "
    "(`draft.claim_changes`) and the answer is 202: the claim, the public page and the "
    "anonymous API keep the approved values until another editor approves the correction.",
    body=s.ClaimPatch,
    responses={
        200: ("The changed claim.", r.ClaimDetail),
        202: (
            "A published claim: the change waits in the correction under review "
            "(`draft.claim_changes`); the claim's fields are still the approved ones.",
            r.ClaimDetail,
        ),
    },
    errors=(409, 428),
    rules={
        **s.CLAIM_RULES,
        "_body": "Send at least one field to change besides `version`.",
        "published": "A published claim changes only during a correction, and only by an "
        "editor (409 otherwise).",
    },
    headers={200: ETAG, 202: ETAG},
    parameters=[
        {
            "in": "header",
            "name": "If-Match",
            "required": False,
            "schema": {"type": "string", "pattern": ETAG_PATTERN},
            "description": 'The ETag read, W/"<version>"; instead of `version`.',
        }
    ],
)
def update_claim(claim_id: int) -> Response:
    user = require_token()
    claim = load_claim(claim_id, staff=True)
    body = load_body(s.ClaimPatch())
    changes = {k: v for k, v in body.items() if k != "version"}
    if not changes:
        raise ValidationFailed(
            tr("Nothing to change: send at least one field besides 'version'."),
            fields={"_body": tr("No fields to change.")},
        )
    version = _version_read(body)
    submitted = {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in body.items()}
    claim_service.update_claim(user, claim, version, _claim_input(changes, claim), submitted)
    fresh = reload_claim(claim_id)
    # On a published claim the change waits in the correction for another editor: 202.
    return claim_response(fresh, user, 202 if fresh.is_public else 200)


@bp.post("/v1/claims/<int:claim_id>/evidence")
@operation(
    summary="Add evidence",
    tag="claims",
    auth="token",
    description="A URL and/or a citation, with its stance: supports, refutes or context.",
    body=s.EvidenceCreate,
    responses={201: ("The new piece of evidence.", r.Evidence)},
    rules=s.EVIDENCE_RULES,
    idempotent=True,
)
@idempotent
def add_evidence(claim_id: int) -> Response:
    user = require_token()
    claim = load_claim(claim_id, staff=True)
    body = load_body(s.EvidenceCreate())
    row = claim_service.add_evidence(
        user,
        claim,
        claim_service.EvidenceInput(
            stance=body["stance"],
            url=body.get("url"),
            citation=body.get("citation"),
            title=body.get("title"),
            publisher=body.get("publisher"),
            excerpt=body.get("excerpt"),
            archived_url=body.get("archived_url"),
        ),
    )
    return json_response(present.dump(r.Evidence, present.evidence(row)), 201)


@bp.post("/v1/claims/<int:claim_id>/appearances")
@operation(
    summary="Record an appearance",
    tag="claims",
    auth="token",
    description="One more place the claim was made: the page, who said it, when, in which "
    "words. It is listed in the claim's `appearances` at once (status `pending`); the public "
    "page, the anonymous API and the ClaimReview show it once an editor other than the "
    "person who added it confirms it. The same address twice for one claim is a 409.",
    body=s.AppearanceCreate,
    rules=s.APPEARANCE_RULES,
    responses={201: ("The claim, listing its appearances.", r.ClaimDetail)},
    errors=(409,),
    headers={201: ETAG},
    idempotent=True,
)
@idempotent
def add_appearance(claim_id: int) -> Response:
    user = require_token()
    claim = load_claim(claim_id, staff=True)
    body = load_body(s.AppearanceCreate())
    appearances.add_appearance(
        user,
        claim,
        appearances.AppearanceInput(
            url=body["url"],
            title=body["title"],
            speaker=body["speaker"],
            said_on=body["date"],
            text=body.get("text"),
        ),
    )
    return claim_response(reload_claim(claim_id), user, 201)


@bp.post("/v1/claims/<int:claim_id>/appearances/<int:appearance_id>/confirm")
@operation(
    summary="Confirm an appearance",
    tag="claims",
    auth="token",
    description="Editors only, and never the person who added it (four eyes): the "
    "appearance becomes public.",
    responses={200: ("The claim, listing its appearances.", r.ClaimDetail)},
    errors=(409,),
    headers={200: ETAG},
)
def confirm_appearance(claim_id: int, appearance_id: int) -> Response:
    user = require_token()
    claim = load_claim(claim_id, staff=True)
    row = find(Appearance, appearance_id)
    if row is None or row.claim_id != claim.id:
        raise NotFound(
            tr(
                "Claim #%(claim_id)s has no appearance #%(appearance_id)s.",
                claim_id=claim.id,
                appearance_id=appearance_id,
            )
        )
    appearances.confirm_appearance(user, row)
    return claim_response(reload_claim(claim_id), user)


@bp.put("/v1/claims/<int:claim_id>/verdict")
@operation(
    summary="Save the verdict draft",
    tag="claims",
    auth="token",
    description="Saves a new revision of the verdict (every revision is kept). `version` "
    "is the revision the draft is based on; without it the draft builds on the latest "
    "revision. Drafts are written while the claim is researching (editors may also revise "
    "a correction in review).",
    body=s.VerdictPut,
    responses={200: ("The saved draft.", r.Draft)},
    errors=(409,),
    rules=s.VERDICT_RULES,
    idempotent=True,
)
@idempotent
def save_verdict(claim_id: int) -> Response:
    user = require_token()
    claim = load_claim(claim_id, staff=True)
    body = load_body(s.VerdictPut())
    base = body.get("version")
    if base is None:
        latest = verdicts.latest_revision(claim.id)
        base = latest.revision if latest else 0
    verdict = verdicts.save_draft(
        user,
        claim,
        base,
        verdicts.DraftInput(
            rating=body.get("rating"),
            summary=body["summary"],
            explanation=body["explanation"],
            correction_note=body.get("correction_note"),
        ),
    )
    saved = next(v for v in verdicts.revisions(claim.id) if v.id == verdict.id)
    return json_response(present.dump(r.Draft, present.draft(saved)))


def _assignee_id(value: str | None) -> int | None:
    if value is None or not value.strip():
        return None
    value = value.strip()
    user: User | None
    if value.isdigit():
        user = find(User, int(value))
    else:
        try:
            user = accounts.find_user_by_email(accounts.normalize_email(value))
        except ValidationFailed:
            user = None
    if user is None:
        raise ValidationFailed(
            tr("There is no account '%(value_80)s' to assign.", value_80=value[:80]),
            fields={"assignee": tr("Give an account's email or id.")},
        )
    return user.id


@bp.post("/v1/claims/<int:claim_id>/transitions")
@operation(
    summary="Move a claim through the workflow",
    tag="claims",
    auth="token",
    description="`start`, `assign` (with `assignee`), `submit`, `approve`, `send_back` "
    "(with `comment`), `dismiss` (with `reason`, and `duplicate_of` for a duplicate), "
    "`correct` (with `comment`, the public correction note). 403 when your role may not; "
    "409 when the claim's state or a rule (four eyes, missing evidence) forbids it.",
    body=s.TransitionPost,
    responses={200: ("The claim after the transition.", r.ClaimDetail)},
    errors=(409,),
    rules=s.TRANSITION_RULES,
    headers={200: ETAG},
    idempotent=True,
)
@idempotent
def transition(claim_id: int) -> Response:
    user = require_token()
    claim = load_claim(claim_id, staff=True)
    body = load_body(s.TransitionPost())
    action = parse_action(body["action"])
    assignee_id = _assignee_id(body.get("assignee")) if action is Action.ASSIGN else None
    try:
        reviews.transition(
            user,
            claim,
            action,
            version=body.get("version"),
            comment=body.get("comment") or "",
            reason=body.get("reason") or "",
            duplicate_of=body.get("duplicate_of"),
            assignee_id=assignee_id,
        )
    except PermissionDenied:
        raise PermissionDenied(
            tr(
                "Your role (%(user_role_replace)s) may not %(action_value_replace)s a claim.",
                user_role_replace=user.role.replace("_", " "),
                action_value_replace=action.value.replace("_", " "),
            )
        ) from None
    return claim_response(reload_claim(claim_id), user)
