"""The JSON API's reads: published data for everyone, the desk's work for staff tokens."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from factcheck.extensions import db
from factcheck.models import ApiToken
from factcheck.services import accounts, reviews, verdicts
from factcheck.workflow import Action

from .public_support import change_published


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


# --- the list ------------------------------------------------------------------


def test_anonymous_list_has_only_published_claims_in_the_envelope(client, make_claim):
    published = make_claim("published")
    for status in ("logged", "researching", "in_review", "dismissed"):
        make_claim(status, text=f"A claim that is {status} and not yet public at all.")
    resp = client.get("/api/v1/claims")
    assert resp.status_code == 200
    body = resp.get_json()
    assert body["total"] == 1 and body["page"] == 1 and body["next"] is None
    [item] = body["items"]
    assert item["id"] == published.id
    assert item["status"] == "published"
    # Anonymous readers get the published revision: it moves only with what they read.
    assert item["version"] == published.published_verdict.revision
    assert item["rating"]["slug"] == "false"
    assert item["verdict"]["summary"] == "The city spent 12 million, not 40."
    assert item["speaker"]["slug"] == "alma-testperson"
    assert item["url"].endswith(f"/claims/{published.id}-{published.slug}")
    assert "assignee" not in item  # desk fields are for staff


@pytest.mark.parametrize("role", ["fact_checker", "editor", "admin"])
def test_every_staff_role_reads_unpublished_claims_and_filters_by_status(
    client, make_claim, api_token, role
):
    make_claim("published")
    logged = make_claim("logged", text="Exports grew by 50 percent over the last year.")
    make_claim("researching", text="The new bridge cost twice the original estimate.")
    headers = bearer(api_token(role))
    all_claims = client.get("/api/v1/claims", headers=headers).get_json()
    assert all_claims["total"] == 3
    assert [c["id"] for c in all_claims["items"]] == sorted(
        (c["id"] for c in all_claims["items"]), reverse=True
    )
    only_logged = client.get("/api/v1/claims?status=logged", headers=headers).get_json()
    assert [c["id"] for c in only_logged["items"]] == [logged.id]
    assert only_logged["items"][0]["status"] == "logged"
    assert "assignee" in only_logged["items"][0]


def test_anonymous_status_filter_never_reveals_desk_work(client, make_claim):
    make_claim("logged", text="Exports grew by 50 percent over the last year.")
    published = make_claim("published")
    assert client.get("/api/v1/claims?status=logged").get_json()["total"] == 0
    found = client.get("/api/v1/claims?status=published").get_json()
    assert [c["id"] for c in found["items"]] == [published.id]


def test_list_pages_with_a_next_link(client, make_claim):
    for n in range(3):
        make_claim("published", text=f"The city spent {n + 40} million on roads in 2024.")
    first = client.get("/api/v1/claims?per_page=2").get_json()
    assert first["total"] == 3 and len(first["items"]) == 2 and first["per_page"] == 2
    assert first["next"].startswith("http://localhost/api/v1/claims?")
    assert "page=2" in first["next"] and "per_page=2" in first["next"]
    second = client.get(first["next"]).get_json()
    assert len(second["items"]) == 1 and second["next"] is None
    assert {c["id"] for c in first["items"]}.isdisjoint(c["id"] for c in second["items"])


@pytest.mark.parametrize(
    "query, field",
    [
        ("per_page=0", "per_page"),
        ("per_page=101", "per_page"),
        ("page=0", "page"),
        ("page=abc", "page"),
        ("from=2025-13-01", "from"),
        ("from=2025-02-01&to=2025-01-01", "from"),
        ("status=pondering", "status"),
        ("speakr=x", "speakr"),
        ("q=%00", "q"),
    ],
)
def test_bad_list_parameters_are_a_400_naming_the_field(client, query, field):
    resp = client.get(f"/api/v1/claims?{query}")
    assert resp.status_code == 400
    error = resp.get_json()["error"]
    assert error["status"] == 400
    assert field in error["fields"]
    assert field in error["message"] or "Invalid value" in error["message"]


def test_repeated_parameter_is_refused(client):
    resp = client.get("/api/v1/claims?page=1&page=2")
    assert resp.status_code == 400
    assert "page" in resp.get_json()["error"]["fields"]


def test_list_filters(client, make_claim, ratings, users):
    roads = make_claim(
        "published",
        tags=["Budget"],
        source="Daily Fictional",
        speaker="Mara Exampleton",
    )
    other = make_claim(
        "published",
        text="Unemployment fell to 3 percent in the region last year.",
        rating="true",
        summary="Right: the statistics office reports 3 percent.",
    )
    change_published(users, other, stated_on=date(2024, 6, 1))

    def ids(query: str) -> list[int]:
        resp = client.get(f"/api/v1/claims?{query}")
        assert resp.status_code == 200, resp.get_json()
        return [c["id"] for c in resp.get_json()["items"]]

    assert ids("rating=false") == [roads.id]
    assert ids("rating=true") == [other.id]
    assert ids("speaker=mara-exampleton") == [roads.id]
    assert ids("source=daily-fictional") == [roads.id]
    assert ids("tag=budget") == [roads.id]
    assert ids("from=2025-01-01") == [roads.id]
    assert ids("to=2024-12-31") == [other.id]
    assert ids("q=unemployment") == [other.id]
    assert ids("q=ROADS city") == [roads.id]
    assert ids("q=exampleton") == [roads.id]  # the speaker's name counts
    assert ids("q=100%25") == []  # a literal %, not a wildcard
    assert ids("rating=no-such-rating") == []


def test_list_runs_a_fixed_number_of_statements(app, client, make_claim):
    for n in range(6):
        make_claim("published", text=f"The city spent {n + 40} million on roads.", tags=[f"t{n}"])
    statements: list[str] = []

    def count(*args: object) -> None:
        statements.append(str(args[2]))

    sa.event.listen(db.engine, "before_cursor_execute", count)
    try:
        small = client.get("/api/v1/claims?per_page=2")
        n_small = len(statements)
        statements.clear()
        large = client.get("/api/v1/claims?per_page=6")
        n_large = len(statements)
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", count)
    assert small.status_code == large.status_code == 200
    assert len(large.get_json()["items"]) == 6
    assert n_small == n_large <= 10


# --- one claim ------------------------------------------------------------------


def test_claim_detail_has_evidence_verdict_and_etag(client, make_claim):
    claim = make_claim("published")
    resp = client.get(f"/api/v1/claims/{claim.id}")
    assert resp.status_code == 200
    # Anonymous: a digest of the public content, and the published revision as version.
    assert resp.headers["ETag"].startswith('W/"p')
    body = resp.get_json()
    assert body["id"] == claim.id and body["version"] == claim.published_verdict.revision
    assert body["evidence"][0]["url"] == "https://budget.example.org/2024"
    assert body["evidence"][0]["stance"] == "refutes"
    assert (
        body["verdict"]["explanation_html"]
        == "<p>The <strong>budget</strong> shows 12 million.</p>"
    )
    assert body["corrections"] == []
    assert "draft" not in body


@pytest.mark.parametrize("status", ["logged", "researching", "in_review", "dismissed"])
def test_unpublished_claim_is_404_to_the_public_and_readable_by_staff(
    client, make_claim, api_token, status
):
    claim = make_claim(status)
    resp = client.get(f"/api/v1/claims/{claim.id}")
    assert resp.status_code == 404
    assert resp.get_json()["error"]["message"] == f"There is no claim #{claim.id}."
    staff = client.get(f"/api/v1/claims/{claim.id}", headers=bearer(api_token("fact_checker")))
    assert staff.status_code == 200
    assert staff.get_json()["status"] == status


def test_a_correction_in_progress_never_shows_its_draft_to_the_public(
    client, make_claim, users, api_token
):
    claim = make_claim("published")
    editor = users["editor"]
    reviews.transition(editor, claim, Action.CORRECT, comment="The budget figure was revised.")
    latest = verdicts.latest_revision(claim.id)
    verdicts.save_draft(
        editor,
        claim,
        latest.revision,
        verdicts.DraftInput(rating="half-true", summary="SECRET DRAFT WORDING", explanation="x"),
    )
    public = client.get(f"/api/v1/claims/{claim.id}")
    assert public.status_code == 200
    body = public.get_json()
    assert body["status"] == "published"
    assert body["verdict"]["summary"] == "The city spent 12 million, not 40."
    assert "SECRET" not in public.get_data(as_text=True)
    assert "SECRET" not in client.get("/api/v1/claims").get_data(as_text=True)
    staff = client.get(f"/api/v1/claims/{claim.id}", headers=bearer(api_token("editor"))).get_json()
    assert staff["status"] == "in_review"
    assert staff["draft"]["summary"] == "SECRET DRAFT WORDING"
    assert staff["draft"]["author"]["id"] == editor.id
    assert staff["verdict"]["summary"] == "The city spent 12 million, not 40."


def test_published_correction_lists_the_earlier_version(client, make_claim, users):
    claim = make_claim("published")
    editor, admin = users["editor"], users["admin"]
    reviews.transition(editor, claim, Action.CORRECT, comment="New budget figures.")
    latest = verdicts.latest_revision(claim.id)
    verdicts.save_draft(
        editor,
        claim,
        latest.revision,
        verdicts.DraftInput(rating="mostly-false", summary="It was 15 million.", explanation="y"),
    )
    reviews.transition(admin, claim, Action.APPROVE)
    body = client.get(f"/api/v1/claims/{claim.id}").get_json()
    assert body["verdict"]["summary"] == "It was 15 million."
    assert body["verdict"]["correction_note"] == "New budget figures."
    assert [v["summary"] for v in body["corrections"]] == ["The city spent 12 million, not 40."]


def test_missing_and_huge_claim_ids_are_404(client):
    assert client.get("/api/v1/claims/999").status_code == 404
    assert client.get("/api/v1/claims/99999999999999999999").status_code == 404
    assert client.get("/api/v1/claims/999/similar").status_code == 404


# --- similar claims ---------------------------------------------------------------


def test_similar_claims_put_published_fact_checks_first(client, make_claim, api_token):
    original = make_claim("published")
    unpublished = make_claim("logged", text="The city spent 40 million on roads in 2024!")
    published_twin = make_claim("published", text="The city spent 41 million on roads in 2024.")
    make_claim("published", text="Unemployment fell to 3 percent in the region last year.")

    public = client.get(f"/api/v1/claims/{original.id}/similar").get_json()
    assert [i["claim"]["id"] for i in public["items"]] == [published_twin.id]
    assert 0.5 <= public["items"][0]["score"] <= 1

    staff = client.get(
        f"/api/v1/claims/{original.id}/similar", headers=bearer(api_token("fact_checker"))
    ).get_json()
    ids = [i["claim"]["id"] for i in staff["items"]]
    assert ids == [published_twin.id, unpublished.id]
    assert staff["items"][1]["score"] > staff["items"][0]["score"]  # wording closer, yet second


# --- speakers, sources, ratings, search -------------------------------------------


def test_speakers_list_only_those_with_published_claims_to_the_public(
    client, make_claim, api_token
):
    make_claim("published", speaker="Mara Exampleton")
    make_claim("logged", speaker="Quiet Personne", text="A statement being researched quietly.")
    public = client.get("/api/v1/speakers").get_json()
    assert [s["slug"] for s in public["items"]] == ["mara-exampleton"]
    assert public["items"][0]["claim_count"] == 1
    staff = client.get("/api/v1/speakers", headers=bearer(api_token("editor"))).get_json()
    assert [s["slug"] for s in staff["items"]] == ["mara-exampleton", "quiet-personne"]
    assert client.get("/api/v1/speakers?q=quiet").get_json()["total"] == 0
    assert client.get("/api/v1/speakers/quiet-personne").status_code == 404
    staff_detail = client.get(
        "/api/v1/speakers/quiet-personne", headers=bearer(api_token("editor"))
    )
    assert staff_detail.status_code == 200


def test_speaker_detail_has_a_ratings_breakdown(client, make_claim):
    make_claim("published", speaker="Mara Exampleton")
    make_claim("published", speaker="Mara Exampleton", text="The region has 200 new schools now.")
    make_claim(
        "published",
        speaker="Mara Exampleton",
        text="Unemployment fell to 3 percent in the region last year.",
        rating="true",
        summary="Right.",
    )
    resp = client.get("/api/v1/speakers/mara-exampleton")
    assert resp.status_code == 200
    body = resp.get_json()
    assert body["claim_count"] == 3
    assert {r["slug"]: r["count"] for r in body["ratings"]} == {"true": 1, "false": 2}
    assert body["claims_url"].endswith("/api/v1/claims?speaker=mara-exampleton")
    assert client.get("/api/v1/speakers?q=EXAMPLE").get_json()["total"] == 1


def test_merged_speaker_slug_redirects(client, make_claim, users):
    from factcheck.services import catalog

    survivor = make_claim("published", speaker="Mara Exampleton").speaker
    duplicate = make_claim(
        "published", speaker="M. Exampleton", text="The region has 200 new schools now."
    ).speaker
    catalog.merge_speakers(users["editor"], survivor, duplicate)
    resp = client.get("/api/v1/speakers/m-exampleton")
    assert resp.status_code == 308
    assert resp.headers["Location"].endswith("/api/v1/speakers/mara-exampleton")


def test_sources_list_and_detail(client, make_claim):
    make_claim("published", source="Daily Fictional")
    make_claim("logged", source="Hidden Gazette", text="Desk work that nobody outside sees yet.")
    body = client.get("/api/v1/sources").get_json()
    assert [s["name"] for s in body["items"]] == ["Daily Fictional"]
    detail = client.get("/api/v1/sources/daily-fictional").get_json()
    assert detail["claim_count"] == 1 and detail["ratings"][0]["slug"] == "false"
    assert client.get("/api/v1/sources/hidden-gazette").status_code == 404
    assert client.get("/api/v1/sources/nope").status_code == 404


def test_ratings_lists_the_scale(client, ratings):
    body = client.get("/api/v1/ratings").get_json()
    assert [r["slug"] for r in body["items"]][:2] == ["true", "mostly-true"]
    unproven = body["items"][-1]
    assert unproven == {
        "id": unproven["id"],
        "slug": "unproven",
        "name": "Unproven",
        "ordinal": None,
        "description": "The available evidence neither proves nor disproves it.",
        "colour": "#52606d",
        "position": 6,
    }
    assert body["total"] == 7 and body["next"] is None


def test_search_finds_published_claims_only(client, make_claim, api_token):
    published = make_claim("published")
    make_claim("logged", text="The city spent 90 million on roads in 2023, a secret.")
    body = client.get("/api/v1/search?q=roads").get_json()
    assert [c["id"] for c in body["items"]] == [published.id]
    assert body["query"] == "roads" and body["total_is_estimate"] is False
    staff = client.get("/api/v1/search?q=secret", headers=bearer(api_token("editor"))).get_json()
    assert staff["total"] == 0  # drafts and unpublished claims are never indexed
    empty = client.get("/api/v1/search?q=%21%21")
    assert empty.status_code == 400 and "q" in empty.get_json()["error"]["fields"]
    assert client.get("/api/v1/search").status_code == 400


# --- credentials on reads ----------------------------------------------------------


def test_a_bad_token_on_a_read_is_a_401_with_a_challenge(client, make_claim):
    make_claim("published")
    for header in ("Bearer not-a-token", "Basic dXNlcjpwdw==", "Bearer", "Bearer a b"):
        resp = client.get("/api/v1/claims", headers={"Authorization": header})
        assert resp.status_code == 401, header
        assert resp.headers["WWW-Authenticate"].startswith('Bearer realm="factcheck"')
        assert resp.get_json()["error"]["status"] == 401


def test_revoked_and_deactivated_tokens_stop_working(client, make_claim, users, api_token):
    claim = make_claim("logged")
    token = api_token("fact_checker")
    assert client.get(f"/api/v1/claims/{claim.id}", headers=bearer(token)).status_code == 200
    row = db.session.scalars(sa.select(ApiToken)).one()
    assert row.last_used_at is not None
    accounts.revoke_api_token(users["fact_checker"], row)
    resp = client.get(f"/api/v1/claims/{claim.id}", headers=bearer(token))
    assert resp.status_code == 401
    assert 'error="invalid_token"' in resp.headers["WWW-Authenticate"]

    editor_token = api_token("editor")
    editor = users["editor"]
    accounts.set_active(users["admin"], editor, False, editor.version)
    assert client.get("/api/v1/claims", headers=bearer(editor_token)).status_code == 401
