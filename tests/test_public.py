"""The public pages: latest, list and filters, claim pages, speakers and sources, caching."""

from __future__ import annotations

import re
from datetime import date

import html5lib

from factcheck.extensions import db
from factcheck.models import Rating, Speaker
from factcheck.services import catalog
from factcheck.services import claims as claim_service

from .conftest import visible_text
from .public_support import (
    add_evidence,
    approve,
    change_published,
    claim_in,
    claim_url,
    make_outlet,
    open_correction,
)


def said_on(claim, day: date) -> None:
    claim.stated_on = day
    db.session.commit()


# --- home and the list --------------------------------------------------------


def test_home_lists_latest_published_fact_checks_only(client, make_claim):
    older = make_claim("published", text="The harbour handled nine million tonnes last year.")
    newer = make_claim("published", text="The tram network grew by forty kilometres.")
    make_claim("in_review", text="The library lends a million books every week.")
    make_claim("logged", text="The zoo counted twelve thousand visitors daily.")

    html = client.get("/").get_data(as_text=True)

    assert html.index("tram network") < html.index("harbour handled")
    assert claim_url(newer) in html and claim_url(older) in html
    assert "library lends" not in html and "zoo counted" not in html
    assert 'class="rating-badge rating-' in html


def test_home_with_nothing_published_says_so(client, make_claim):
    make_claim("in_review")
    resp = client.get("/")
    assert resp.status_code == 200
    assert "No fact-checks have been published yet." in resp.get_data(as_text=True)


def test_claims_list_shows_the_published_verdict_during_a_correction(client, make_claim, users):
    claim = make_claim("published", summary="The budget was 12 million.")
    open_correction(users, claim, "Recounting.", summary="Draft wording nobody approved yet.")

    html = client.get("/claims").get_data(as_text=True)

    assert "The budget was 12 million." in html
    assert "Draft wording nobody approved" not in html
    assert "1 fact-check." in html


def test_claims_filter_by_rating_speaker_source_tag_and_dates(client, make_claim):
    courier, article = make_outlet("The Fictional Courier")
    by_alma = claim_in(
        make_claim,
        text="The bridge repair cost three million.",
        speaker="Alma Testperson",
        rating="false",
        tags=["Transport"],
        source_id=courier.id,
        article_id=article.id,
    )
    by_boris = make_claim(
        "published",
        text="The school budget doubled since 2020.",
        speaker="Boris Inventedname",
        rating="unproven",
    )
    said_on(by_alma, date(2024, 3, 1))
    said_on(by_boris, date(2025, 6, 1))

    def listed(query: str) -> set[str]:
        html = client.get("/claims" + query).get_data(as_text=True)
        return {text for text in ("repair cost", "doubled since") if text in html}

    assert listed("") == {"repair cost", "doubled since"}
    assert listed("?rating=false") == {"repair cost"}
    assert listed("?rating=unproven") == {"doubled since"}
    assert listed("?speaker=boris-inventedname") == {"doubled since"}
    assert listed(f"?source={courier.slug}") == {"repair cost"}
    assert listed("?tag=transport") == {"repair cost"}
    assert listed("?from=2025-01-01") == {"doubled since"}
    assert listed("?to=2024-12-31") == {"repair cost"}
    assert listed("?from=2024-03-01&to=2024-03-01") == {"repair cost"}
    assert listed("?q=bridge") == {"repair cost"}
    assert listed("?q=school&speaker=alma-testperson") == set()
    assert listed("?q=school&rating=unproven&from=2025-01-01") == {"doubled since"}


def test_claims_filter_form_is_labelled_and_keeps_the_choices(client, make_claim):
    make_claim("published", speaker="Alma Testperson")
    html = client.get("/claims?speaker=alma-testperson&rating=false&from=2025-01-01").get_data(
        as_text=True
    )
    for name in ("q", "rating", "speaker", "source", "from", "to"):
        field_id = re.search(rf'id="([^"]+)" name="{name}"', html)
        assert field_id, name
        assert f'<label for="{field_id[1]}">' in html
    assert '<option value="alma-testperson" selected>Alma Testperson</option>' in html
    assert '<option value="false" selected>False</option>' in html
    assert 'value="2025-01-01"' in html


