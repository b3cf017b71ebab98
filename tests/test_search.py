"""Public search: published claims only, ranked and highlighted, in any language, never an error."""

from __future__ import annotations

from urllib.parse import quote

from factcheck.extensions import db
from factcheck.search import backend_for
from factcheck.services import claims as claim_service

from .public_support import (
    approve,
    claim_in,
    claim_url,
    open_correction,
)


def results(client, query: str) -> str:
    resp = client.get("/search?q=" + quote(query))
    assert resp.status_code == 200, query
    html = resp.get_data(as_text=True)
    return html[html.index("<h1>Search</h1>") :]


def test_a_claim_is_found_after_publication_and_not_before(client, make_claim, users):
    claim = make_claim("in_review", text="The lighthouse keeper counted 900 ships.")
    assert claim_url(claim) not in results(client, "lighthouse")
    assert "No published fact-checks match “lighthouse”." in results(client, "lighthouse")
    approve(users, claim)
    assert claim_url(claim) in results(client, "lighthouse")


def test_search_follows_a_change_of_wording(client, make_claim, users):
    claim = make_claim("published", text="The lighthouse keeper counted 900 ships.")
    # A published claim's wording changes through a correction; until it is approved
    # search finds the approved wording only.
    open_correction(users, claim, "The count was the harbour master's.")
    fresh = claim_service.get_claim(claim.id)
    claim_service.update_claim(
        users["editor"],
        fresh,
        fresh.version,
        claim_service.ClaimInput(
            text="The harbour master counted 900 ships.",
            speaker_id=fresh.speaker_id,
            stated_on=fresh.stated_on,
        ),
        {},
    )
    assert claim_url(claim) in results(client, "lighthouse")
    assert claim_url(claim) not in results(client, "harbour master")
    approve(users, claim)
    db.session.expire_all()
    claim = claim_service.get_claim(claim.id)
    assert claim_url(claim) not in results(client, "lighthouse")
    assert claim_url(claim) in results(client, "harbour master")


def test_search_sees_the_published_verdict_not_the_correction_under_review(
    client, make_claim, users
):
    claim = make_claim("published", summary="The keeper counted 400 ships.")
    open_correction(users, claim, "Recount.", summary="The keeper counted 450 seagulls.")
    assert claim_url(claim) not in results(client, "seagulls")
    approve(users, claim)
    assert claim_url(claim) in results(client, "seagulls")


def test_ukrainian_and_russian_claims_are_found(client, make_claim):
    uk = make_claim(
        "published",
        text="Київ витратив мільйон гривень на ремонт доріг у 2024 році.",
        language="uk",
    )
    ru = make_claim(
        "published",
        text="Москва потратила миллиард рублей на новые дороги в 2024 году.",
        language="ru",
    )

    assert claim_url(uk) in results(client, "Київ")
    assert claim_url(uk) in results(client, "КИЇВ")
    assert claim_url(uk) in results(client, "гривень")
    assert claim_url(ru) in results(client, "миллиард рублей")
    assert claim_url(ru) in results(client, "дорог")  # a prefix finds "дороги"
    assert claim_url(uk) not in results(client, "Москва")
    assert "<mark>Київ</mark> витратив" in results(client, "київ")
    assert "<mark>миллиард</mark>" in results(client, "миллиард")
    assert claim_url(uk) in client.get("/claims?q=" + quote("гривень")).get_data(as_text=True)


def test_results_are_ranked_and_highlighted(client, make_claim):
    in_explanation = make_claim(
        "published", text="The orchard grew 300 trees.", summary="Only pelicans were counted."
    )
    in_text = make_claim("published", text="The pelican colony doubled in a year.")
    page = results(client, "pelican")
    assert page.index(claim_url(in_text)) < page.index(claim_url(in_explanation))
    assert "The <mark>pelican</mark> colony" in page
    assert "<mark>pelican</mark>s were counted" in page
    assert "2 fact-checks match, best match first." in page


