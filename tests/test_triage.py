"""The triage screen (desk import review) and re-imports of a changed article."""

from __future__ import annotations

import json
import re

import sqlalchemy as sa

from factcheck.desk.triage import PAGE_SIZE
from factcheck.extensions import db
from factcheck.extraction.scoring import WORTH_CHECKING
from factcheck.models import Article, ArticleText, AuditEvent, ImportCandidate

ARTICLE = """date 2025-03-02 Harbour Gazette
Economy
09:15 02.03.2025

Port director defends fee increase

Port director Lena Marsh said on Monday that fees at the Saltmere port rose by 12% in 2024.

She noted that the port handled 2.4 million containers last year, more than any other port in the region.

"Is that not a success?" Marsh asked the reporters, and she said she feels proud of the team.

Marsh added that the new terminal is the best thing that has ever happened to the city.
"""

CHANGED = ARTICLE.replace(
    "Marsh added that",
    "Marsh said that the port paid 3 million euros in dividends to the city in 2024.\n\n"
    "Marsh added that",
)


def _import(client, text: str = ARTICLE):
    resp = client.post("/desk/articles/import", data={"text": text})
    assert resp.status_code == 302, resp.get_data(as_text=True)[:300]
    return resp.headers["Location"]


def _candidates() -> list[ImportCandidate]:
    return list(
        db.session.scalars(
            sa.select(ImportCandidate).order_by(
                ImportCandidate.score.desc(), ImportCandidate.position
            )
        )
    )


def test_triage_lists_candidates_best_first_beside_the_marked_text(login_as):
    client = login_as("fact_checker")
    page = client.get(_import(client)).get_data(as_text=True)
    candidates = _candidates()
    ids = [int(i) for i in re.findall(r'<li id="candidate-(\d+)"', page)]
    assert ids == [c.id for c in candidates]
    for c in candidates:
        # each card links to its sentence in the text and the sentence back to the card
        assert f'href="#sentence-{c.id}"' in page
        assert f'id="sentence-{c.id}"' in page and f'href="#candidate-{c.id}"' in page
    best = candidates[0]
    assert best.speaker_name == "Lena Marsh" and "12%" in best.text
    assert "found by: leading" in page and "Keyboard shortcuts" in page
    assert 'src="/static/js/triage.js"' in page and "<script>" not in page


def test_discard_all_below_the_threshold_keeps_the_checkable_ones(login_as):
    client = login_as("fact_checker")
    url = _import(client)
    article_id = int(url.rsplit("/", 1)[1])
    low = [c for c in _candidates() if c.score < WORTH_CHECKING]
    assert low, "the fictional article has low-scored candidates"
    resp = client.post(f"/desk/articles/{article_id}/discard-below", follow_redirects=True)
    assert f"Discarded {len(low)} candidate" in resp.get_data(as_text=True)
    db.session.expire_all()
    states = {c.id: c.state for c in _candidates()}
    assert all(states[c.id] == "discarded" for c in low)
    assert all(s == "pending" for i, s in states.items() if i not in {c.id for c in low})
    assert (
        db.session.scalar(
            sa.select(sa.func.count(AuditEvent.id)).where(
                AuditEvent.action == "candidate.discard_below"
            )
        )
        == 1
    )


def test_anonymous_cannot_discard_below(login_as, client):
    checker = login_as("fact_checker")
    article_id = int(_import(checker).rsplit("/", 1)[1])
    resp = client.post(f"/desk/articles/{article_id}/discard-below")
    assert resp.status_code in (302, 401, 403)
    db.session.expire_all()
    assert {c.state for c in _candidates()} == {"pending"}


def test_accepted_card_shows_the_saved_claim_and_its_message(login_as):
    client = login_as("fact_checker")
    _import(client)
    best = _candidates()[0]
    resp = client.post(
        f"/desk/candidates/{best.id}/accept",
        data={
            "version": best.version,
            "text": "Fees at the Saltmere port rose by 12% in 2024.",
            "speaker": best.speaker_name,
        },
    )
    assert resp.status_code == 302
    location = resp.headers["Location"]
    assert f"focus={best.id}" in location and location.endswith(f"#candidate-{best.id}")
    page = client.get(location).get_data(as_text=True)
    card = page[page.index(f'id="candidate-{best.id}"') :]
    card = card[: card.index("</li>")]
    db.session.expire_all()
    claim_id = db.session.get(ImportCandidate, best.id).claim_id
    assert f"Claim #{claim_id} logged." in card  # the message sits on the card
    assert f'href="/desk/claims/{claim_id}"' in card
    assert "Fees at the Saltmere port rose by 12% in 2024." in card


