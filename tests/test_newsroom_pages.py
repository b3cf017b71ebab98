"""Issue 19 without a browser: the claim page's scale, byline, share block and related
cards; the desk's plain-words timeline, badges, notifications and forms; plurals."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest

from factcheck.extensions import db
from factcheck.models import Rating
from factcheck.public.charts import rating_scale_graphic
from factcheck.services import claims as claim_service
from factcheck.services import settings as site_settings

from .conftest import visible_text
from .public_support import claim_url


def words(html: str) -> str:
    """The page's visible text with its whitespace collapsed."""
    return " ".join(visible_text(html).split())


def scale() -> list[Rating]:
    return list(db.session.scalars(db.select(Rating).order_by(Rating.position, Rating.id)))


def test_the_scale_graphic_marks_the_rating_in_words_and_position(ratings):
    ratings_in_order = scale()
    mostly_false = next(r for r in ratings_in_order if r.slug == "mostly-false")
    svg = str(rating_scale_graphic(ratings_in_order, mostly_false, chart_id="s"))
    assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg" role="img"')
    assert 'aria-labelledby="s-title s-desc"' in svg
    title = re.search(r'<title id="s-title">([^<]*)</title>', svg)
    assert title is not None
    assert title[1] == "Our rating: Mostly false, 5 of 6 on the scale from True to False"
    assert "Outside the scale: Unproven." in svg
    # Every rating is on it, in order; only this one is framed and labelled "This claim".
    names = re.findall(r'font-size="15"(?: font-weight="bold")?>([^<]+)</text>', svg)
    assert [n for n in names if n != "◀ This claim"] == [r.name for r in ratings_in_order]
    assert names.index("◀ This claim") == names.index("Mostly false") + 1
    assert svg.count("This claim") == 1 and svg.count('stroke-width="2"') == 1
    assert 'font-weight="bold">Mostly false<' in svg


def test_a_rating_outside_the_scale_is_said_so(ratings):
    unproven = next(r for r in scale() if r.ordinal is None)
    svg = str(rating_scale_graphic(scale(), unproven, chart_id="u"))
    assert "Our rating: Unproven is outside the scale from True to False" in svg


def test_the_scale_escapes_rating_names(ratings):
    odd = Rating(id=999, name="<b>Odd</b>", slug="odd", ordinal=None, colour="#123456")
    svg = str(rating_scale_graphic([*scale(), odd], odd, chart_id="o"))
    assert "<b>" not in svg and "&lt;b&gt;Odd&lt;/b&gt;" in svg


def test_the_claim_page_names_writer_and_editor_unless_turned_off(
    client, make_claim, users, ratings
):
    claim = make_claim("published")
    html = client.get(claim_url(claim)).get_data(as_text=True)
    text = words(html)
    assert f"By {users['fact_checker'].name} · Edited by {users['editor'].name}" in text
    assert 'class="rating-scale"' in html and "Sources" in text
    site_settings.update_settings(
        users["admin"],
        site_settings.settings_version(site_settings.get_settings()),
        {
            **site_settings.DEFAULTS,
            "two_factor_roles": [],
            "show_bylines": False,
        },
    )
    assert site_settings.get_settings().show_bylines is False
    text = words(client.get(claim_url(claim)).get_data(as_text=True))
    assert users["fact_checker"].name not in text and "Edited by" not in text


def test_the_share_block_is_plain_links_to_the_canonical_address(client, make_claim, ratings):
    claim = make_claim("published")
    html = client.get(claim_url(claim)).get_data(as_text=True)
    share = html[html.index('class="share"') :]
    links = re.findall(r'<li><a href="([^"]+)"', share[: share.index("</ul>")])
    assert len(links) == 5
    canonical = f"http://localhost{claim_url(claim)}"
    assert links[0].startswith("mailto:?subject=")
    for link in links[1:]:
        query = parse_qs(urlsplit(link.replace("&amp;", "&")).query)
        assert any(canonical in value for values in query.values() for value in values), link
    assert "<script" not in share[: share.index("</section>")]


def test_related_fact_checks_in_the_claims_language_come_first_and_others_are_named(
    client, make_claim, ratings
):
    other_language = make_claim("published", text="Місто витратило 40 мільйонів.", language="uk")
    same_language = make_claim("published", text="The mayor hired 300 people.")
    claim = make_claim("published", text="The city spent 40 million on roads.")
    html = client.get(claim_url(claim)).get_data(as_text=True)
    related = html[html.index('id="related-heading"') :]
    assert related.index(f"/claims/{same_language.id}-") < related.index(
        f"/claims/{other_language.id}-"
    )
    assert related.count("In Ukrainian") == 1
    assert f'<a href="{claim_url(other_language)}" lang="uk">' in related


def test_the_favicon_is_served(client):
    resp = client.get("/favicon.ico")
    assert resp.status_code == 200 and resp.mimetype == "image/svg+xml"
    assert resp.data.startswith(b"<svg")


