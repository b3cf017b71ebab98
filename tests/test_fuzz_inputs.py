"""Hypothesis-generated input to every form and every API write: never a server error."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from factcheck.extensions import db
from factcheck.services.settings import get_settings, settings_version

from .routewalk import build_world
from .test_security_xss import FORMS, fill

FUZZ = settings(
    max_examples=12,
    deadline=None,
    derandomize=True,  # the same examples on every run: CI failures reproduce
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
# Text as people paste it, and worse: control characters, NUL, astral planes, huge values.
TEXT = st.one_of(
    st.text(max_size=40),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=300),
    st.sampled_from(
        [
            "",
            " ",
            "0",
            "-1",
            "99999999999999999999",
            "2025-02-30",
            "1e309",
            "\x00",
            "NaN",
            "'; DROP TABLE claims; --",
        ]
    ),
    st.text(min_size=2000, max_size=6000),
)
JSON_VALUE = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | TEXT,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4)
    ),
    max_leaves=12,
)


@pytest.fixture
def world(users, make_claim):
    return build_world(users, make_claim)


@pytest.fixture
def clients(login_as):
    return {role: login_as(role) for role in (None, "fact_checker", "editor", "admin")}


@pytest.mark.slow
@pytest.mark.parametrize(
    "form", FORMS, ids=[f"{f.method} {f.url} {'/'.join(f.text)}" for f in FORMS]
)
def test_random_form_input_never_gives_a_server_error(form, world, clients):
    @FUZZ
    @given(values=st.fixed_dictionaries({name: TEXT for name in form.text}))
    def run(values: dict[str, str]) -> None:
        params = {**world.params, "settings_version": settings_version(get_settings())}
        data = {name: fill(value, params) for name, value in form.fixed.items()}
        data.update(values)
        url = fill(form.url, params)
        client = clients[form.role]
        resp = (
            client.get(url, query_string=data)
            if form.method == "GET"
            else client.post(url, data=data)
        )
        db.session.rollback()
        assert resp.status_code < 500, (url, data, resp.get_data(as_text=True)[:500])

    run()


API_WRITES = [
    (
        "POST",
        "/api/v1/claims",
        [
            "text",
            "speaker",
            "date",
            "quote",
            "context",
            "source",
            "article_url",
            "tags",
            "language",
        ],
    ),
    (
        "PATCH",
        "/api/v1/claims/{claim_logged_id}",
        ["text", "speaker", "date", "quote", "context", "tags", "language", "version"],
    ),
    (
        "POST",
        "/api/v1/claims/{claim_researching_id}/evidence",
        ["url", "citation", "title", "publisher", "excerpt", "stance"],
    ),
    (
        "PUT",
        "/api/v1/claims/{claim_researching_id}/verdict",
        ["rating", "summary", "explanation", "version"],
    ),
    (
        "POST",
        "/api/v1/claims/{claim_in_review_id}/transitions",
        ["action", "comment", "reason", "duplicate_of"],
    ),
]


@pytest.mark.slow
@pytest.mark.parametrize(
    "method, path, fields", API_WRITES, ids=[f"{m} {p}" for m, p, _ in API_WRITES]
)
def test_random_api_writes_never_give_a_server_error(
    method, path, fields, world, client, api_token
):
    token = api_token("editor")

    @FUZZ
    @given(
        body=st.one_of(
            st.dictionaries(st.sampled_from(fields), JSON_VALUE, max_size=len(fields)),
            JSON_VALUE,
            st.binary(max_size=200),
        )
    )
    def run(body: Any) -> None:
        url = fill(path, world.params)
        payload = body if isinstance(body, bytes) else json.dumps(body).encode()
        resp = client.open(
            url,
            method=method,
            data=payload,
            headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        )
        db.session.rollback()
        assert resp.status_code < 500, (url, payload[:300], resp.get_data(as_text=True)[:500])
        assert resp.is_json, (url, resp.mimetype)

    run()
