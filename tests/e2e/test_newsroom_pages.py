"""Issue 19 in the browser: the public claim page, search, and the desk's daily paths,
each on a phone (390 px) and a desktop (1280 px), with screenshots in test-artifacts/."""

from __future__ import annotations

import json
import re
from typing import Any

from ..conftest import PASSWORD
from .conftest import axe_violations, shot, sign_in

WIDTHS = ((390, "phone"), (1280, "desktop"))


def no_sideways_scroll(page: Any, label: str) -> None:
    wider = page.evaluate(
        """() => [...document.querySelectorAll('body *')]
          .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
          .filter(e => ![...e.querySelectorAll('*')].some(
              c => c.getBoundingClientRect().right > window.innerWidth + 1))
          .slice(0, 5).map(e => e.tagName + '.' + e.className + ' ' + e.textContent.slice(0, 40))"""
    )
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), (
        f"horizontal scroll on {label}: {page.url}: {wider}"
    )


def published_with_relatives(make_claim: Any) -> Any:
    """An English claim with a Ukrainian and an English relative by the same speaker."""
    make_claim(
        "published",
        text="Місто витратило 40 мільйонів на дороги.",
        language="uk",
        summary="The city spent 12 million, not 40.",
    )
    make_claim("published", text="The mayor's office hired 300 new staff in 2024.")
    return make_claim("published", text="The city spent 40 million on roads in 2024.")


def test_public_claim_page_shows_the_scale_byline_sources_and_share_block(
    new_page, make_claim, users
):
    claim = published_with_relatives(make_claim)
    for width, label in WIDTHS:
        page = new_page(width=width, height=844 if width < 800 else 900)
        page.goto(f"/claims/{claim.id}")
        # The rating as the whole scale, this claim's place marked in words, named for screen readers.
        scale = page.locator("svg.rating-scale")
        assert scale.get_attribute("role") == "img"
        title = scale.locator("title").first.text_content() or ""
        assert title == "Our rating: False, 6 of 6 on the scale from True to False"
        assert scale.locator("text", has_text="This claim").count() == 1
        assert scale.locator("text").filter(has_text=re.compile("^Mostly true$")).count() == 1
        box = scale.bounding_box()
        assert box is not None and box["width"] == 320  # drawn at full size: 15 px text
        byline = page.locator(".byline")
        assert byline.inner_text() == (
            f"By {users['fact_checker'].name} · Edited by {users['editor'].name}"
        )
        assert page.locator(".fact-check time").first.get_attribute("datetime")
        sources = page.locator("ol.evidence-list > li")
        assert sources.count() == 1
        assert page.get_by_role("heading", name="Sources").is_visible()
        share = page.locator(".share-links a")
        assert share.count() == 5
        assert all(
            "factcheck" not in (share.nth(i).get_attribute("href") or "")[:8]
            for i in range(share.count())
        )
        assert page.locator("script:not([type='application/ld+json'])").count() == 0
        related = page.locator(".related .claim-card")
        assert related.count() == 2
        # The claim's language first; the other language is named on its card.
        assert "In Ukrainian" not in related.nth(0).inner_text()
        assert "In Ukrainian" in related.nth(1).inner_text()
        assert related.nth(1).locator("a[lang='uk']").count() == 1
        no_sideways_scroll(page, label)
        shot(page, f"19-claim-page-{label}")
        assert not axe_violations(page), label

        # Badge and headline sit together: no empty band between them on a card.
        gap = page.evaluate(
            """() => {
              const card = document.querySelector('.related .claim-card');
              const badge = card.querySelector('.rating-badge').getBoundingClientRect();
              const title = card.querySelector('.claim-card-title').getBoundingClientRect();
              return title.top - badge.bottom;
            }"""
        )
        assert gap < 16, gap

    # The favicon answers on every site (browsers ask for it whatever the page says).
    icon = new_page().request.get("/favicon.ico")
    assert icon.status == 200 and icon.headers["content-type"].startswith("image/svg+xml")


def test_bylines_can_be_turned_off_by_an_admin(new_page, make_claim, users):
    claim = make_claim("published")
    admin = new_page()
    sign_in(admin, users["admin"].email, PASSWORD)
    admin.goto("/admin/settings")
    if admin.get_by_label("Password").count():  # a recent proof of identity is asked first
        admin.get_by_label("Password").fill(PASSWORD)
        admin.get_by_role("button", name=re.compile("Continue|Confirm")).click()
    switch = admin.get_by_label(re.compile("Name the writer and the approving editor"))
    assert switch.is_checked()
    switch.uncheck()
    admin.get_by_role("button", name="Save the settings").click()
    admin.get_by_text("The site settings are saved.").wait_for()
    reader = new_page()
    reader.goto(f"/claims/{claim.id}")
    reader.get_by_role("heading", name=re.compile("Our rating")).wait_for()
    assert reader.locator(".byline").count() == 0


