"""One filter, three lists: the public list, the desk and the API find the same claims."""

from __future__ import annotations

import re

import pytest

from factcheck.reads.common import like_pattern


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def public_ids(client, query: str) -> set[int]:
    html = client.get(f"/claims?{query}").get_data(as_text=True)
    return {int(n) for n in re.findall(r'href="/claims/(\d+)-', html)}


def desk_ids(client, query: str) -> set[int]:
    html = client.get(f"/desk/claims?{query}").get_data(as_text=True)
    return {int(n) for n in re.findall(r'href="/desk/claims/(\d+)"', html)}


def api_ids(client, query: str, token: str | None = None) -> set[int]:
    headers = bearer(token) if token else {}
    body = client.get(f"/api/v1/claims?{query}&per_page=100", headers=headers).get_json()
    return {item["id"] for item in body["items"]}


@pytest.fixture
def archive(make_claim):
    """Published and unpublished claims; words in the text, the speaker and the verdict."""
    return {
        "ferry": make_claim(
            "published", text="Ferries carry 9,000 people a day.", speaker="Ann Harbourmaster"
        ).id,
        "port": make_claim(
            "published",
            text="The port earned 20 million in fees.",
            speaker="Bo Port",
            summary="Fees were 12 million; ferries earned the rest.",
        ).id,
        "draft": make_claim(
            "researching", text="Ferries lost 3 million last year.", speaker="Cy Ledger"
        ).id,
        "logged": make_claim(
            "logged", text="The bridge toll is 4 euros.", speaker="Ann Harbourmaster"
        ).id,
    }


@pytest.mark.parametrize(
    ("query", "public", "staff_only"),
    [
        ("q=ferries", {"ferry", "port"}, {"draft"}),  # a claim's words and a verdict's
        ("q=FERR", {"ferry", "port"}, {"draft"}),  # word beginnings, any case
        ("q=harbourmaster", {"ferry"}, {"logged"}),  # the speaker's name
        ("q=ferries+carry", {"ferry"}, set()),  # every word must match
        ("q=%21%21", {"ferry", "port"}, {"draft", "logged"}),  # no words: no filter
    ],
)
def test_the_three_lists_agree_on_the_same_words(
    archive, login_as, api_token, query, public, staff_only
):
    def ids(names: set[str]) -> set[int]:
        return {archive[name] for name in names}

    anonymous = login_as(None)
    desk = login_as("editor")
    token = api_token("editor")
    assert public_ids(anonymous, query) == ids(public)
    assert api_ids(anonymous, query) == ids(public)
    # Staff lists search the unpublished claims too, with the same words.
    assert desk_ids(desk, query) == ids(public | staff_only)
    assert api_ids(anonymous, query, token) == ids(public | staff_only)


def test_a_claim_leaves_the_staff_index_for_the_public_one_when_published(
    make_claim, login_as, api_token, ratings
):
    from factcheck.services import reviews
    from factcheck.workflow import Action

    claim = make_claim("in_review", text="Trams run every 4 minutes.")
    anonymous, desk = login_as(None), login_as("editor")
    assert public_ids(anonymous, "q=trams") == set()
    assert desk_ids(desk, "q=trams") == {claim.id}
    from factcheck.extensions import db
    from factcheck.models import User

    editor = db.session.scalars(db.select(User).where(User.role == "editor")).first()
    reviews.transition(editor, claim, Action.APPROVE)
    assert public_ids(anonymous, "q=trams") == {claim.id}
    assert desk_ids(desk, "q=trams") == {claim.id}


def test_the_other_filters_agree_too(archive, login_as, api_token):
    anonymous, desk = login_as(None), login_as("editor")
    token = api_token("editor")
    # A speaker by slug (public, API) and by id (desk's menu) is the same speaker.
    assert public_ids(anonymous, "speaker=ann-harbourmaster") == {archive["ferry"]}
    assert api_ids(anonymous, "speaker=ann-harbourmaster") == {archive["ferry"]}
    both = {archive["ferry"], archive["logged"]}
    assert api_ids(anonymous, "speaker=ann-harbourmaster", token) == both
    html = desk.get("/desk/claims").get_data(as_text=True)
    speaker_id = re.search(r'<option value="(\d+)" >Ann Harbourmaster<', html).group(1)
    assert desk_ids(desk, f"speaker={speaker_id}") == both
    # A date range, and a slug that names nothing.
    assert api_ids(anonymous, "from=2025-01-16") == set()
    assert public_ids(anonymous, "from=2025-01-15&to=2025-01-15") == {
        archive["ferry"],
        archive["port"],
    }
    assert api_ids(anonymous, "speaker=nobody-at-all") == set()


def test_like_patterns_take_wildcards_literally():
    assert like_pattern("50%_off\\") == "%50\\%\\_off\\\\%"