def test_the_desk_timeline_and_activity_are_plain_words(login_as, make_claim, users, ratings):
    claim = make_claim("published")
    editor = login_as("editor")
    page = words(editor.get(f"/desk/claims/{claim.id}").get_data(as_text=True))
    checker, boss = users["fact_checker"].name, users["editor"].name
    for sentence in (
        f"{checker} logged the claim",
        f"{checker} started research",
        f"{checker} added a source to the evidence",
        f"{checker} saved revision 1 of the verdict",
        f"{checker} submitted the verdict for review",
        f"{boss} approved the verdict and published it",
    ):
        assert sentence in page
    assert not re.search(r"\b(claim|verdict|evidence)\.[a-z_]+\b", page)
    assert "version" not in page.split("Workflow")[0].lower()  # no row version in the header
    dashboard = words(editor.get("/desk/").get_data(as_text=True))
    assert f"{boss} approved the verdict and published it: claim #{claim.id}" in dashboard


def test_notifications_are_counted_on_notifications_and_link_their_claim(
    login_as, make_claim, ratings
):
    claim = make_claim("published")  # tells the author it is published
    checker = login_as("fact_checker")
    html = checker.get("/desk/").get_data(as_text=True)
    notifications_link = re.search(r'<a href="/account/notifications">(.*?)</a>', html, re.S)
    assert notifications_link is not None
    assert 'title="Unread notifications">1 unread</span>' in notifications_link[1]
    desk_link = re.search(r'<a href="/desk/">(.*?)</a>', html, re.S)
    assert desk_link is not None and "unread" not in desk_link[1]
    page = checker.get("/account/notifications").get_data(as_text=True)
    assert f'href="/desk/claims/{claim.id}">Open claim #{claim.id}</a>' in page


def test_evidence_has_no_default_stance_and_asks_for_one(login_as, make_claim, ratings):
    claim = make_claim("researching")
    checker = login_as("fact_checker")
    form = checker.get(f"/desk/claims/{claim.id}/evidence/new").get_data(as_text=True)
    select = form[
        form.index('<select id="stance"') : form.index("</select>", form.index('id="stance"'))
    ]
    assert "selected" not in select
    resp = checker.post(
        f"/desk/claims/{claim.id}/evidence/new",
        data={"stance": "", "url": "https://data.example.org/x"},
    )
    assert "Choose whether this source supports, refutes or gives context." in resp.get_data(
        as_text=True
    )
    assert claim_service.evidence_for(claim.id) == []


def test_removing_evidence_asks_first_and_the_stance_is_in_words(login_as, make_claim, ratings):
    claim = make_claim("in_review")
    page = login_as("fact_checker").get(f"/desk/claims/{claim.id}").get_data(as_text=True)
    confirm = page[page.index('<details class="confirm-remove">') :]
    assert confirm.index("<summary>Remove…</summary>") < confirm.index("Yes, remove it")
    assert "Refutes the claim" in page and ">refutes<" not in page


def test_date_inputs_and_hints_say_the_same_format(login_as, client):
    form = login_as("fact_checker").get("/desk/claims/new").get_data(as_text=True)
    stated = re.search(r'<input[^>]*id="stated_on"[^>]*>', form)
    assert stated is not None
    assert 'type="text"' in stated[0] and 'placeholder="YYYY-MM-DD"' in stated[0]
    assert "YYYY-MM-DD, for example 2025-01-31" in form
    bad = login_as("fact_checker").post(
        "/desk/claims/new", data={"text": "A claim.", "speaker": "Ann", "stated_on": "01/31/2025"}
    )
    assert "Write the date as YYYY-MM-DD, for example 2025-01-31." in bad.get_data(as_text=True)
    public = client.get("/claims").get_data(as_text=True)
    assert 'type="date"' not in public and 'placeholder="YYYY-MM-DD"' in public


def test_the_workflow_shows_one_primary_action_and_a_menu(login_as, make_claim, ratings):
    logged = make_claim("logged")
    page = login_as("editor").get(f"/desk/claims/{logged.id}").get_data(as_text=True)
    bar = page[
        page.index('<div class="workflow-bar">') : page.index(
            "</section>", page.index("workflow-bar")
        )
    ]
    primary = bar[: bar.index("<details")]
    assert '<button type="submit" name="action" value="start">Start research</button>' in primary
    menu = bar[bar.index("<details") :]
    assert "<summary>More actions</summary>" in menu
    assert ">Assign</button>" in menu and ">Dismiss</button>" in menu
    assert "Start research" not in menu


@pytest.mark.parametrize(
    ("locale", "count", "expected"),
    [("en", 0, "0 candidates"), ("en", 1, "1 candidate"),
     ("en", 2, "2 candidates"), ("uk", 1, "1 кандидат"),
     ("uk", 3, "3 кандидати"), ("uk", 5, "5 кандидатів")],
)  # fmt: skip
def test_plurals(app, locale, count, expected):
    from flask_babel import force_locale, ngettext

    with app.test_request_context("/"), force_locale(locale):
        assert ngettext("%(num)s candidate", "%(num)s candidates", count) == expected


def test_dashboard_counts_each_status_up_to_a_cap(login_as, make_claim, monkeypatch):
    from factcheck.reads import claims as claim_reads

    for n in range(3):
        make_claim("logged", text=f"The ferry carried {n + 2},000 cars in 2024.")
    make_claim("researching", text="The tram cost 90 million euros in 2023.")
    monkeypatch.setattr(claim_reads, "DASHBOARD_COUNT_CAP", 2)
    page = words(login_as("editor").get("/desk/").get_data(as_text=True))
    assert "Logged more than 2" in page  # 3 logged: counting stopped at the cap
    assert "Researching 1" in page and "Published 0" in page
