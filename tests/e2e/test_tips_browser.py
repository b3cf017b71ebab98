"""Readers' tips in the browser: a reader asks, is answered or gets a link; an editor sees demand."""

from __future__ import annotations

import re

from ..test_tips import TEN_WORDINGS
from .conftest import axe_violations, shot, sign_in


def test_a_reader_is_answered_on_the_spot_and_the_desk_sees_demand(
    app, new_page, make_claim, users
):
    from tests.conftest import PASSWORD

    app.config.update(TIPS_RATE_PER_ADDRESS="1000 per minute", TIPS_RATE_GLOBAL="10000 per hour")
    published = make_claim("published", text="The city spent 40 million euros on roads in 2024.")
    for width, label in ((390, "phone"), (1280, "desktop")):
        reader = new_page(width=width)
        reader.goto("/")
        reader.get_by_role("link", name="Ask for a check").click()
        reader.get_by_label("What was said?").fill(
            "Is it true the city spent €40m on roads in 2024?"
        )
        reader.get_by_label("Where did you see it?").fill("A leaflet in my letterbox")
        reader.get_by_role("button", name="Have you checked this already?").click()
        reader.get_by_role("heading", name="We have already checked this").wait_for()
        assert reader.locator(f"a[href^='/claims/{published.id}-']").count() >= 1
        shot(reader, f"tips-answered-before-sending-{label}")
        assert not axe_violations(reader), label

        reader.get_by_label("What was said?").fill(TEN_WORDINGS[0])
        reader.get_by_role("button", name="Send my request").click()
        reader.wait_for_url(re.compile(r".*/tips/[A-Za-z0-9_-]{32}$"))
        assert "Received" in reader.content()
        shot(reader, f"tips-status-received-{label}")
        assert not axe_violations(reader), label
        # No sideways scrolling on a phone.
        assert reader.evaluate("document.documentElement.scrollWidth") <= width + 1

    editor = new_page()
    sign_in(editor, users["editor"].email, PASSWORD)
    editor.goto("/desk/tips")
    editor.get_by_role("heading", name=re.compile("tram line")).wait_for()
    shot(editor, "tips-desk-groups-desktop")
    assert not axe_violations(editor)