def test_search_is_one_row_highlights_words_and_filters_fold_on_a_phone(new_page, make_claim):
    make_claim("published", text="The harbour tunnel cost 3 billion <b>euros</b>.")
    for width, label in WIDTHS:
        page = new_page(width=width, height=844 if width < 800 else 900)
        for path, field in (("/", "#home-q"), ("/search?q=harbour+tun", "#q")):
            page.goto(path)
            field_box = page.locator(field).bounding_box()
            button_box = page.locator(".search-form button").bounding_box()
            assert field_box and button_box
            # One row: same top, same height; the field keeps most of the width.
            assert abs(field_box["y"] - button_box["y"]) < 2, (label, path)
            assert abs(field_box["height"] - button_box["height"]) < 2, (label, path)
            assert field_box["width"] > 0.6 * (field_box["width"] + button_box["width"])
            label_box = page.locator(".search-form label").bounding_box()
            assert label_box and label_box["height"] < 40, "the label wraps"
            no_sideways_scroll(page, label)
        page.goto("/")
        # The home page's placeholder is read whole, not cut to "A nam".
        room, needed = page.evaluate(
            """() => {
              const input = document.querySelector('#home-q');
              const style = getComputedStyle(input);
              const ctx = document.createElement('canvas').getContext('2d');
              ctx.font = style.font;
              const room = input.clientWidth - parseFloat(style.paddingLeft)
                - parseFloat(style.paddingRight);
              return [room, ctx.measureText(input.placeholder).width];
            }"""
        )
        assert needed <= room, (label, needed, room)
        page.goto("/search?q=harbour+tun")
        marks = page.locator(".claim-card mark")
        # The words as typed are marked: the whole word, or the start that matched.
        assert [m.inner_text() for m in marks.all()][:2] == ["harbour", "tun"]
        # The claim's own markup is text, never HTML.
        assert page.locator(".claim-card b").count() == 0
        assert "<b>euros</b>" in page.locator(".claim-card-title").first.inner_text()
        shot(page, f"19-search-{label}")
        assert not axe_violations(page), label

        page.goto("/")
        shot(page, f"19-home-{label}")
        page.goto("/claims")
        form = page.locator("form.filters")
        if width < 768:
            assert not form.is_visible()
            page.get_by_text("Filters", exact=True).click()
            assert form.is_visible()
        else:
            assert form.is_visible()
            assert not page.locator(".filters-panel > summary").is_visible()
        date_input = page.locator("#filter-from")
        assert date_input.get_attribute("placeholder") == "YYYY-MM-DD"
        no_sideways_scroll(page, label)
        shot(page, f"19-claims-filters-{label}")
        assert not axe_violations(page), label