def test_matching_speakers_are_listed_above_claims(client, make_claim):
    make_claim("published", text="The museum opened on Sundays.", speaker="Borys Vygadanyi")
    make_claim("published", text="Borys said the museum was free.", speaker="Alma Testperson")
    make_claim("in_review", text="The park closed at dusk.", speaker="Borys Hiddenname")
    page = results(client, "borys")
    speakers = page[
        page.index('<h2 id="speakers-heading">') : page.index('<h2 id="results-heading">')
    ]
    assert '<a href="/speakers/borys-vygadanyi"><mark>Borys</mark> Vygadanyi</a>' in speakers
    assert "(1 fact-check)" in speakers
    assert "Hiddenname" not in page
    assert "Alma" not in speakers


def test_an_empty_search_is_a_friendly_prompt(client):
    for url in ("/search", "/search?q=", "/search?q=+++"):
        resp = client.get(url)
        assert resp.status_code == 200
        assert "Type a speaker’s name or a few words from a claim" in resp.get_data(as_text=True)


ODD_QUERIES = [
    '"city"',
    "city's roads",
    "city’s",
    "'; DROP TABLE claims; --",
    'a"b" OR 1=1',
    "NEAR(city roads)",
    "city* -roads ^spent",
    "40%",
    "%_%",
    "\\",
    "city:roads",
    "(((",
    "city\x00roads",
    "🚧 roads",
    "roads " * 400,
]


def test_odd_queries_give_results_or_a_message(client, make_claim, subtests):
    make_claim("published", text="The city spent 40 million on roads in 2024.")
    for query in ODD_QUERIES:
        with subtests.test(query=query[:40]):
            resp = client.get("/search", query_string={"q": query})
            assert resp.status_code == 200
            assert "fact-check" in resp.get_data(as_text=True)
            listed = client.get("/claims", query_string={"q": query})
            assert listed.status_code == 200


def test_punctuation_only_query_explains_itself(client, make_claim):
    make_claim("published")
    assert "has no words to look for" in results(client, "?!… — ***")


def test_very_long_query_says_what_was_used(client, make_claim):
    make_claim("published", text="The city spent 40 million on roads in 2024.")
    page = results(client, "roads " + "x" * 600)
    assert "Only the first 200 characters of your search were used." in page


def test_search_results_are_paged(app, client, make_claim):
    app.config["CLAIMS_PER_PAGE"] = 2
    for n in range(5):
        make_claim("published", text=f"The canal lock number {n} was rebuilt.")
    first = results(client, "canal")
    assert first.count('class="claim-card"') == 2
    assert '<a rel="next" href="/search?q=canal&amp;page=2">' in first
    last = client.get("/search?q=canal&page=3").get_data(as_text=True)
    assert last.count('class="claim-card"') == 1
    beyond = client.get("/search?q=canal&page=9").get_data(as_text=True)
    assert "There is no page 9 of these results" in beyond


def test_reindex_command_rebuilds_the_index(runner, client, make_claim):
    published = make_claim("published", text="The lighthouse keeper counted 900 ships.")
    make_claim("in_review", text="The lighthouse was painted red.")
    conn = db.session.connection()
    backend_for(conn).clear(conn)
    db.session.commit()
    assert claim_url(published) not in results(client, "lighthouse")

    result = runner.invoke(args=["search", "reindex"])

    assert result.exit_code == 0, result.output
    assert "Indexed 1 published claim (" in result.output
    page = results(client, "lighthouse")
    assert claim_url(published) in page
    assert "painted red" not in page


def test_search_of_unpublished_words_finds_nothing(client, make_claim):
    claim_in(make_claim, "in_review", text="The aqueduct carried wine.", tags=["Aqueducts"])
    page = results(client, "aqueduct")
    assert "No published fact-checks match “aqueduct”." in page
