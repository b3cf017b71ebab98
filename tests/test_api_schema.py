"""The OpenAPI document, the docs page, and schemathesis fuzzing the API against the document."""

from __future__ import annotations

import os
import re

import hypothesis
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import (
    allow_header_conformance,
    content_type_conformance,
    ensure_resource_availability,
    ignored_auth,
    missing_required_header,
    negative_data_rejection,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
    unsupported_method,
    use_after_free,
)
from schemathesis.core.failures import Failure

from factcheck.api.spec import Operation

from .conftest import _empty_tables


@schemathesis.check
def refusals_are_stated_rules(ctx, response, case) -> bool | None:
    """Schema-valid input refused (400) only for a rule the operation states in ``x-rules``.

    Stricter than schemathesis's ``positive_data_acceptance`` (which it replaces): that
    one cannot know rules a JSON Schema cannot express (one field against another,
    rows that must exist); this one accepts such a refusal only when the document
    states the rule for the field the error names.
    """
    meta = case.meta
    if meta is None or not meta.generation.mode.is_positive or response.status_code != 400:
        return None
    stated = {rule["field"] for rule in case.operation.definition.raw.get("x-rules", [])}
    refused = set(response.json()["error"]["fields"])
    if not refused or not refused <= stated:
        raise Failure(
            operation=case.operation.label,
            title="Schema-valid request refused for a rule the document does not state",
            message=f"Refused fields {sorted(refused)}; stated rules: {sorted(stated)}\n"
            f"{response.text[:300]}",
        )
    return None


# Every check schemathesis has, except two: positive_data_acceptance (replaced by
# refusals_are_stated_rules above) and max_response_time (a shared machine's timing
# says nothing about the API).
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    negative_data_rejection,
    refusals_are_stated_rules,
    missing_required_header,
    unsupported_method,
    ignored_auth,
    use_after_free,
    ensure_resource_availability,
    allow_header_conformance,
]
# FUZZ_EXAMPLES=500 FUZZ_SEED=random explore further than the suite's quick, repeatable run.
MAX_EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "25"))
REPEATABLE = os.environ.get("FUZZ_SEED") != "random"


def test_openapi_document_describes_every_api_route(app, client):
    resp = client.get("/api/openapi.json")
    assert resp.status_code == 200
    spec = resp.get_json()
    assert spec["openapi"] == "3.0.3"
    assert spec["components"]["securitySchemes"]["bearer"] == {
        "type": "http",
        "scheme": "bearer",
        "description": spec["components"]["securitySchemes"]["bearer"]["description"],
    }
    documented = {
        (method.upper(), path)
        for path, operations in spec["paths"].items()
        for method in operations
    }
    routed = set()
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1/"):
            continue
        assert isinstance(getattr(app.view_functions[rule.endpoint], "openapi", None), Operation)
        path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule)
        routed |= {(m, path) for m in rule.methods - {"HEAD", "OPTIONS"}}
    assert documented == routed
    claims = spec["paths"]["/api/v1/claims"]
    assert claims["post"]["security"] == [{"bearer": []}]
    assert claims["get"]["security"] == [{}, {"bearer": []}]
    params = {p["name"] for p in claims["get"]["parameters"]}
    assert {
        "q",
        "rating",
        "speaker",
        "source",
        "tag",
        "from",
        "to",
        "page",
        "per_page",
        "status",
    } <= params
    create = spec["components"]["schemas"]["ClaimCreate"]
    assert set(create["required"]) == {"text", "speaker", "date"}
    assert {"201", "400", "401", "403", "413", "429"} <= set(claims["post"]["responses"])


def test_docs_page_lists_paths_parameters_and_schemas_without_scripts(client):
    resp = client.get("/api/docs")
    assert resp.status_code == 200
    html = resp.get_data(as_text=True)
    assert "<code>PATCH /api/v1/claims/{claim_id}</code>" in html
    assert "<code>per_page</code>" in html
    assert 'id="schema-ClaimDetail"' in html
    assert "Authorization: Bearer &lt;token&gt;" in html
    assert "<script" not in html.split("</main>")[0].split("<main")[1]
    assert "style=" not in html


def test_the_api_conforms_to_its_document_under_fuzzing(another_app, make_claim, api_token):
    """schemathesis sends generated requests, valid and invalid, with a staff token so
    writes run too: no 5xx, and every status, header and body is one the document declares."""
    ids = [make_claim(status).id for status in ("logged", "researching", "in_review", "published")]
    speaker = "alma-testperson"
    headers = {"Authorization": f"Bearer {api_token('editor')}"}
    # The limit stays on, but far above what one fuzzing run sends.
    fuzz_app = another_app(API_RATE_LIMIT="100000 per minute")
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", fuzz_app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 18  # with the appearances write and its confirmation

    for operation in operations:
        names = {p.name for p in operation.path_parameters}
        strategies = [
            operation.as_strategy(),
            operation.as_strategy(generation_mode=GenerationMode.NEGATIVE),
        ]
        if "claim_id" in names:
            strategies += [operation.as_strategy(path_parameters={"claim_id": i}) for i in ids]
        if "slug" in names:
            strategies.append(operation.as_strategy(path_parameters={"slug": speaker}))

        @given(case=st.one_of(strategies))
        @settings(
            max_examples=MAX_EXAMPLES,
            deadline=None,
            database=None,
            derandomize=REPEATABLE,
            suppress_health_check=list(HealthCheck),
            phases=[hypothesis.Phase.explicit, hypothesis.Phase.generate, hypothesis.Phase.shrink],
        )
        def exercise(case: schemathesis.Case) -> None:
            case.call_and_validate(headers=headers, checks=CHECKS)

        exercise()


# What a stateful sequence keeps between runs: the people, their tokens, the scale.
_ACCOUNT_TABLES = frozenset({"users", "api_tokens", "ratings", "site_settings",
                             "recovery_codes", "totp_credentials", "password_links"})  # fmt: skip


def test_the_api_follows_its_own_links_under_stateful_fuzzing(another_app, make_claim, api_token):
    """schemathesis chains calls along the document's links (a new claim, then reading,
    changing, evidencing, drafting, moving and matching it), with every check."""
    make_claim("published")
    headers = {"Authorization": f"Bearer {api_token('editor')}"}
    fuzz_app = another_app(API_RATE_LIMIT="100000 per minute")
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", fuzz_app)
    links = schema.raw_schema["paths"]["/api/v1/claims"]["post"]["responses"]["201"]["links"]
    assert {"GetClaim", "ChangeClaim", "AddEvidence", "SaveVerdict", "Transition"} <= set(links)

    class Machine(schema.as_state_machine()):  # type: ignore[misc]
        def setup(self) -> None:
            # Each sequence of calls starts from the same archive: what an earlier one
            # created would change which links can be followed (a list with more
            # claims, a duplicate refused), and hypothesis replays its choices
            # expecting the same answers.
            _empty_tables(fuzz_app, keep=_ACCOUNT_TABLES)
            make_claim("published")

        def get_call_kwargs(self, case: schemathesis.Case) -> dict[str, object]:
            return {"headers": headers}

        def validate_response(self, response, case, additional_checks=None, **kwargs) -> None:
            case.validate_response(response, checks=CHECKS, headers=headers)

    Machine.run(
        settings=settings(
            max_examples=MAX_EXAMPLES // 2 or 1,
            stateful_step_count=6,
            deadline=None,
            database=None,
            derandomize=REPEATABLE,
            suppress_health_check=list(HealthCheck),
            phases=[hypothesis.Phase.generate],
        )
    )
