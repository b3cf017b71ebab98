"""No stored or reflected text comes out as live markup, on any page.

Each payload goes into every text field of every form in ``FORMS`` and, through the
services, into claims, speakers, sources, evidence, verdicts, user names and
notifications. Then every page is fetched (every GET route of the app, found by
tests/routewalk.py, plus ``EXTRA_PAGES``) as each role, and its HTML is parsed:
no ``<script>`` but the app's own files and JSON-LD, no ``on*=`` attribute, no
``javascript:`` URL, no markup swallowed into a URL.

To extend (the desk, the public pages, the API docs):
- a new form: add a ``Form(url, text=[its text fields], role=..., fixed={other
  fields})`` row to ``FORMS``; ``{name}`` in the URL or in fixed values is filled
  from ``World.params`` (tests/routewalk.py), e.g. ``/desk/claims/{claim_id}/edit``;
- a new page: nothing to do when it is a GET route (URL parameters it uses must be
  known to routewalk.PARAMS); add pages that need a query string to ``EXTRA_PAGES``;
- more stored text: pass it to ``build_world`` (it already covers claim text, quote,
  context, speaker name/title, source, article title, tag, evidence, summary and
  explanation) or create it in ``store_through_services``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from html.parser import HTMLParser

import pytest
from flask.testing import FlaskClient

from factcheck.extensions import db
from factcheck.rendering import render_markdown
from factcheck.services import accounts
from factcheck.services.settings import get_settings, settings_version

from .routewalk import World, build_world, routes

PAYLOADS = {
    "script": "<script>alert(1)</script>",
    "attribute": '"><img src=x onerror=alert(1)>',
    "markdown-link": "[x](javascript:alert(1))",
    "svg": "<svg onload=alert(1)>",
    "broken": '<a href="x',
    "textarea": "</textarea><script>alert(1)</script>",
}
ROLES = (None, "fact_checker", "admin")
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster", "ping"}
NEVER_TAGS = {"iframe", "frame", "frameset", "object", "embed", "applet", "base", "style"}
DANGEROUS_SCHEMES = ("javascript:", "vbscript:", "data:text/html")


@dataclass
class Form:
    url: str
    text: list[str]
    role: str | None = None
    fixed: dict[str, str] = field(default_factory=dict)
    method: str = "POST"


FORMS = [
    Form("/login", ["email", "password"]),
    Form("/reset-password", ["email"]),
    Form("/set-password/{password_link}", ["password", "confirm"]),
    Form("/account/password", ["current_password", "password", "confirm"], role="editor"),
    Form("/account/tokens", ["name"], role="fact_checker"),
    Form(
        "/admin/users/new",
        ["name"],
        role="admin",
        fixed={"email": "x1@example.org", "role": "editor"},
    ),
    Form("/admin/users/new", ["email", "role"], role="admin", fixed={"name": "Xavier Example"}),
    Form("/admin/users/{user_id}/role", ["role", "version"], role="admin"),
    Form("/admin/users/{user_id}/deactivate", ["version"], role="admin"),
    Form(
        "/admin/settings",
        ["site_name", "organization_name"],
        role="admin",
        fixed={
            "version": "{settings_version}",
            "organization_url": "https://desk.example.org/",
            "approvals_required": "1",
            "session_idle_minutes": "60",
            "session_max_hours": "12",
            "tip_email_days": "90",
        },
    ),
    Form(
        "/admin/settings",
        ["organization_url", "approvals_required", "session_idle_minutes", "version"],
        role="admin",
        fixed={
            "site_name": "Site",
            "organization_name": "Org",
            "session_max_hours": "12",
            "tip_email_days": "90",
        },
    ),
    Form("/admin/users", ["q", "role", "state", "page"], role="admin", method="GET"),
    Form("/tips/new", ["claim", "seen_at", "email"], fixed={"action": "send"}),
    Form("/desk/tips", ["state", "sort", "page"], role="fact_checker", method="GET"),
    Form("/admin/tokens", ["state", "page"], role="admin", method="GET"),
    Form(
        "/admin/audit",
        ["action", "actor", "entity_type", "entity_id", "date_from", "date_to", "q", "before"],
        role="admin",
        method="GET",
    ),
    # the desk
    Form(
        "/desk/claims/new",
        [
            "text",
            "quote",
            "context",
            "speaker",
            "speaker_title",
            "speaker_affiliation",
            "source",
            "article_title",
            "tags",
            "internal_notes",
        ],
        role="fact_checker",
        fixed={"language": "en"},
    ),
    Form(
        "/desk/claims/new",
        ["article_url", "stated_on", "language"],
        role="fact_checker",
        fixed={"text": "A claim with enough words.", "speaker": "Someone"},
    ),
    # No version: the edit is refused as stale and the conflict page echoes what was typed.
    Form(
        "/desk/claims/{claim_id}/edit",
        ["text", "quote", "context", "speaker", "tags", "internal_notes"],
        role="fact_checker",
        fixed={"language": "en"},
    ),
    Form(
        "/desk/claims/{claim_researching_id}/evidence/new",
        ["url", "citation", "title", "publisher", "excerpt", "archived_url"],
        role="fact_checker",
        fixed={"stance": "refutes"},
    ),
    Form(
        "/desk/claims/{claim_researching_id}/evidence/new",
        ["stance"],
        role="fact_checker",
        fixed={"citation": "Report"},
    ),
    Form(
        "/desk/claims/{claim_researching_id}/verdict",
        ["summary", "explanation"],
        role="fact_checker",
        fixed={"base_revision": "0", "rating": "false", "preview": "1"},
    ),
    Form(
        "/desk/claims/{claim_researching_id}/verdict",
        ["summary", "explanation", "rating"],
        role="fact_checker",
        fixed={"base_revision": "0"},
    ),
    Form(
        "/desk/claims/{claim_in_review_id}/transition",
        ["comment", "reason", "duplicate_of"],
        role="editor",
        fixed={"action": "send_back"},
    ),
    Form("/desk/claims/{claim_logged_id}/transition", ["action"], role="editor"),
    Form(
        "/desk/speakers/{speaker_id}/edit",
        ["name", "title", "affiliation", "country", "description", "aliases", "wikidata_id"],
        role="fact_checker",
        fixed={"kind": "person"},
    ),
    Form("/desk/sources/{source_id}/edit", ["name", "homepage_url", "kind"], role="fact_checker"),
    Form(
        "/desk/ratings/new",
        ["name", "description", "ordinal"],
        role="editor",
        fixed={"colour": "#123456"},
    ),
    Form("/desk/ratings/new", ["colour"], role="editor", fixed={"name": "Colourful"}),
    Form("/desk/articles/import", ["text", "source"], role="fact_checker"),
    Form("/desk/articles/import", ["url"], role="fact_checker"),
    Form(
        "/desk/candidates/{candidate_id}/accept",
        ["text", "speaker", "speaker_title"],
        role="fact_checker",
        fixed={"version": "1"},
    ),
    Form(
        "/desk/claims",
        ["q", "tag", "status", "from", "assignee"],
        role="fact_checker",
        method="GET",
    ),
    Form("/desk/speakers", ["q"], role="fact_checker", method="GET"),
    # the public site
    Form(
        "/claims", ["q", "rating", "speaker", "source", "tag", "from", "to", "page"], method="GET"
    ),
    Form("/search", ["q"], method="GET"),
]
EXTRA_PAGES = [
    "/admin/audit?action=claim.",
    "/admin/audit?action=user.",
    "/admin/audit?entity_type=evidence",
    "/admin/audit?entity_type=verdict",
    "/admin/audit?q=alert",
    "/admin/users?q=%3Cscript%3E",
]


class LiveMarkup(HTMLParser):
    """Collects what a browser would run, load or follow that the app did not write."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.text: list[str] = []
        self._json_ld: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        for name, value in values.items():
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=...>")
            if name == "style" or name == "srcdoc":
                self.problems.append(f"<{tag} {name}=...>")
            if name in URL_ATTRIBUTES:
                squeezed = "".join(ch for ch in value if ch > " ").lower()
                if squeezed.startswith(DANGEROUS_SCHEMES):
                    self.problems.append(f"<{tag} {name}={value!r}>")
                if any(ch in value for ch in "<>\n"):  # markup swallowed into a URL
                    self.problems.append(f"<{tag} {name}={value[:60]!r}>")
        if tag == "script":
            if values.get("type") == "application/ld+json" and "src" not in values:
                self._json_ld = []
            elif not values.get("src", "").startswith("/static/"):
                self.problems.append(f"<script {values}>")
        if tag in NEVER_TAGS:
            self.problems.append(f"<{tag}>")
        if tag == "meta" and values.get("http-equiv", "").lower() == "refresh":
            self.problems.append("<meta http-equiv=refresh>")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag == "script":
            self.handle_endtag(tag)

    def handle_data(self, data: str) -> None:
        if self._json_ld is not None:
            self._json_ld.append(data)
        else:
            self.text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._json_ld is not None:
            block = "".join(self._json_ld)
            self._json_ld = None
            try:
                json.loads(block)
            except ValueError:
                self.problems.append(f"JSON-LD that is not JSON: {block[:80]!r}")