BAD_FILTERS = [
    ("?rating=nonsense", "There is no rating “nonsense” on our scale"),
    ("?speaker=nobody-at-all", "There is no speaker “nobody-at-all”"),
    ("?source=no-such-outlet", "There is no source “no-such-outlet”"),
    ("?tag=no-such-tag", "There is no tag “no-such-tag”"),
    ("?from=2025-13-45", "The “from” date “2025-13-45” is not a date"),
    ("?to=yesterday", "The “to” date “yesterday” is not a date"),
    ("?from=20250115", "The “from” date “20250115” is not a date"),
    ("?from=2025-06-01&to=2025-01-01", "is after the “to” date"),
    ("?page=abc", "“abc” is not a page number"),
    ("?page=0", "“0” is not a page number"),
    ("?page=99999999999999999999", "is not a page number"),
    ("?q=%21%21%21", "has no words to look for"),
    ("?speaker=%00", "There is no speaker"),
    ("?rating=%27%3B%20DROP%20TABLE%20claims", "There is no rating"),
    ("?tag=" + "x" * 300, "There is no tag"),
]


def test_bad_filter_values_get_a_message_not_an_error(client, make_claim, subtests):
    make_claim("published", text="The ferry carried a million passengers.")
    for query, message in BAD_FILTERS:
        with subtests.test(query=query):
            resp = client.get("/claims" + query)
            assert resp.status_code == 200
            html = resp.get_data(as_text=True)
            assert message in html
            # The unusable filter is left out, so the reader still sees fact-checks.
            assert "ferry carried" in html


def test_a_page_beyond_the_last_says_where_the_last_is(client, make_claim):
    make_claim("published")
    resp = client.get("/claims?page=7")
    assert resp.status_code == 200
    assert "There is no page 7; the last page is" in resp.get_data(as_text=True)


def test_pagination_links_carry_rel_prev_and_next(app, client, make_claim):
    app.config["CLAIMS_PER_PAGE"] = 2
    for n in range(5):
        make_claim("published", text=f"The council approved budget number {n} in spring.")

    first = client.get("/claims?rating=false").get_data(as_text=True)
    assert '<link rel="next" href="/claims?rating=false&amp;page=2">' in first
    assert 'rel="prev"' not in first
    second = client.get("/claims?rating=false&page=2").get_data(as_text=True)
    assert '<link rel="prev" href="/claims?rating=false">' in second
    assert '<link rel="next" href="/claims?rating=false&amp;page=3">' in second
    assert 'rel="next"' in second and "Page 2 of 3" in second
    third = client.get("/claims?rating=false&page=3").get_data(as_text=True)
    assert 'rel="next"' not in third and 'rel="prev"' in third
    assert "budget number 0" in third


# --- the claim page -----------------------------------------------------------


def test_claim_page_redirects_every_other_form_to_the_canonical_url(client, make_claim):
    claim = make_claim("published")
    canonical = claim_url(claim)
    for other in (
        f"/claims/{claim.id}",
        f"/claims/{claim.id}-old-wording",
        f"/claims/00{claim.id}",
    ):
        resp = client.get(other)
        assert resp.status_code == 301, other
        assert resp.headers["Location"] == canonical
    assert client.get(canonical).status_code == 200


def test_claim_page_follows_the_slug_when_the_wording_changes(client, make_claim, users):
    claim = make_claim("published")
    old = claim_url(claim)
    change_published(users, claim, text="The city spent 41 million on roads in 2024.")
    resp = client.get(old)
    assert resp.status_code == 301
    assert (
        resp.headers["Location"] == f"/claims/{claim.id}-the-city-spent-41-million-on-roads-in-2024"
    )


