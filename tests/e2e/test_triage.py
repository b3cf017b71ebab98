"""The triage screen in a real browser: keyboard flow, both directions of the
sentence links, and how it looks on a phone and a desktop."""

from __future__ import annotations

import re
from pathlib import Path

from ..conftest import PASSWORD
from .conftest import ARTIFACTS, axe_violations, shot, sign_in

SAMPLE_NAME = "interfax-2025-02-13-hegseth.txt"
FICTIONAL = """date 2025-04-08 Harbour Gazette
Economy
10:40 08.04.2025

Port director defends fee increase

Port director Lena Marsh said on Tuesday that fees at the Saltmere port rose by 12% in 2024.

She noted that the port handled 2.4 million containers last year, more than any other port in the region.

"Is that not a success?" Marsh asked, adding that she feels proud of the team.

Marsh added that the new terminal is the best thing that has ever happened to the city.
"""


def _article_text() -> str:
    """The real newsroom sample when it sits beside the repository, else a fictional one."""
    for root in Path(__file__).resolve().parents[2:5]:
        sample = root / "shared" / "samples" / SAMPLE_NAME
        if sample.is_file():
            return sample.read_text(encoding="utf-8")
    return FICTIONAL


def test_triage_with_the_keyboard_on_desktop_and_phone(new_page, users):
    page = new_page(1280, 900)
    sign_in(page, users["fact_checker"].email, PASSWORD)
    page.goto("/desk/articles/import")
    page.get_by_label("Paste the article").fill(_article_text())
    page.get_by_role("button", name="Import").click()
    page.wait_for_url(re.compile(r"/desk/articles/\d+"))
    cards = page.locator("li.candidate")
    assert cards.count() >= 3
    shot(page, "triage-1280")
    page.screenshot(path=str(ARTIFACTS / "triage-1280-viewport.png"))
    assert axe_violations(page) == []

    # The first card is current on arrival; j moves down, k back up.
    first = cards.nth(0)
    assert "is-current" in (first.get_attribute("class") or "")
    page.keyboard.press("j")
    assert "is-current" in (cards.nth(1).get_attribute("class") or "")
    page.keyboard.press("k")

    # A click on a marked sentence selects its card.
    third_id = cards.nth(2).get_attribute("data-candidate")
    page.locator(f"#sentence-{third_id}").click()
    assert "is-current" in (cards.nth(2).get_attribute("class") or "")
    page.keyboard.press("k")
    page.keyboard.press("k")

    # d discards the current card; its message is shown on the card.
    first_id = first.get_attribute("data-candidate")
    page.keyboard.press("d")
    page.wait_for_url(re.compile(rf"focus={first_id}"))
    card = page.locator(f"#candidate-{first_id}")
    card.get_by_text("Candidate discarded.").wait_for()
    assert "(discarded)" in card.inner_text()

    # j to the next one, a to accept it as shown: the card shows the saved claim.
    page.keyboard.press("j")
    second_id = page.locator("li.candidate.is-current").get_attribute("data-candidate")
    page.keyboard.press("a")
    page.wait_for_url(re.compile(rf"focus={second_id}"))
    accepted = page.locator(f"#candidate-{second_id}")
    accepted.get_by_text(re.compile(r"Claim #\d+ logged\.")).wait_for()
    assert accepted.get_by_role("link", name=re.compile(r"claim #\d+")).is_visible()

    # e opens the editor of the current card; Escape closes it.
    page.keyboard.press("j")
    page.keyboard.press("e")
    current = page.locator("li.candidate.is-current")
    assert current.locator("details[open] textarea").is_visible()
    page.keyboard.press("Escape")
    assert current.locator("details[open]").count() == 0
    shot(page, "triage-1280-after")
    page.screenshot(path=str(ARTIFACTS / "triage-1280-after-viewport.png"))

    phone = new_page(390, 844)
    sign_in(phone, users["editor"].email, PASSWORD)
    phone.goto(page.url.split("?")[0])
    phone.locator("li.candidate").first.wait_for()
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways on a phone ({width}px)"
    shot(phone, "triage-390")
    phone.screenshot(path=str(ARTIFACTS / "triage-390-viewport.png"))