def live_markup(html: str) -> tuple[list[str], str]:
    parser = LiveMarkup()
    parser.feed(html)
    parser.close()
    return parser.problems, " ".join(parser.text)


# --- the detector itself ------------------------------------------------------------


@pytest.mark.parametrize("payload", PAYLOADS.values(), ids=PAYLOADS.keys())
def test_the_detector_catches_each_payload_left_raw(payload):
    if payload.startswith("[x]"):
        payload = '<a href="javascript:alert(1)">x</a>'  # what unsanitised Markdown gives
    for page in (
        f'<p>{payload}</p><p class="after">text</p>',
        f'<textarea>{payload}</textarea><p class="after">text</p>',
    ):
        problems, _ = live_markup(page)
        assert problems, page
    assert not live_markup('<script src="/static/js/app.js"></script>')[0]
    assert not live_markup('<script type="application/ld+json">{"a": "</b>"}</script>')[0]
    assert live_markup('<script type="application/ld+json">{"a": "</script><b>"}</script>')[0]


@pytest.mark.parametrize("payload", PAYLOADS.values(), ids=PAYLOADS.keys())
def test_markdown_never_renders_a_payload_live(payload):
    html = str(render_markdown(f"Before {payload} after.\n\n{payload}"))
    assert live_markup(html)[0] == [], html


