"""What keeps the public lists cheap at a million claims, at a small scale."""

from __future__ import annotations

import re

from factcheck.reads import claims, common, speakers
from factcheck.reads.claims import ClaimFilter


def menu(html: str) -> list[str]:
    block = html.split('id="filter-speaker"', 1)[1].split("</select>", 1)[0]
    return re.findall(r'<option value="([^"]*)"', block)


def test_the_speaker_menu_lists_the_busiest_recent_speakers(client, make_claim, monkeypatch):
    for n in range(3):
        make_claim("published", speaker="Bruna Busyperson", text=f"The port handled {n} ships.")
    make_claim("published", speaker="Quentin Quietperson", text="The mill made 5 tonnes.")
    make_claim("researching", speaker="Una Unpublished", text="The dam holds 8 lakes.")
    assert menu(client.get("/claims").get_data(as_text=True)) == [
        "",
        "bruna-busyperson",
        "quentin-quietperson",
    ]

    monkeypatch.setattr(speakers, "MENU_SPEAKERS", 1)
    assert menu(client.get("/claims").get_data(as_text=True)) == ["", "bruna-busyperson"]
    # The speaker the list is filtered by stays selectable (and selected).
    html = client.get("/claims?speaker=quentin-quietperson").get_data(as_text=True)
    assert menu(html) == ["", "bruna-busyperson", "quentin-quietperson"]
    assert '<option value="quentin-quietperson" selected>' in html


def test_a_long_list_counts_only_so_far_ahead(client, make_claim, monkeypatch):
    for n in range(5):
        make_claim("published", text=f"The council planted {n} hundred trees.")
    monkeypatch.setattr(common, "COUNT_AHEAD", 2)
    html = client.get("/claims").get_data(as_text=True)
    assert "More than 2 fact-checks." in html
    page = claims.claims_page(ClaimFilter(), 1, 2)
    assert (page.total, page.total_is_estimate, page.has_next) == (2, True, True)
    assert len(page.items) == 2
    last = claims.claims_page(ClaimFilter(), 3, 2)
    assert (last.total, last.total_is_estimate, last.has_next, len(last.items)) == (
        5,
        False,
        False,
        1,
    )
    monkeypatch.setattr(common, "COUNT_AHEAD", 1000)
    assert "5 fact-checks." in client.get("/claims").get_data(as_text=True)


def test_the_api_list_says_when_its_total_is_a_lower_bound(client, make_claim, monkeypatch):
    for n in range(4):
        make_claim("published", text=f"The school hired {n} teachers.")
    monkeypatch.setattr(common, "COUNT_AHEAD", 2)
    body = client.get("/api/v1/claims?per_page=1").get_json()
    assert (body["total"], body["total_is_estimate"]) == (2, True)
    assert body["next"]
    monkeypatch.setattr(common, "COUNT_AHEAD", 1000)
    body = client.get("/api/v1/claims?per_page=1").get_json()
    assert (body["total"], body["total_is_estimate"]) == (4, False)