def test_unpublished_claims_are_not_found(client, make_claim):
    for status in ("logged", "researching", "in_review", "dismissed"):
        claim = make_claim(status, text=f"The {status} claim says the bridge is new.")
        for url in (f"/claims/{claim.id}", claim_url(claim)):
            resp = client.get(url)
            assert resp.status_code == 404, url
            assert "bridge is new" not in resp.get_data(as_text=True)


def test_unknown_claim_addresses_are_html_404s(client, make_claim, subtests):
    make_claim("published")
    for path in (
        "/claims/999",
        "/claims/abc",
        "/claims/0",
        "/claims/99999999999",
        "/claims/999-%00",
        "/claims/-1",
    ):
        with subtests.test(path=path):
            resp = client.get(path)
            assert resp.status_code == 404
            assert resp.mimetype == "text/html"
            assert "There is no published fact-check at this address." in resp.get_data(
                as_text=True
            )


def test_claim_page_shows_everything_public(client, make_claim, users):
    courier, article = make_outlet("The Fictional Courier", title="Council debates the road budget")
    claim = claim_in(
        make_claim,
        text="The city spent 40 million on roads in 2024.",
        speaker="Alma Testperson",
        speaker_title="Mayor of Exampleton",
        quote="We put forty million into the roads.",
        context="Speaking at the council's budget session",
        tags=["Roads", "Budget"],
        source_id=courier.id,
        article_id=article.id,
    )
    html = client.get(claim_url(claim)).get_data(as_text=True)
    text = visible_text(html)

    assert "The city spent 40 million on roads in 2024." in text
    assert '<a href="/speakers/alma-testperson">Alma Testperson</a>, Mayor of Exampleton' in html
    assert "15 January 2025" in text
    assert "We put forty million into the roads." in text
    assert "Speaking at the council&#39;s budget session" in html
    assert (
        '<a href="https://courier.example.org/roads" rel="nofollow noopener">Council debates'
        in html
    )
    assert f'<a href="/sources/{courier.slug}">The Fictional Courier</a>' in html
    assert re.search(r'<span class="rating-badge rating-\d+">False</span>', html)
    assert "The city spent 12 million, not 40." in text
    assert "<p>The <strong>budget</strong> shows 12 million.</p>" in html
    assert (
        '<a href="https://budget.example.org/2024" rel="nofollow noopener">City budget 2024</a>'
        in html
    )
    assert "Refutes the claim" in text
    assert '<a href="/claims?tag=roads" class="tag">Roads</a>' in html
    assert "Corrections and updates" not in text


def test_claim_page_sanitizes_the_explanation(client, make_claim, users):
    claim = make_claim("researching")
    add_evidence(users, claim, url="https://stats.example.org/a", title="Stats")
    from factcheck.services import reviews, verdicts
    from factcheck.workflow import Action

    verdicts.save_draft(
        users["fact_checker"],
        claim,
        0,
        verdicts.DraftInput(
            rating="false",
            summary="Wrong.",
            explanation=(
                "Fine **text**<script>alert(1)</script> [x](javascript:alert(2)) "
                "<img src=x onerror=alert(3)>"
            ),
        ),
    )
    reviews.transition(users["fact_checker"], claim, Action.SUBMIT)
    reviews.transition(users["editor"], claim, Action.APPROVE)

    html = client.get(claim_url(claim)).get_data(as_text=True)
    assert "<strong>text</strong>" in html
    assert "alert(1)" not in html and "javascript:" not in html and "onerror" not in html