def test_long_candidate_lists_are_paged(login_as):
    client = login_as("fact_checker")
    paragraphs = [
        f"Port director Lena Marsh said that berth {n} handled {n * 1000 + 7} ships in 2024."
        for n in range(PAGE_SIZE + 5)
    ]
    url = _import(client, "Berth statistics\n\n" + "\n\n".join(paragraphs))
    first = client.get(url).get_data(as_text=True)
    second = client.get(url + "?page=2").get_data(as_text=True)
    assert first.count('<li id="candidate-') == PAGE_SIZE
    assert second.count('<li id="candidate-') == 5


def test_reimport_of_a_changed_body_keeps_the_old_text_and_offers_new_candidates_only(
    login_as,
):
    client = login_as("fact_checker")
    _import(client)
    first_ids = {c.id for c in _candidates()}
    resp = client.post("/desk/articles/import", data={"text": CHANGED}, follow_redirects=True)
    page = resp.get_data(as_text=True)
    assert "The text changed since it was imported (now version 2)" in page
    assert "1 paragraph added, 0 removed; 1 new candidate" in page
    article = db.session.scalars(sa.select(Article)).one()
    assert article.text_version == 2 and "dividends" in article.body
    older = db.session.scalars(sa.select(ArticleText)).one()
    assert older.number == 1 and "dividends" not in older.body
    new = [c for c in _candidates() if c.id not in first_ids]
    assert [c.text_version for c in new] == [2] and "dividends" in new[0].text
    shown = [int(i) for i in re.findall(r'<li id="candidate-(\d+)"', page)]
    assert shown == [new[0].id]
    every = client.get(f"/desk/articles/{article.id}?all=1").get_data(as_text=True)
    assert len(re.findall(r'<li id="candidate-(\d+)"', every)) == len(first_ids) + 1


def test_reimport_of_the_same_body_changes_nothing(login_as):
    client = login_as("fact_checker")
    _import(client)
    before = len(_candidates())
    resp = client.post("/desk/articles/import", data={"text": ARTICLE}, follow_redirects=True)
    assert "imported before" in resp.get_data(as_text=True)
    assert len(_candidates()) == before
    assert db.session.scalar(sa.select(sa.func.count(ArticleText.id))) == 0


def test_import_json_carries_frame_speaker_kind_and_repeats(runner, tmp_path):
    path = tmp_path / "article.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    result = runner.invoke(args=["import-article", str(path), "--json"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    assert {"title", "source", "published_at", "url"} <= set(payload["article"])
    first = payload["candidates"][0]
    assert {"text", "speaker", "score", "reasons"} <= set(first)
    assert first["frame"] == "leading" and first["speaker_kind"] == "person"
    assert first["repeats"] == 1 and first["source_sentence"].startswith("Port director")
    changed = tmp_path / "changed.txt"
    changed.write_text(CHANGED, encoding="utf-8")
    again = json.loads(runner.invoke(args=["import-article", str(changed), "--json"]).output)
    assert (
        again["article"]["text_version"] == 2 and "1 new candidate" in again["article"]["changed"]
    )
    assert [c["text_version"] for c in again["candidates"]] == [2]


def test_the_triage_page_runs_a_bounded_number_of_statements(app, login_as):
    client = login_as("fact_checker")

    def article(count: int, name: str) -> str:
        paragraphs = [
            f"Port director Lena Marsh said that berth {n} handled {n * 1000 + 7} ships in 2024."
            for n in range(count)
        ]
        return _import(client, f"{name}\n\n" + "\n\n".join(paragraphs))

    def statements(url: str) -> int:
        seen: list[str] = []

        def count(*args) -> None:
            seen.append(args[2])

        sa.event.listen(db.engine, "before_cursor_execute", count)
        try:
            assert client.get(url).status_code == 200
        finally:
            sa.event.remove(db.engine, "before_cursor_execute", count)
        return len(seen)

    few = statements(article(12, "Berth statistics, spring"))
    many = statements(article(PAGE_SIZE + 20, "Berth statistics, autumn"))
    assert few == many
    # about 15 for the page and 10 claim-matching lookups of about 6 statements
    assert many <= 80