# --- every form, every page ---------------------------------------------------------


def fill(template: str, params: dict) -> str:
    return template.format(**params)


def submit(clients: dict, form: Form, payload: str, params: dict) -> list[str]:
    params = {**params, "settings_version": settings_version(get_settings())}
    data = {name: fill(value, params) for name, value in form.fixed.items()}
    data.update({name: payload for name in form.text})
    client = clients[form.role]
    url = fill(form.url, params)
    if form.method == "GET":
        resp = client.get(url, query_string=data)
    else:
        resp = client.post(url, data=data)
    db.session.rollback()
    db.session.expire_all()
    where = f"{form.method} {url} as {form.role or 'anonymous'}"
    assert resp.status_code < 500, where
    if resp.mimetype != "text/html":
        return []
    problems, _ = live_markup(resp.get_data(as_text=True))
    return [f"{where}: {p}" for p in problems]


def store_through_services(users: dict, make_claim, payload: str) -> World:
    """The payload in every text the services keep (claims and around, people, messages)."""
    texts = ("claim", "quote", "context", "speaker", "speaker_title", "source", "article_title")
    more = ("tag", "evidence", "summary", "explanation", "token")
    world = build_world(users, make_claim, **dict.fromkeys(texts + more, payload))
    named = accounts.create_user(
        None, email="named.payload@example.org", name=payload, role="fact_checker"
    )
    accounts.request_password_reset(named.email)  # the admins get a message naming them
    return world


@pytest.fixture
def clients(login_as) -> dict[str | None, FlaskClient]:
    return {role: login_as(role) for role in (*ROLES, "editor")}


@pytest.mark.parametrize("payload", PAYLOADS.values(), ids=PAYLOADS.keys())
def test_no_payload_comes_out_live_anywhere(app, users, make_claim, clients, payload):
    world = store_through_services(users, make_claim, payload)
    problems: list[str] = []
    for form in FORMS:
        problems += submit(clients, form, payload, world.params)

    pages = [route.url for route in routes(app, world) if "GET" in route.methods]
    pages += EXTRA_PAGES
    shown = False
    for role in ROLES:
        for url in pages:
            resp = clients[role].get(url)
            assert resp.status_code < 500, (url, role)
            if resp.mimetype != "text/html":
                # JSON, feeds, CSS: never rendered as HTML, and the browser may not sniff them.
                assert resp.headers.get("X-Content-Type-Options") == "nosniff", url
                assert "html" not in resp.mimetype, url
                continue
            found, text = live_markup(resp.get_data(as_text=True))
            problems += [f"GET {url} as {role or 'anonymous'}: {p}" for p in found]
            shown = shown or payload in text
    assert not problems, "\n".join(problems)
    # The payloads were really on the pages, as text.
    assert shown
    audit_page = clients["admin"].get("/admin/audit?action=claim.create").get_data(as_text=True)
    assert payload in live_markup(audit_page)[1]
    settings = get_settings()
    assert payload in (settings.site_name, settings.organization_name)