def test_desk_daily_paths_on_phone_and_desktop(new_page, make_claim, users):
    from factcheck.services import claims as claim_service

    researching = make_claim("researching", text="Ferries carry 9,000 people every day.")
    claim_service.add_evidence(
        users["fact_checker"],
        researching,
        claim_service.EvidenceInput(
            stance="refutes", url="https://ferries.example.org/2024", title="Ferry counts 2024"
        ),
    )
    in_review = make_claim("in_review", text="The tunnel will open in 2026 at a cost of 3 billion.")
    for width, label in WIDTHS:
        checker = new_page(width=width, height=844 if width < 800 else 900)
        sign_in(checker, users["fact_checker"].email, PASSWORD)

        # The desk menu: folded on a phone (one row), open on a desktop.
        nav = checker.locator("nav.desk-nav")
        if width < 768:
            assert not nav.is_visible()
            checker.get_by_text("Desk menu").click()
            assert nav.is_visible()
        else:
            assert nav.is_visible()
        no_sideways_scroll(checker, label)
        shot(checker, f"19-desk-dashboard-{label}")

        checker.goto("/desk/claims")
        first_row = checker.locator("table.claims-table tbody tr").first
        if width < 768:  # cards: each row a block, labelled cells
            assert first_row.evaluate("tr => getComputedStyle(tr).display") == "block"
        no_sideways_scroll(checker, label)
        shot(checker, f"19-desk-claims-{label}")
        assert not axe_violations(checker), label

        # One primary action per state, the others in a menu.
        checker.goto(f"/desk/claims/{researching.id}")
        bar = checker.locator(".workflow-bar")
        assert bar.get_by_role("button", name="Submit for review").is_visible()
        assert not bar.get_by_role("button", name="Dismiss").is_visible()
        # The timeline in plain words, revisions numbered 1, 2, 3; no row version.
        timeline = checker.locator("ol.timeline").inner_text()
        assert f"{users['fact_checker'].name} started research" in timeline
        assert "claim.start" not in timeline
        assert "version" not in checker.locator(".desk-claim header .meta").first.inner_text()
        # Removing evidence asks first.
        remove = checker.locator("details.confirm-remove").first
        assert not remove.get_by_role("button", name="Yes, remove it").is_visible()
        remove.locator("summary").click()
        assert remove.get_by_role("button", name="Yes, remove it").is_visible()
        assert "Refutes the claim" in checker.locator("#evidence").inner_text()
        no_sideways_scroll(checker, label)
        shot(checker, f"19-desk-claim-{label}")
        assert not axe_violations(checker), label

        # The verdict form beside the scale's definitions and the claim's evidence.
        checker.goto(f"/desk/claims/{researching.id}/verdict")
        aside = checker.locator("aside.verdict-aside")
        assert "Mostly true" in aside.inner_text()
        assert "Ferry counts 2024" in aside.inner_text()
        if width >= 1200:
            form_box = checker.locator("form.verdict-editor").bounding_box()
            aside_box = aside.bounding_box()
            assert form_box and aside_box and aside_box["x"] > form_box["x"] + form_box["width"] - 1
        no_sideways_scroll(checker, label)
        shot(checker, f"19-desk-verdict-form-{label}")
        assert not axe_violations(checker), label

        # A new piece of evidence: no stance is chosen for the fact-checker.
        checker.goto(f"/desk/claims/{researching.id}/evidence/new")
        assert checker.get_by_label("Stance").input_value() == ""
        checker.get_by_label("URL", exact=True).fill("https://ferries.example.org/2024")
        checker.get_by_role("button", name="Save evidence").click()
        checker.get_by_text("Choose whether this source supports").wait_for()

    editor = new_page(width=390, height=844)
    sign_in(editor, users["editor"].email, PASSWORD)
    header = editor.locator("header.site-header")
    assert "1 to review" in header.inner_text()
    editor.goto(f"/desk/claims/{in_review.id}")
    assert (
        editor.locator(".workflow-bar")
        .get_by_role("button", name="Review the verdict")
        .is_visible()
    )
    shot(editor, "19-desk-claim-in-review-phone")


def test_notifications_link_to_their_claim_and_are_counted_on_notifications(
    new_page, make_claim, users
):
    claim = make_claim("published")  # the author is told the fact-check is published
    checker = new_page(width=1280)
    sign_in(checker, users["fact_checker"].email, PASSWORD)
    link = checker.get_by_role("link", name=re.compile(r"^Notifications"))
    assert "1 unread" in link.inner_text()
    assert "unread" not in checker.get_by_role("link", name=re.compile(r"^Desk")).inner_text()
    link.click()
    checker.get_by_role("link", name=f"Open claim #{claim.id}").click()
    checker.wait_for_url(f"**/desk/claims/{claim.id}")
    shot(checker, "19-notifications-desktop")


def test_no_serious_accessibility_violations_on_public_and_desk_pages(new_page, make_claim, users):
    claim = published_with_relatives(make_claim)
    pending = make_claim("in_review", text="The tunnel will open in 2026 at a cost of 3 billion.")
    researching = make_claim("researching", text="Ferries carry 9,000 people every day.")
    failures = {}
    for width, _label in WIDTHS:
        reader = new_page(width=width)
        for path in [
            "/",
            "/claims",
            "/claims?rating=false&from=2025-01-01",
            f"/claims/{claim.id}",
            f"/speakers/{claim.speaker.slug}",
            "/search",
            "/search?q=city",
            "/search?q=zzzznothing",
            "/tips/new",
            "/login",
        ]:
            reader.goto(path)
            if v := axe_violations(reader):
                failures[f"{width} {path}"] = v
        editor = new_page(width=width)
        sign_in(editor, users["editor"].email, PASSWORD)
        for path in [
            "/desk/",
            "/desk/claims",
            "/desk/claims?status=published",
            "/desk/claims/new",
            f"/desk/claims/{pending.id}",
            f"/desk/claims/{pending.id}/review",
            f"/desk/claims/{researching.id}",
            f"/desk/claims/{researching.id}/verdict",
            f"/desk/claims/{researching.id}/evidence/new",
            f"/desk/claims/{claim.id}",
            "/desk/articles/import",
            "/desk/monitor",
            "/desk/feeds",
            "/desk/jobs",
            "/desk/tips",
            "/desk/speakers",
            "/desk/sources",
            "/desk/ratings",
            "/account/notifications",
            "/account/password",
        ]:
            editor.goto(path)
            if v := axe_violations(editor):
                failures[f"{width} {path}"] = v
    assert not failures, json.dumps(failures, indent=1)