def test_removed_evidence_is_not_shown(client, make_claim, users):
    claim = make_claim("researching")
    add_evidence(users, claim, url="https://kept.example.org/", title="Kept source")
    add_evidence(users, claim, url="https://gone.example.org/", title="Withdrawn source")
    from factcheck.models import Evidence

    gone = db.session.scalars(db.select(Evidence).filter_by(title="Withdrawn source")).one()
    claim_service.remove_evidence(users["fact_checker"], gone, gone.version)
    from factcheck.services import reviews, verdicts
    from factcheck.workflow import Action

    verdicts.save_draft(
        users["fact_checker"], claim, 0, verdicts.DraftInput("false", "Wrong.", "Data.")
    )
    reviews.transition(users["fact_checker"], claim, Action.SUBMIT)
    reviews.transition(users["editor"], claim, Action.APPROVE)

    html = client.get(claim_url(claim)).get_data(as_text=True)
    assert "Kept source" in html
    assert "Withdrawn source" not in html


def test_correction_in_progress_keeps_the_published_verdict_public(client, make_claim, users):
    claim = make_claim("published", summary="The city spent 12 million, not 40.")
    open_correction(
        users,
        claim,
        "The budget office revised its figures.",
        summary="The city spent 14 million, not 40.",
        explanation="Revised **figures**.",
        rating="mostly-false",
    )
    add_evidence(users, claim, url="https://revised.example.org/", title="Revised budget table")

    html = client.get(claim_url(claim)).get_data(as_text=True)
    assert "The city spent 12 million, not 40." in html
    assert "14 million" not in html
    assert "Revised budget table" not in html
    assert "The budget office revised its figures." not in html
    assert "Corrections and updates" not in html


def test_published_correction_shows_the_new_verdict_and_its_note(client, make_claim, users):
    claim = make_claim("published", summary="The city spent 12 million, not 40.")
    open_correction(
        users,
        claim,
        "The budget office revised its figures.",
        summary="The city spent 14 million, not 40.",
        rating="mostly-false",
    )
    add_evidence(users, claim, url="https://revised.example.org/", title="Revised budget table")
    approve(users, claim)
    db.session.refresh(claim)

    html = client.get(claim_url(claim)).get_data(as_text=True)
    text = visible_text(html)
    assert "The city spent 14 million, not 40." in text
    assert "12 million, not 40" not in text
    assert re.search(r'rating-\d+">Mostly false</span>', html)
    assert "Revised budget table" in text
    corrections = html[html.index("Corrections and updates") :]
    assert "The budget office revised its figures." in corrections
    assert "Updated" in text


def test_related_fact_checks_share_the_speaker_or_a_tag(client, make_claim):
    claim = claim_in(make_claim, text="The port doubled its cargo in 2023.", tags=["Ports"])
    same_speaker = make_claim("published", text="The airport added ten gates last year.")
    same_tag = claim_in(
        make_claim,
        text="The ferry terminal moved in 2022.",
        speaker="Boris Inventedname",
        tags=["Ports"],
    )
    unrelated = make_claim(
        "published", text="The museum opened on Sundays.", speaker="Clara Madeup"
    )
    make_claim("in_review", text="The canal was dredged twice.")

    html = client.get(claim_url(claim)).get_data(as_text=True)
    related = html[html.index("Related fact-checks") :]
    assert claim_url(same_speaker) in related and claim_url(same_tag) in related
    assert claim_url(unrelated) not in related
    assert "canal was dredged" not in related
    assert claim_url(claim) not in related


def test_related_fact_checks_look_only_through_the_newest_and_put_the_language_first(
    client, make_claim, monkeypatch
):
    from factcheck.reads import claims as claim_reads

    old = claim_in(make_claim, text="The old quay was rebuilt in 1990.", speaker="Dora Old",
                   tags=["Ports"])  # fmt: skip
    other_language = claim_in(make_claim, text="Порт збільшив вантажообіг у 2023 році.",
                              speaker="Ema Newer", tags=["Ports"], language="uk")  # fmt: skip
    newest = claim_in(make_claim, text="The marina added 80 berths.", speaker="Fil Newest",
                      tags=["Ports"])  # fmt: skip
    claim = claim_in(make_claim, text="The port doubled its cargo in 2023.", tags=["Ports"])
    # Three newest public claims: this one and the two before it; the oldest is beyond.
    monkeypatch.setattr(claim_reads, "RELATED_WINDOW", 3)
    cards = claim_reads.related_claims(claim)
    assert [c.id for c in cards] == [newest.id, other_language.id]  # English first
    assert old.id not in [c.id for c in cards]
    monkeypatch.setattr(claim_reads, "RELATED_WINDOW", 250)
    assert old.id in [c.id for c in claim_reads.related_claims(claim)]


