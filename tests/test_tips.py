"""Readers' tips: the public form, the API, the desk's groups, and the readers' status links."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from factcheck.extensions import db
from factcheck.models import Tip, TipGroup
from factcheck.models.base import utcnow
from factcheck.services import tips as tip_service

# Ten readers asking about the same (fictional) claim in their own words.
TEN_WORDINGS = [
    "The council spent 40 million euros on the new tram line to Eastbrook.",
    "Is it true the tram line to Eastbrook cost the council €40m?",
    "I read that the council spent €40 million on the Eastbrook tram line",
    "Did the new Eastbrook tram line really cost the council 40 million euros??",
    "council spent 40,000,000 euros on eastbrook tram line - true?",
    "A leaflet says the council spent 40 million euro on the Eastbrook tram line.",
    "Check this: the Eastbrook tram line cost the council forty million euros",
    "Heard on the radio the council spent 40m euros on the new tram line to Eastbrook",
    "the council spent EUR 40 million on the new tram line in Eastbrook, is that right",
    "Was 40 million euros really spent by the council on the Eastbrook tram line?",
]


@pytest.fixture
def generous(app):
    """Allowances high enough that feature tests never meet the rate limits."""
    app.config.update(TIPS_RATE_PER_ADDRESS="1000 per minute", TIPS_RATE_GLOBAL="10000 per hour")
    return app


def _send(client, text, *, seen_at="", email="", address="127.0.0.2", website=""):
    return client.post(
        "/tips/new",
        data={
            "claim": text,
            "seen_at": seen_at,
            "email": email,
            "website": website,
            "action": "send",
        },  # fmt: skip
        environ_base={"REMOTE_ADDR": address},
    )


def _status_path(resp) -> str:
    assert resp.status_code == 303, resp.get_data(as_text=True)[:500]
    path = resp.headers["Location"]
    assert re.fullmatch(r"/tips/[A-Za-z0-9_-]{32}", path), path
    return path


def test_the_form_states_its_privacy_rule_and_hides_a_honeypot(client, generous):
    html = client.get("/tips/new").get_data(as_text=True)
    assert "only our editors can see it" in html
    assert "erase it 90 days after" in html
    assert 'name="website"' in html and 'class="hp"' in html
    assert client.get("/tips/new").headers["Cache-Control"] == "no-store"


def test_a_tip_repeating_a_published_fact_check_is_answered_on_the_spot(
    client, generous, make_claim
):
    published = make_claim("published", text="The city spent 40 million euros on roads in 2024.")
    make_claim("published", text="The city spent 12 million euros on parks in 2024.")
    wording = "Is it true that the city spent €40m on roads in 2024?"

    checked = client.post("/tips/new", data={"claim": wording, "action": "check"})
    html = checked.get_data(as_text=True)
    assert checked.status_code == 200
    assert "We have already checked this" in html
    assert f"/claims/{published.id}-" in html
    assert db.session.scalar(select(func.count(Tip.id))) == 0  # a check sends nothing

    status = client.get(_status_path(_send(client, wording)))
    page = status.get_data(as_text=True)
    assert "Checked: see our fact-check" in page
    assert f"/claims/{published.id}-" in page
    assert wording not in page  # the reader's words are never shown back, even to them
    assert status.headers["Cache-Control"] == "no-store"
    tip = db.session.scalars(select(Tip)).one()
    assert tip.answer_claim_id == published.id
    assert tip.group.state == "answered"


def test_another_figure_is_not_an_answer(client, generous, make_claim):
    make_claim("published", text="The city spent 40 million euros on roads in 2024.")
    html = client.post(
        "/tips/new",
        data={"claim": "The city spent 55 million euros on roads in 2024.", "action": "check"},
    ).get_data(as_text=True)
    assert "We have already checked this" not in html
    assert "We have checked similar claims" in html


def test_ten_readers_in_their_own_words_make_one_group_of_ten(
    client, generous, login_as, make_claim
):
    make_claim("published", text="The museum had 2 million visitors last year.")
    for number, wording in enumerate(TEN_WORDINGS):
        _status_path(_send(client, wording, address=f"127.0.1.{number + 1}"))
    _status_path(_send(client, "The mayor doubled the number of bus lanes in 2023."))

    groups = db.session.scalars(select(TipGroup).order_by(TipGroup.tip_count.desc())).all()
    assert [g.tip_count for g in groups] == [10, 1]
    assert groups[0].text == TEN_WORDINGS[-1]  # the newest wording leads

    html = login_as("fact_checker").get("/desk/tips?sort=demand").get_data(as_text=True)
    assert "10</span>\n      readers asked" in html
    assert html.index(TEN_WORDINGS[-1]) < html.index("bus lanes")


def test_logging_and_publishing_turns_every_status_link_to_checked(
    app, client, generous, login_as, users, ratings
):
    links = [
        _status_path(_send(client, wording, address=f"127.0.2.{n + 1}"))
        for n, wording in enumerate(TEN_WORDINGS[:4])
    ]
    group = db.session.scalars(select(TipGroup)).one()
    for link in links:
        assert "Received" in client.get(link).get_data(as_text=True)

    desk = login_as("fact_checker")
    form = desk.get(f"/desk/tips/{group.id}/claim").get_data(as_text=True)
    assert TEN_WORDINGS[3][:40] in form  # prefilled with the newest wording
    resp = desk.post(
        f"/desk/tips/{group.id}/claim",
        data={
            "version": group.version,
            "text": "The council spent 40 million euros on the Eastbrook tram line.",
            "speaker": "Councillor Ada Fictional",
            "language": "en",
        },
    )
    assert resp.status_code == 303
    claim_id = int(resp.headers["Location"].rsplit("/", 1)[1])
    assert "Readers asked 4 times" in desk.get(f"/desk/claims/{claim_id}").get_data(as_text=True)
    for link in links:
        assert "Being checked" in client.get(link).get_data(as_text=True)

    # A fifth reader asks about the claim being checked: the same group, counted.
    fifth = _status_path(_send(client, TEN_WORDINGS[4], address="127.0.2.9"))
    assert "Being checked" in client.get(fifth).get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(TipGroup, group.id).tip_count == 5

    from factcheck.services import claims as claim_service
    from factcheck.services import reviews, verdicts
    from factcheck.workflow import Action

    checker, editor = users["fact_checker"], users["editor"]
    claim = claim_service.get_claim(claim_id)
    reviews.transition(checker, claim, Action.START)
    claim_service.add_evidence(
        checker, claim, claim_service.EvidenceInput(stance="refutes", url="https://example.org/b")
    )
    verdicts.save_draft(
        checker, claim, 0,
        verdicts.DraftInput(rating="false", summary="It cost 31 million.", explanation="Budget."),
    )  # fmt: skip
    reviews.transition(checker, claim, Action.SUBMIT)
    reviews.transition(editor, claim, Action.APPROVE)
    for link in [*links, fifth]:
        page = client.get(link).get_data(as_text=True)
        assert "Checked: see our fact-check" in page
        assert f"/claims/{claim_id}-" in page


def test_dismissing_a_group_tells_its_readers(client, generous, login_as):
    link = _status_path(_send(client, "The stadium will be the best in the whole world."))
    group = db.session.scalars(select(TipGroup)).one()
    assert (
        login_as("fact_checker")
        .post(
            f"/desk/tips/{group.id}/dismiss", data={"version": group.version, "reason": "opinion"}
        )
        .status_code
        == 403
    )
    resp = login_as("editor").post(
        f"/desk/tips/{group.id}/dismiss",
        data={"version": group.version, "reason": "opinion", "note": "Praise"},
    )
    assert resp.status_code == 303
    page = client.get(link).get_data(as_text=True)
    assert "Not taken up" in page and "it is an opinion" in page


def test_answering_a_group_with_an_existing_fact_check(client, generous, login_as, make_claim):
    published = make_claim("published", text="The harbour handled 3 million containers in 2024.")
    link = _status_path(_send(client, "Ferry traffic tripled since the bridge opened in 2021."))
    group = db.session.scalars(select(TipGroup)).one()
    editor = login_as("editor")
    unpublished = make_claim("logged", text="The bridge opened in 2021 and cost 90 million.")
    refused = editor.post(
        f"/desk/tips/{group.id}/answer", data={"version": group.version, "claim_id": unpublished.id}
    )
    assert refused.status_code == 303
    assert db.session.get(TipGroup, group.id).state == "open"
    editor.post(
        f"/desk/tips/{group.id}/answer", data={"version": group.version, "claim_id": published.id}
    )
    db.session.expire_all()
    assert db.session.get(TipGroup, group.id).state == "answered"
    assert f"/claims/{published.id}-" in client.get(link).get_data(as_text=True)
    # A second decision on the same group is refused, not applied twice.
    again = editor.post(
        f"/desk/tips/{group.id}/dismiss", data={"version": group.version, "reason": "spam"}
    )
    assert again.status_code == 303
    db.session.expire_all()
    assert db.session.get(TipGroup, group.id).state == "answered"


def test_the_honeypot_keeps_nothing(client, generous):
    resp = _send(client, "The tram is free on Sundays in Eastbrook.", website="http://spam.example")
    assert resp.status_code == 200
    assert "Thank you" in resp.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Tip.id))) == 0


def test_markup_is_dropped_and_bad_input_is_refused_clearly(client, generous):
    _status_path(
        _send(client, "<b>The tram</b> <script>alert(1)</script>carries 9,000 people a day")
    )
    tip = db.session.scalars(select(Tip)).one()
    assert "<" not in tip.text and "script" not in tip.text.lower() or "alert" not in tip.text
    assert tip.text.startswith("The tram")

    for data, message in (
        ({"claim": "short"}, "at least 10 characters"),
        ({"claim": "x" * 1200}, "under 1,000 characters"),
        ({"claim": "The tram carries 9,000 people a day.", "email": "not-an-email"}, "email"),
        ({"claim": "The tram carries 9,000 people a day.", "seen_at": "y" * 600}, "500"),
    ):
        resp = client.post("/tips/new", data={"action": "send", **data})
        assert resp.status_code == 400, data
        assert message in resp.get_data(as_text=True), data
    assert db.session.scalar(select(func.count(Tip.id))) == 1


def test_the_same_reader_sending_twice_is_one_tip(client, generous):
    first = _status_path(_send(client, "The tram carries 9,000 people a day.", address="127.0.3.1"))
    second = _status_path(
        _send(client, "The tram carries 9,000 people a day!", address="127.0.3.1")
    )
    assert db.session.scalar(select(func.count(Tip.id))) == 1
    assert db.session.scalars(select(TipGroup)).one().tip_count == 1
    assert "Received" in client.get(second).get_data(as_text=True)
    assert client.get(first).status_code == 404  # the newer link replaces the older one


def test_emails_are_for_editors_only_and_erased_after_the_set_days(client, generous, login_as):
    _status_path(_send(client, "The tram carries 9,000 people a day.", email="Reader@Example.org"))
    assert "reader@example.org" in login_as("editor").get("/desk/tips").get_data(as_text=True)
    assert "reader@example.org" not in login_as("fact_checker").get("/desk/tips").get_data(
        as_text=True
    )
    tip = db.session.scalars(select(Tip)).one()
    tip.created_at = utcnow() - timedelta(days=91)
    db.session.commit()
    login_as("editor").get("/desk/tips")
    db.session.expire_all()
    assert db.session.scalars(select(Tip)).one().email is None


def test_nothing_a_reader_sends_reaches_the_public_site(client, generous, make_claim):
    published = make_claim("published", text="The museum had 2 million visitors last year.")
    marker = "Zqxmarker tram carries 9,000 people"
    link = _status_path(_send(client, marker, seen_at="Zqxplace leaflet", email="z@example.org"))
    for path in ("/", "/claims", f"/claims/{published.id}", "/search?q=zqxmarker", "/feed.atom",
                 "/sitemap.xml", "/claimreview.json", "/api/v1/claims", link):  # fmt: skip
        body = client.get(path).get_data(as_text=True)
        assert "Zqx" not in body and "z@example.org" not in body, path


def test_the_api_takes_tips_and_answers_like_the_form(client, generous, make_claim):
    published = make_claim("published", text="The city spent 40 million euros on roads in 2024.")
    resp = client.post("/api/v1/tips", json={"claim": "The city spent €40m on roads in 2024"})
    assert resp.status_code == 201
    body = resp.get_json()
    assert set(body) == {"id", "status_url", "answer"}
    assert body["answer"]["id"] == published.id
    status_path = "/" + body["status_url"].split("/", 3)[3]
    assert "Checked: see our fact-check" in client.get(status_path).get_data(as_text=True)

    fresh = client.post(
        "/api/v1/tips",
        json={"claim": "The ferry to Westholm is free for pensioners.", "seen_at": "A poster"},
    ).get_json()
    assert fresh["answer"] is None
    for bad in ({}, {"claim": "short"}, {"claim": "A long enough claim", "extra": 1}, [1]):
        answer = client.post("/api/v1/tips", json=bad)
        assert answer.status_code == 400, bad
        assert answer.get_json()["error"]["message"]
    assert db.session.scalar(select(func.count(Tip.id))) == 2


def test_rate_limits_per_address_and_across_everyone(app, client):
    app.config.update(TIPS_RATE_PER_ADDRESS="3 per minute", TIPS_RATE_GLOBAL="5 per hour")
    statuses = [
        _send(
            client, f"Claim number {n} about the tram fares in 2024.", address="127.0.4.1"
        ).status_code
        for n in range(4)
    ]
    assert statuses == [303, 303, 303, 429]
    # The API shares the same allowance: this address has none left.
    assert client.post(
        "/api/v1/tips", json={"claim": "Another claim about tram fares."},
        environ_base={"REMOTE_ADDR": "127.0.4.1"},
    ).status_code == 429  # fmt: skip
    others = [
        _send(
            client, f"Claim number {n} about the ferry fares.", address=f"127.0.5.{n}"
        ).status_code
        for n in range(3)
    ]
    assert others == [303, 303, 429]  # five across everyone
    assert db.session.scalar(select(func.count(Tip.id))) == 5


def test_tips_are_judged_by_the_one_matching_service():
    from factcheck.extraction.matching import Match, judge, read

    same = judge(
        read("Unemployment fell to 4.1% in 2024"),
        read("unemployment dropped to 4.1 per cent in 2024"),
    )
    assert same.match == Match.SAME
    other = judge(
        read("Unemployment fell to 3% in 2024"), read("Unemployment fell to 4.1% in 2024")
    )
    assert other.match == Match.RELATED
    turned = judge(read("Bus fares rose by 20% in 2024"), read("Bus fares fell by 20% in 2024"))
    assert turned.match == Match.RELATED


def _fire(url: str, bodies: list[dict], workers: int = 8) -> list[int]:
    """POST every body to the public API at once from ``workers`` threads; the statuses."""
    import json
    import urllib.error
    import urllib.request
    from concurrent.futures import ThreadPoolExecutor

    def post(body: dict) -> int:
        request = urllib.request.Request(
            url + "/api/v1/tips",
            data=json.dumps(body).encode(),
            headers={"Content-Type": "application/json"},
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as resp:
                return resp.status
        except urllib.error.HTTPError as exc:
            return exc.code

    with ThreadPoolExecutor(workers) as pool:
        return list(pool.map(post, bodies))


def test_a_burst_against_a_real_server_keeps_the_limit_and_loses_nothing_below_it(app):
    from .conftest import LiveServer

    bodies = [{"claim": f"Reader {n} says the ferry carried {n + 100} cars on Sunday."}
              for n in range(40)]  # fmt: skip
    app.config.update(TIPS_RATE_PER_ADDRESS="15 per minute", TIPS_RATE_GLOBAL="10000 per hour")
    server = LiveServer(app)
    try:
        statuses = _fire(server.url, bodies)
    finally:
        server.stop()
    assert sorted(set(statuses)) == [201, 429], statuses
    assert statuses.count(201) == 15
    db.session.expire_all()
    assert db.session.scalar(select(func.count(Tip.id))) == 15

    # Below the limits, every tip of a burst is kept, and demand is counted exactly.
    app.config.update(TIPS_RATE_PER_ADDRESS="1000 per minute")
    same_claim = [{"claim": wording} for wording in TEN_WORDINGS] * 3
    server = LiveServer(app)
    try:
        statuses = _fire(server.url, same_claim)
    finally:
        server.stop()
    assert statuses == [201] * 30
    db.session.expire_all()
    # One sender (127.0.0.1) sent each wording three times: folded to ten tips.
    assert db.session.scalar(select(func.count(Tip.id))) == 15 + 10


def test_a_readers_framing_is_cut_and_another_figure_or_place_is_another_group():
    from factcheck.extraction.matching import read

    core = tip_service.claim_core
    assert core("Is it true that the city spent €40m on roads?") == "the city spent €40m on roads"
    assert core("Heard on the radio the port is closed, is that right??") == "the port is closed"
    assert core("Did the tram really cost 90 million euros?") == "the tram cost 90 million euros"
    base = read(core(TEN_WORDINGS[0]))
    assert tip_service.asks_the_same(read(core(TEN_WORDINGS[6])), base) is not None
    for other in (
        "The council spent 55 million euros on the new tram line to Eastbrook.",
        "The council spent 40 million euros on the new tram line to Westholm.",
        "The council did not spend 40 million euros on the new tram line to Eastbrook.",
    ):
        assert tip_service.asks_the_same(read(core(other)), base) is None, other
