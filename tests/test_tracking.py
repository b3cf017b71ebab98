"""Claim tracking: matching through every door, appearances and their four-eyes rule, repeats on import."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta

import extruct
import pytest
import sqlalchemy as sa

from factcheck.extensions import db
from factcheck.models import Appearance, AuditEvent, Claim, ImportCandidate

from .public_support import claim_url

FICTIONAL = """date 2025-03-02 Harbour Gazette
Economy
09:15 02.03.2025

Port director defends fee increase

Port director Lena Marsh said on Monday that fees at the Saltmere port rose by 12% in 2024.
She noted that the port handled 2.4 million containers last year, more than any other port in the region.
"""


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def claimreview(html: str) -> dict:
    [review] = extruct.extract(
        html, base_url="http://localhost/", syntaxes=["json-ld"], uniform=True
    )["json-ld"]
    return review


def appearance_body(**overrides: object) -> dict:
    body = {
        "url": "https://radio.example.org/interview-7",
        "title": "Morning interview",
        "speaker": "Alma Testperson",
        "date": "2025-02-10",
        "text": "We spent forty million on the roads last year.",
    }
    body.update(overrides)
    return body


# --- similar claims: one service for the API, the claim form and the importer ----------


def test_api_similar_judges_same_and_related_and_hides_drafts(client, make_claim, api_token):
    original = make_claim("published", text="The city spent 40 million euros on roads in 2024.")
    same = make_claim("published", text="In 2024 the city spent €40m on roads.")
    other_figure = make_claim("published", text="The city spent 14 million euros on roads in 2024.")
    draft = make_claim("logged", text="The city spent 40 million euros on roads in 2024!")
    make_claim("published", text="Unemployment fell to 3 percent in the region last year.")

    public = client.get(f"/api/v1/claims/{original.id}/similar").get_json()
    assert [(i["claim"]["id"], i["match"]) for i in public["items"]] == [
        (same.id, "same"),
        (other_figure.id, "related"),  # another figure is never the same claim
    ]
    assert all(0 <= i["score"] <= 1 for i in public["items"])

    staff = client.get(
        f"/api/v1/claims/{original.id}/similar", headers=bearer(api_token("fact_checker"))
    ).get_json()
    assert [i["claim"]["id"] for i in staff["items"]] == [same.id, other_figure.id, draft.id]
    assert staff["items"][2]["match"] == "same"


def test_desk_claim_form_suggestions_carry_the_judgement(login_as, make_claim):
    published = make_claim("published", text="Fees at the Saltmere port rose by 12% in 2024.")
    client = login_as("fact_checker")
    rows = client.get(
        "/desk/claims/similar?text=Saltmere port fees rose 12 per cent in 2024"
    ).get_json()
    assert [(r["id"], r["match"], r["published"]) for r in rows] == [(published.id, "same", True)]
    rows = client.get("/desk/claims/similar?text=Saltmere port fees fell by 12% in 2024").get_json()
    assert [(r["id"], r["match"]) for r in rows] == [(published.id, "related")]
    assert client.get("/desk/claims/similar?text=short").get_json() == []


# --- appearances: API, four eyes, public page, ClaimReview, speaker page -----------------


def test_an_appearance_is_public_only_after_another_editor_confirms_it(
    client, make_claim, api_token, users
):
    claim = make_claim("published")
    checker = bearer(api_token("fact_checker"))

    resp = client.post(
        f"/api/v1/claims/{claim.id}/appearances", json=appearance_body(), headers=checker
    )
    assert resp.status_code == 201
    [listed] = resp.get_json()["appearances"]
    assert {k: listed[k] for k in ("url", "title", "speaker", "date", "text", "status")} == {
        **appearance_body(),
        "status": "pending",
    }

    # Not public yet: neither the page, nor the anonymous API, nor the ClaimReview.
    page = client.get(claim_url(claim)).get_data(as_text=True)
    assert "Said again" not in page
    assert client.get(f"/api/v1/claims/{claim.id}").get_json()["appearances"] == []
    assert isinstance(claimreview(page)["itemReviewed"].get("appearance", {}), dict)

    # The fact-checker may not confirm; an editor adding one may not confirm their own.
    confirm = f"/api/v1/claims/{claim.id}/appearances/{listed['id']}/confirm"
    assert client.post(confirm, headers=checker).status_code == 403
    editor = bearer(api_token("editor"))
    second = client.post(
        f"/api/v1/claims/{claim.id}/appearances",
        json=appearance_body(
            url="https://tv.example.org/debate", title="TV debate", date="2025-01-20"
        ),
        headers=editor,
    ).get_json()["appearances"]
    own = next(a for a in second if a["title"] == "TV debate")
    resp = client.post(f"/api/v1/claims/{claim.id}/appearances/{own['id']}/confirm", headers=editor)
    assert resp.status_code == 403
    assert "another editor" in resp.get_json()["error"]["message"]

    assert client.post(confirm, headers=editor).status_code == 200
    resp = client.post(
        f"/api/v1/claims/{claim.id}/appearances/{own['id']}/confirm",
        headers=bearer(api_token("admin")),
    )
    assert resp.status_code == 200
    assert client.post(confirm, headers=editor).status_code == 409  # already confirmed

    public = client.get(f"/api/v1/claims/{claim.id}").get_json()["appearances"]
    assert [a["date"] for a in public] == ["2025-01-20", "2025-02-10"]  # earliest first

    page = client.get(claim_url(claim)).get_data(as_text=True)
    assert re.search(r"Said again: 2 times since\s*<time[^>]*>", page)
    assert "We spent forty million on the roads last year." in page
    item = claimreview(page)["itemReviewed"]
    urls = [work.get("url") for work in item["appearance"]]
    assert urls == ["https://tv.example.org/debate", "https://radio.example.org/interview-7"]
    assert item["firstAppearance"]["url"] == "https://tv.example.org/debate"
    assert item["firstAppearance"]["datePublished"] == "2025-01-20"
    assert item["appearance"][1]["author"] == {"@type": "Person", "name": "Alma Testperson"}

    # The DataFeed carries the same list.
    feed = client.get("/claimreview.json").get_json()
    [element] = feed["dataFeedElement"]
    assert element["item"][0]["itemReviewed"]["firstAppearance"]["headline"] == "TV debate"

    speaker_page = client.get("/speakers/alma-testperson").get_data(as_text=True)
    assert "Repeated claims we had already checked: 2 times." in speaker_page


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        (appearance_body(url="not a web address"), 400, "url"),
        (appearance_body(date=(date.today() + timedelta(days=3)).isoformat()), 400, "date"),
        ({k: v for k, v in appearance_body().items() if k != "title"}, 400, "title"),
        (appearance_body(speaker=" "), 400, "speaker"),
        (appearance_body(date="10 February"), 400, "date"),
        (appearance_body(extra="x"), 400, "extra"),
    ],
)
def test_bad_appearances_are_refused_and_change_nothing(
    client, make_claim, api_token, body, status, field
):
    claim = make_claim("published")
    resp = client.post(
        f"/api/v1/claims/{claim.id}/appearances", json=body, headers=bearer(api_token("editor"))
    )
    assert resp.status_code == status
    assert field in resp.get_json()["error"]["fields"]
    assert db.session.scalar(sa.select(sa.func.count(Appearance.id))) == 0


def test_the_same_address_twice_is_a_conflict_and_strangers_are_refused(
    client, make_claim, api_token
):
    claim = make_claim("published")
    token = bearer(api_token("fact_checker"))
    url = f"/api/v1/claims/{claim.id}/appearances"
    assert client.post(url, json=appearance_body(), headers=token).status_code == 201
    assert client.post(url, json=appearance_body(), headers=token).status_code == 409
    assert client.post(url, json=appearance_body(url="https://x.example.org/")).status_code == 401
    assert (
        client.post(
            "/api/v1/claims/999/appearances", json=appearance_body(), headers=token
        ).status_code
        == 404
    )
    assert client.post(f"{url}/999/confirm", headers=bearer(api_token("editor"))).status_code == 404
    assert db.session.scalar(sa.select(sa.func.count(Appearance.id))) == 1


def test_desk_records_confirms_and_removes_appearances(login_as, make_claim, client):
    claim = make_claim("published")
    checker = login_as("fact_checker")
    form = checker.get(f"/desk/claims/{claim.id}/appearances/new")
    assert form.status_code == 200 and 'value="Alma Testperson"' in form.get_data(as_text=True)
    bad = checker.post(
        f"/desk/claims/{claim.id}/appearances/new",
        data={"title": "", "speaker": "Alma Testperson", "said_on": "2025-02-10"},
    )
    assert bad.status_code == 200 and "Give the article" in bad.get_data(as_text=True)
    resp = checker.post(
        f"/desk/claims/{claim.id}/appearances/new",
        data={
            "title": "Town hall meeting",
            "url": "",
            "speaker": "Alma Testperson",
            "said_on": "2025-02-12",
            "text": "Forty million went on roads.",
        },
    )
    assert resp.status_code == 302
    appearance = db.session.scalars(sa.select(Appearance)).one()
    page = checker.get(f"/desk/claims/{claim.id}").get_data(as_text=True)
    assert "Town hall meeting" in page and "awaiting confirmation" in page
    assert f"/desk/appearances/{appearance.id}/confirm" not in page  # not for a fact-checker

    assert checker.post(f"/desk/appearances/{appearance.id}/confirm").status_code == 403
    editor = login_as("editor")
    assert f"/desk/appearances/{appearance.id}/confirm" in editor.get(
        f"/desk/claims/{claim.id}"
    ).get_data(as_text=True)
    assert editor.post(f"/desk/appearances/{appearance.id}/confirm").status_code == 302
    db.session.expire_all()
    assert db.session.get(Appearance, appearance.id).status == "confirmed"
    assert "Said again: 1 time since" in client.get(claim_url(claim)).get_data(as_text=True)

    # Once public, only an editor removes it.
    assert checker.post(f"/desk/appearances/{appearance.id}/remove").status_code == 403
    assert editor.post(f"/desk/appearances/{appearance.id}/remove").status_code == 302
    assert db.session.scalar(sa.select(sa.func.count(Appearance.id))) == 0
    actions = set(db.session.scalars(sa.select(AuditEvent.action)))
    assert {"appearance.add", "appearance.confirm", "appearance.remove"} <= actions
    assert "Said again" not in client.get(claim_url(claim)).get_data(as_text=True)


# --- import flags repeats ---------------------------------------------------------------


def test_a_repeat_is_flagged_on_triage_and_accepted_in_one_action(login_as, make_claim, client):
    earlier = make_claim(
        "published", text="Fees at the Saltmere port rose by 12% in 2024.", speaker="Lena Marsh"
    )
    checker = login_as("fact_checker")
    checker.post("/desk/articles/import", data={"text": FICTIONAL})
    candidate = db.session.scalars(
        sa.select(ImportCandidate).where(ImportCandidate.text.like("%12%%"))
    ).one()
    page = checker.get(f"/desk/articles/{candidate.article_id}").get_data(as_text=True)
    line = re.sub(r"\s+", " ", page[page.index(f'id="matches-{candidate.id}"') :][:800])
    assert re.search(
        rf"Already checked: <strong>False</strong>, <a [^>]*>#{earlier.id}</a> \(same", line
    )
    assert "Said again: record it on" in line

    # The one-click form carries everything accept needs.
    fields = dict(re.findall(r'name="(\w+)" value="([^"]*)"', line))
    resp = checker.post(f"/desk/candidates/{candidate.id}/accept", data=fields)
    assert resp.status_code == 302
    assert db.session.scalar(sa.select(sa.func.count(Claim.id))) == 1
    appearance = db.session.scalars(sa.select(Appearance)).one()
    assert appearance.claim_id == earlier.id and appearance.said_on == date(2025, 3, 2)
    assert appearance.title == "Port director defends fee increase"

    login_as("editor").post(f"/desk/appearances/{appearance.id}/confirm")
    page = client.get(claim_url(earlier)).get_data(as_text=True)
    assert "Said again: 1 time since" in page
    item = claimreview(page)["itemReviewed"]
    assert item["appearance"]["headline"] == "Port director defends fee increase"
    assert item["firstAppearance"] == item["appearance"]


def test_import_article_json_lists_matches_published_first(runner, make_claim, tmp_path):
    published = make_claim(
        "published", text="Fees at the Saltmere port rose by 12% in 2024.", speaker="Lena Marsh"
    )
    logged = make_claim("logged", text="Fees at the Saltmere port rose by 12% in 2024!")
    path = tmp_path / "port.txt"
    path.write_text(FICTIONAL, encoding="utf-8")
    result = runner.invoke(args=["import-article", str(path), "--json"])
    assert result.exit_code == 0, result.output
    candidates = json.loads(result.output)["candidates"]
    fees = next(c for c in candidates if "12%" in c["text"])
    assert fees["matches"][:2] == [
        {
            "claim_id": published.id,
            "score": fees["matches"][0]["score"],
            "match": "same",
            "status": "published",
            "rating": "False",
        },
        {
            "claim_id": logged.id,
            "score": fees["matches"][1]["score"],
            "match": "same",
            "status": "logged",
            "rating": None,
        },
    ]
    containers = next(c for c in candidates if "containers" in c["text"])
    assert all(m["match"] == "related" for m in containers["matches"])

    text = runner.invoke(args=["import-article", str(path)]).output
    assert f"already checked: False, #{published.id} (same)" in text