# --- speakers and sources -----------------------------------------------------


def test_speaker_page_lists_published_claims_with_an_accessible_chart(client, make_claim):
    make_claim("published", text="The river is cleaner than in 1990.", rating="false")
    make_claim("published", text="The parks doubled in size.", rating="false")
    make_claim("published", text="Unemployment halved since 2019.", rating="unproven")
    make_claim("in_review", text="The bus fleet is all electric.")
    other = make_claim(
        "published", text="The stadium seats ninety thousand.", speaker="Boris Inventedname"
    )

    html = client.get("/speakers/alma-testperson").get_data(as_text=True)

    assert "<h1>Alma Testperson</h1>" in html
    assert "river is cleaner" in html and "Unemployment halved" in html
    assert "bus fleet" not in html and other.text not in html
    svg = html[html.index("<svg") : html.index("</svg>")]
    assert 'role="img"' in svg
    assert '<title id="speaker-ratings-title">Ratings of Alma Testperson’s claims</title>' in svg
    assert ">False</text>" in svg and ">Unproven</text>" in svg
    assert 'fill="#b3261e"' in svg
    table = html[html.index("<table") : html.index("</table>")]
    assert '<th scope="row">False</th><td>2</td>' in table
    assert '<th scope="row">Unproven</th><td>1</td>' in table
    assert '<th scope="row">True</th><td>0</td>' in table
    assert "style=" not in html


def test_speaker_known_only_from_unpublished_claims_is_not_found(client, make_claim):
    make_claim("in_review", speaker="Dora Hiddenname")
    resp = client.get("/speakers/dora-hiddenname")
    assert resp.status_code == 404
    assert "Dora" not in resp.get_data(as_text=True)


def test_unknown_speaker_or_source_is_404(client):
    for path in ("/speakers/nobody", "/speakers/%00", "/sources/nothing", "/sources/" + "x" * 300):
        assert client.get(path).status_code == 404, path


def test_merged_speaker_slug_redirects_to_the_survivor(client, make_claim, users):
    make_claim("published", speaker="Alma Testperson")
    make_claim(
        "published", text="The harbour is the deepest in the region.", speaker="A. Testperson"
    )
    speakers = {s.slug: s for s in db.session.scalars(db.select(Speaker))}
    catalog.merge_speakers(users["editor"], speakers["alma-testperson"], speakers["a-testperson"])

    resp = client.get("/speakers/a-testperson")
    assert resp.status_code == 301
    assert resp.headers["Location"] == "/speakers/alma-testperson"
    assert "harbour is the deepest" in client.get("/speakers/alma-testperson").get_data(
        as_text=True
    )


def test_merged_source_slug_redirects_and_source_page_lists_claims(client, make_claim, users):
    courier, article = make_outlet("The Fictional Courier")
    dup, dup_article = make_outlet("Fictional Courier", url="https://courier.example.org/ports")
    claim_in(
        make_claim, text="The port doubled its cargo.", source_id=courier.id, article_id=article.id
    )
    claim_in(make_claim, text="The ferry runs hourly.", source_id=dup.id, article_id=dup_article.id)
    dup_slug = dup.slug
    catalog.merge_sources(users["editor"], courier, dup)

    resp = client.get(f"/sources/{dup_slug}")
    assert resp.status_code == 301
    assert resp.headers["Location"] == f"/sources/{courier.slug}"
    html = client.get(f"/sources/{courier.slug}").get_data(as_text=True)
    assert "<h1>The Fictional Courier</h1>" in html
    assert "port doubled" in html and "ferry runs hourly" in html
    assert 'role="img"' in html


