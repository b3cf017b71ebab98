"""Who reaches what: every route x (anonymous + each role) against one table.

The table follows PRODUCT.md's roles. ``EXPECTED`` names endpoints explicitly;
otherwise the URL prefix decides (``PREFIX_RULES``), then the blueprint
(``BLUEPRINT_RULES``). A route that none of them covers fails the test: decide
who may use it and write it down here.

Outcomes: an HTTP status (or a set of them), ``LOGIN`` (a redirect to the
sign-in page), ``REDIRECT`` (a redirect elsewhere) or ``OK``: 200 for a GET,
and for a write "allowed", which the feature tests exercise (the walker only
sends the writes that must be refused, and checks they change nothing).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient

from .routewalk import Route, World, build_world, differences, routes, snapshot

LOGIN = "login"
REDIRECT = "redirect"
OK = "ok"
Outcome = int | str | frozenset[int]
ROLES = ("anonymous", "fact_checker", "editor", "admin")
READ_METHODS = {"GET"}
REFUSALS = {LOGIN, 401, 403}


def access(anonymous: Outcome, fact_checker: Outcome, editor: Outcome, admin: Outcome) -> dict:
    return {"anonymous": anonymous, "fact_checker": fact_checker, "editor": editor, "admin": admin}


@dataclass(frozen=True)
class Rule:
    read: Mapping[str, Outcome]
    # None: a write to such a route needs an explicit entry in EXPECTED.
    write: Mapping[str, Outcome] | None


SIGNED_IN = access(LOGIN, OK, OK, OK)
EDITORS = access(LOGIN, 403, OK, OK)
ADMINS = access(LOGIN, 403, 403, OK)
EVERYONE = access(OK, OK, OK, OK)
PUBLIC_PAGE = frozenset({200, 404})

PREFIX_RULES: list[tuple[str, Rule]] = [
    # The rating scale is the editors' (PRODUCT.md: editors "manage the rating scale").
    ("/desk/ratings", Rule(EDITORS, EDITORS)),
    ("/desk", Rule(SIGNED_IN, SIGNED_IN)),
    ("/admin", Rule(ADMINS, ADMINS)),
    ("/account", Rule(SIGNED_IN, SIGNED_IN)),
    # The API reads published data for anyone; it writes only with a bearer token and
    # never on the strength of a session cookie (it is exempt from CSRF).
    ("/api", Rule(access(*[PUBLIC_PAGE] * 4), access(401, 401, 401, 401))),
]
BLUEPRINT_RULES: dict[str, Rule] = {
    "public": Rule(access(*[PUBLIC_PAGE] * 4), None),
    # Every public page again under /uk/: the same answers.
    "public_uk": Rule(access(*[PUBLIC_PAGE] * 4), None),
}
EXPECTED: dict[str, Rule] = {
    "auth.login": Rule(access(OK, REDIRECT, REDIRECT, REDIRECT), EVERYONE),
    "auth.logout": Rule(SIGNED_IN, SIGNED_IN),
    "auth.reset_request": Rule(EVERYONE, EVERYONE),
    "auth.set_password": Rule(EVERYONE, EVERYONE),
    # The code after the password: only with a half-finished sign-in in the session
    # (else back to /login); a signed-in person goes to the desk.
    "auth.login_code": Rule(
        access(LOGIN, REDIRECT, REDIRECT, REDIRECT), access(LOGIN, REDIRECT, REDIRECT, REDIRECT)
    ),
    # One's own second factor and the re-authentication page: anyone signed in.
    "auth.two_factor_page": Rule(SIGNED_IN, None),
    "auth.enrol_two_factor": Rule(SIGNED_IN, SIGNED_IN),
    "auth.regenerate_recovery_codes": Rule(SIGNED_IN, SIGNED_IN),
    "auth.disable_two_factor": Rule(SIGNED_IN, SIGNED_IN),
    "auth.reauthenticate": Rule(SIGNED_IN, SIGNED_IN),
    # Turning off someone else's second factor (a lost phone) is the admins'.
    "admin.reset_two_factor": Rule(ADMINS, ADMINS),
    "admin.index": Rule(access(LOGIN, 403, 403, REDIRECT), None),
    # Merging speakers or sources is the editors' (PRODUCT.md).
    "desk.merge_speakers": Rule(EDITORS, EDITORS),
    "desk.merge_sources": Rule(EDITORS, EDITORS),
    # An edit of a speaker or source with published fact-checks waits for an editor
    # who did not make it (four eyes; the service refuses the author with a reason).
    "desk.approve_speaker_change": Rule(EDITORS, EDITORS),
    "desk.approve_source_change": Rule(EDITORS, EDITORS),
    # Claim tracking: confirming an appearance makes it public, so it is the editors'
    # (four eyes: never the person who added it); removing a confirmed one likewise.
    "desk.confirm_appearance": Rule(EDITORS, EDITORS),
    "desk.remove_appearance": Rule(EDITORS, EDITORS),
    # Rebuilding the search index (a background job) is the admins' (site upkeep).
    "desk.queue_reindex": Rule(ADMINS, ADMINS),
    # The monitor, feeds, jobs and one's own watch list are every newsroom role's: the
    # "/desk" prefix rule covers them (SIGNED_IN).
    # The CSV export is for staff tokens; a cookie session is no credential for the API.
    "api.export_claims": Rule(access(401, 401, 401, 401), None),
    # A search with no words answers a clear 400.
    "api.search": Rule(access(400, 400, 400, 400), None),
    # Readers' tips: anyone may ask (an empty request is a clear 400); the desk answers
    # or dismisses a group only as an editor.
    "public.new_tip": Rule(EVERYONE, access(400, 400, 400, 400)),
    "public_uk.new_tip": Rule(EVERYONE, access(400, 400, 400, 400)),
    "api.create_tip": Rule(EVERYONE, access(400, 400, 400, 400)),
    "desk.tip_answer": Rule(EDITORS, EDITORS),
    "desk.tip_dismiss": Rule(EDITORS, EDITORS),
}


class NoRule(LookupError):
    pass


def rule_for(route: Route) -> Rule:
    if route.endpoint in EXPECTED:
        return EXPECTED[route.endpoint]
    for prefix, rule in PREFIX_RULES:
        if route.rule == prefix or route.rule.startswith(prefix + "/"):
            return rule
    blueprint = route.endpoint.rpartition(".")[0]
    if blueprint in BLUEPRINT_RULES:
        return BLUEPRINT_RULES[blueprint]
    raise NoRule(
        f"No access rule for {route.endpoint} ({route.rule}): add it to EXPECTED in "
        "tests/test_security_routes.py (or give its prefix a rule)."
    )


def expectation(route: Route, method: str, role: str) -> Outcome:
    rule = rule_for(route)
    table = rule.read if method in READ_METHODS else rule.write
    if table is None:
        raise NoRule(
            f"{route.endpoint} ({route.rule}) accepts {method}, and its rule says nothing "
            "about writes: add it to EXPECTED in tests/test_security_routes.py."
        )
    return table[role]


def outcome_error(resp: Any, outcome: Outcome, method: str) -> str | None:
    status = resp.status_code
    location = urlsplit(resp.headers.get("Location", "")).path
    if outcome == LOGIN:
        ok = status == 302 and location == "/login"
    elif outcome == REDIRECT:
        ok = 300 <= status < 400 and location != "/login"
    elif outcome == OK:
        ok = status == 200
    elif isinstance(outcome, int):
        ok = status == outcome
    else:
        ok = status in outcome
    if ok:
        return None
    return f"expected {outcome}, got {status}" + (f" -> {location}" if location else "")


@pytest.fixture
def world(users, make_claim) -> World:
    return build_world(users, make_claim)


@pytest.fixture
def clients(login_as) -> dict[str, FlaskClient]:
    return {role: login_as(None if role == "anonymous" else role) for role in ROLES}


def test_every_route_answers_each_role_as_the_table_says(app: Flask, world, clients):
    all_routes = list(routes(app, world))
    assert len(all_routes) >= 15, [r.rule for r in all_routes]
    failures: list[str] = []
    before = snapshot()
    for route in all_routes:
        if "GET" not in route.methods:
            continue
        for role in ROLES:
            resp = clients[role].get(route.url)
            error = outcome_error(resp, expectation(route, "GET", role), "GET")
            if error:
                failures.append(f"GET {route.url} as {role}: {error}")
    assert not failures, "\n".join(failures)
    changed = differences(before, snapshot())
    assert not changed, f"a GET changed the tables {changed}: GETs must never change state"


def test_refused_writes_are_refused_and_change_nothing(app: Flask, world, clients):
    failures: list[str] = []
    tried = 0
    for route in routes(app, world):
        for method in sorted(route.methods - READ_METHODS):
            for role in ROLES:
                outcome = expectation(route, method, role)
                if outcome not in REFUSALS:
                    continue  # allowed: the feature tests exercise it with real input
                before = snapshot()
                resp = clients[role].open(route.url, method=method, data={})
                tried += 1
                error = outcome_error(resp, outcome, method)
                if error:
                    failures.append(f"{method} {route.url} as {role}: {error}")
                if changed := differences(before, snapshot()):
                    failures.append(f"{method} {route.url} as {role} changed {changed}")
    assert tried >= 20
    assert not failures, "\n".join(failures)


def test_forbidden_writes_with_valid_input_change_nothing(app, world, clients, users):
    """The walker posts empty forms; here the refused roles send forms that would work."""
    target = users["fact_checker"]
    attempts = [
        ("/admin/users/new", {"name": "Mallory", "email": "m@example.org", "role": "admin"}),
        (f"/admin/users/{target.id}/role", {"role": "admin", "version": target.version}),
        (f"/admin/users/{target.id}/deactivate", {"version": target.version}),
        (f"/admin/users/{target.id}/password-link", {}),
        (f"/admin/tokens/{world.params['api_token_id']}/revoke", {}),
        (
            "/admin/settings",
            {
                "version": 1,
                "site_name": "Taken over",
                "organization_name": "Nobody",
                "organization_url": "https://evil.example",
                "approvals_required": 1,
                "session_idle_minutes": 720,
                "session_max_hours": 168,
            },
        ),
    ]
    for role in ("fact_checker", "editor"):
        for url, data in attempts:
            before = snapshot()
            resp = clients[role].post(url, data=data)
            assert resp.status_code == 403, (role, url, resp.status_code)
            assert not differences(before, snapshot()), (role, url)


def test_a_route_without_a_rule_fails_loudly():
    route = Route("mystery.page", "/mystery", "/mystery", frozenset({"GET"}))
    with pytest.raises(NoRule, match="No access rule for mystery.page"):
        expectation(route, "GET", "admin")
    public_write = Route("public.vote", "/vote", "/vote", frozenset({"POST"}))
    with pytest.raises(NoRule, match="says nothing about writes"):
        expectation(public_write, "POST", "anonymous")


def test_a_route_parameter_the_walker_cannot_fill_fails_loudly(app: Flask):
    from .routewalk import OVERRIDES, PARAMS, UnknownParameter

    app.add_url_rule("/desk/widgets/<int:widget_id>", "desk_widget", lambda widget_id: "")
    everything_else = World(params={key: 1 for key in [*PARAMS.values(), *OVERRIDES.values()]})
    with pytest.raises(UnknownParameter, match="desk_widget .* 'widget_id'"):
        list(routes(app, everything_else))
