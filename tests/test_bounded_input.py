"""Oversized integers and deep JSON, on every route and every API write: never a 500.

Every route is taken from ``app.url_map``: its integer parameters get numbers no column
holds, its query string oversized pages, ids and filters; every API write gets JSON
nested 100,000 deep and fields holding 30-digit numbers.
"""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.routing import IntegerConverter

from factcheck.extensions import db
from factcheck.limits import MAX_ID, MAX_JSON_DEPTH

from .routewalk import build_world

PROPERTY = settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
HUGE = st.one_of(
    st.integers(min_value=MAX_ID + 1, max_value=10**30),
    st.sampled_from([2**31, 2**63, 10**25, 10**29 + 7]),
)
QUERY_NAMES = (
    "page", "per_page", "speaker", "source", "assignee", "rating", "tag", "id", "claim",
    "focus", "exclude", "user", "actor", "entity_id", "claim_id", "group",
)  # fmt: skip


@pytest.fixture
def world(users, make_claim):
    return build_world(users, make_claim)


@pytest.fixture
def clients(login_as):
    return {role: login_as(role) for role in (None, "editor", "admin")}


def _rules(app, methods: set[str]):
    return sorted(
        (
            rule
            for rule in app.url_map.iter_rules()
            if rule.endpoint != "static" and (rule.methods or set()) & methods
        ),
        key=lambda r: r.rule,
    )


def _url(rule, world, number: int) -> str:
    """The rule with every integer argument set to ``number`` and the others from real rows."""
    from .routewalk import OVERRIDES, PARAMS

    values = {}
    for name in rule.arguments:
        if isinstance(rule._converters[name], IntegerConverter):
            values[name] = number
        else:
            values[name] = world.params[OVERRIDES.get((rule.endpoint, name)) or PARAMS[name]]
    built = rule.build(values, append_unknown=False)
    assert built is not None
    return built[1] if built[1].startswith("/") else "/" + built[1]


def test_every_route_refuses_oversized_ids_and_numbers_without_a_server_error(app, world, clients):
    rules = _rules(app, {"GET", "POST"})
    assert len(rules) > 60

    @PROPERTY
    @given(
        rule=st.sampled_from(rules),
        number=HUGE,
        role=st.sampled_from([None, "editor", "admin"]),
        names=st.lists(st.sampled_from(QUERY_NAMES), min_size=1, max_size=4, unique=True),
    )
    def run(rule, number: int, role: str | None, names: list[str]) -> None:
        url = _url(rule, world, number)
        query = {name: str(number) for name in names}
        client = clients[role]
        if "GET" in (rule.methods or set()):
            resp = client.get(url, query_string=query)
        else:
            resp = client.post(url, data=query)
        db.session.rollback()
        assert resp.status_code < 500, (rule.rule, url, query, resp.get_data(as_text=True)[:300])

    run()


def test_every_route_with_an_id_gives_404_for_one_beyond_the_column(app, world, clients):
    failures = []
    for rule in _rules(app, {"GET"}):
        if not any(isinstance(rule._converters[n], IntegerConverter) for n in rule.arguments):
            continue
        url = _url(rule, world, 10**25)
        resp = clients["admin"].get(url)
        if resp.status_code != 404:
            failures.append((url, resp.status_code))
    assert not failures, failures


def _api_writes(app):
    """Every API write that reads a body (its OpenAPI note names one)."""
    for rule in _rules(app, {"POST", "PUT", "PATCH"}):
        note = getattr(app.view_functions[rule.endpoint], "openapi", None)
        if rule.rule.startswith("/api/") and note is not None and note.body is not None:
            for method in sorted((rule.methods or set()) & {"POST", "PUT", "PATCH"}):
                yield rule, method


def test_json_nested_100000_deep_is_a_clear_400_on_every_api_write(app, world, client, api_token):
    token = api_token("editor")
    writes = list(_api_writes(app))
    assert len(writes) >= 6
    for rule, method in writes:
        url = _url(rule, world, 1)
        # (A body over the API's 256 KB is a 413 before it is read.)
        for body in ("[" * 100_000, '{"a":' * 50_000, "[" * (MAX_JSON_DEPTH + 1)):
            resp = client.open(
                url,
                method=method,
                data=body,
                headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
            )
            assert resp.status_code == 400, (url, resp.status_code, resp.get_data()[:300])
            assert "nested more than" in resp.get_json()["error"]["message"]


def test_api_writes_with_huge_numbers_in_every_field_are_refused_cleanly(
    app, world, client, api_token
):
    token = api_token("editor")
    writes = list(_api_writes(app))
    fields = (
        "version", "rating", "duplicate_of", "assignee", "speaker", "source", "text",
        "summary", "explanation", "stance", "url", "date", "action", "claim",
    )  # fmt: skip

    @PROPERTY
    @given(
        write=st.sampled_from(writes),
        number=HUGE,
        names=st.lists(st.sampled_from(fields), min_size=1, max_size=5, unique=True),
        as_text=st.booleans(),
    )
    def run(write, number: int, names: list[str], as_text: bool) -> None:
        rule, method = write
        url = _url(rule, world, 1)
        body = {name: (str(number) if as_text else number) for name in names}
        resp = client.open(
            url,
            method=method,
            data=json.dumps(body),
            headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        )
        db.session.rollback()
        assert resp.status_code < 500, (url, body, resp.get_data(as_text=True)[:300])
        assert resp.is_json

    run()


def test_a_rating_slug_of_30_digits_is_a_clear_400(client, make_claim, api_token):
    claim = make_claim("researching")
    resp = client.put(
        f"/api/v1/claims/{claim.id}/verdict",
        json={"version": 0, "rating": "1" * 30, "summary": "A summary.", "explanation": "Why."},
        headers={"Authorization": f"Bearer {api_token('fact_checker')}"},
    )
    assert resp.status_code == 400
    assert resp.get_json()["error"]["fields"]["rating"] == "Choose a rating from the scale."


@pytest.mark.parametrize("name", ["page", "speaker", "source", "assignee"])
@pytest.mark.parametrize("path", ["/desk/claims", "/desk/claims.csv"])
def test_the_desk_list_and_its_csv_take_25_digit_filters_without_a_server_error(
    login_as, path, name
):
    resp = login_as("editor").get(path, query_string={name: "9" * 25})
    assert resp.status_code in (200, 400), resp.status_code
    if resp.status_code == 400:
        assert "Expected a number" in resp.get_data(as_text=True)


def test_a_25_digit_id_in_a_form_is_a_form_error(login_as, make_claim):
    claim = make_claim("in_review")
    editor = login_as("editor")
    resp = editor.post(
        f"/desk/claims/{claim.id}/transition",
        data={"action": "dismiss", "reason": "duplicate", "duplicate_of": "9" * 25},
        follow_redirects=True,
    )
    assert resp.status_code == 200
    assert "Enter a number no larger than 2,147,483,647" in resp.get_data(as_text=True)
    db.session.expire_all()
    assert claim.status == "in_review"