def test_source_with_only_unpublished_claims_is_not_found(client, make_claim):
    hidden, article = make_outlet("The Unseen Gazette", url=None)
    claim_in(make_claim, "in_review", source_id=hidden.id, article_id=article.id)
    assert client.get(f"/sources/{hidden.slug}").status_code == 404


# --- caching and styles -------------------------------------------------------


def test_unchanged_pages_answer_304_to_their_etag(client, make_claim, subtests):
    claim = make_claim("published")
    for path in ("/", "/claims", claim_url(claim), "/speakers/alma-testperson", "/search?q=city",
                 "/feed.atom", "/sitemap.xml", "/claimreview.json"):  # fmt: skip
        with subtests.test(path=path):
            first = client.get(path)
            etag = first.headers["ETag"]
            assert first.headers["Cache-Control"] == "no-cache"
            assert "Cookie" in first.headers["Vary"]
            again = client.get(path, headers={"If-None-Match": etag})
            assert again.status_code == 304
            assert again.data == b""


def test_etag_changes_when_a_fact_check_is_published(client, make_claim, users):
    claim = make_claim("published")
    url = claim_url(claim)
    etag = client.get(url).headers["ETag"]
    home_etag = client.get("/").headers["ETag"]
    open_correction(users, claim, "New figures.", summary="The city spent 13 million, not 40.")
    assert client.get(url, headers={"If-None-Match": etag}).status_code == 304
    approve(users, claim)
    resp = client.get(url, headers={"If-None-Match": etag})
    assert resp.status_code == 200
    assert "13 million" in resp.get_data(as_text=True)
    assert client.get("/", headers={"If-None-Match": home_etag}).status_code == 200


def test_rating_styles_colour_badges_with_readable_text(client, ratings):
    ratings["true"].colour = "#ffee00"  # light: needs dark text
    ratings["false"].colour = "#}{x:y;"  # not a colour: never written into CSS
    db.session.commit()
    resp = client.get("/ratings.css")
    assert resp.mimetype == "text/css"
    css = resp.get_data(as_text=True)
    light = ratings["true"].id
    assert (
        f".rating-{light} {{ background-color: #ffee00; color: #000000; text-shadow: none; }}"
        in css
    )
    assert f".rating-{ratings['false'].id} {{ background-color: #52606d; color: #ffffff; }}" in css
    assert "}{x" not in css
    assert len(css.splitlines()) == 1 + db.session.scalar(db.select(db.func.count(Rating.id)))


def test_public_pages_are_well_formed_without_inline_styles_or_scripts(client, make_claim):
    courier, article = make_outlet("The Fictional Courier")
    claim = claim_in(make_claim, tags=["Roads"], source_id=courier.id, article_id=article.id)
    pages = (
        "/",
        "/claims",
        "/claims?rating=nope&page=x",
        claim_url(claim),
        "/speakers/alma-testperson",
        f"/sources/{courier.slug}",
        "/search?q=city",
        "/search",
        "/claims/999",
    )
    for path in pages:
        html = client.get(path).get_data(as_text=True)
        html5lib.HTMLParser(strict=True).parse(html)  # raises on any parse error
        assert "style=" not in html, path
        assert " on" + "click=" not in html, path
        scripts = re.findall(r"<script([^>]*)>", html)
        assert all('type="application/ld+json"' in attrs for attrs in scripts), path


def test_heading_levels_never_skip(client, make_claim):
    claim = claim_in(make_claim, tags=["Roads"])
    make_claim("published", text="The tunnel opened two years late.")
    for path in ("/", "/claims", claim_url(claim), "/speakers/alma-testperson", "/search?q=city"):
        html = client.get(path).get_data(as_text=True)
        levels = [int(n) for n in re.findall(r"<h([1-6])[ >]", html)]
        assert levels[0] == 1 and levels.count(1) == 1, path
        assert all(b - a <= 1 for a, b in zip(levels, levels[1:], strict=False)), (path, levels)
