"""The interface in Ukrainian in a real browser: the public site under /uk/ and the desk of a
person who chose Ukrainian. Text fits (no horizontal scroll, no clipped buttons), nothing is
left in English outside the claims, axe-core finds nothing serious; screenshots go to
test-artifacts/ (i18n-*.png)."""

from __future__ import annotations

import json
import re
from typing import Any

from ..conftest import PASSWORD
from ..test_i18n import ENGLISH_WORDS, english_catalogue
from .conftest import axe_violations, shot, sign_in

# The text a reader sees, without the parts in another language (claims carry lang=).
VISIBLE_TEXT = """() => {
  const copy = document.body.cloneNode(true);
  copy.querySelectorAll('[lang]:not([lang="uk"]), script, style').forEach(e => e.remove());
  // The desk's own writing and the sources it cites are content, not interface.
  copy.querySelectorAll('.explanation, .evidence-list, .diff p, .desk-evidence, .evidence-title')
    .forEach(e => e.remove());
  return copy.innerText;
}"""
# Buttons, links styled as buttons and badges whose text does not fit their box.
CLIPPED = """() => [...document.querySelectorAll('button, [role=button], .badge, .status, .rating-badge')]
  .filter(e => e.offsetParent !== null && e.scrollWidth > e.clientWidth + 1)
  .map(e => e.innerText.trim())"""


def english_left(page: Any) -> list[str]:
    text = " ".join(page.evaluate(VISIBLE_TEXT).split())
    return [t for t in english_catalogue() if t in text] + ENGLISH_WORDS.findall(text)


def check(page: Any, name: str, failures: dict[str, Any], *, width: int) -> None:
    shot(page, name)
    problems: dict[str, Any] = {}
    if not page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"):
        problems["horizontal scroll"] = width
    if clipped := page.evaluate(CLIPPED):
        problems["clipped"] = clipped
    if english := english_left(page):
        problems["english"] = english
    if page.evaluate("document.documentElement.lang") != "uk":
        problems["lang"] = page.evaluate("document.documentElement.lang")
    if violations := axe_violations(page):
        problems["axe"] = violations
    if problems:
        failures[name] = problems


def test_public_pages_in_ukrainian_on_phone_and_desktop(new_page, ukrainian_claim, make_claim):
    claim = ukrainian_claim()
    # A claim made in English, checked by the Ukrainian desk (its summary is Ukrainian).
    make_claim(
        "published",
        text="The harbour handled nine million tonnes in 2024.",
        summary="Порт обробив 6,1 мільйона тонн, а не дев’ять.",
    )
    failures: dict[str, Any] = {}
    for width, label in ((390, "phone"), (1280, "desktop")):
        page = new_page(width=width, height=844 if width < 800 else 900)
        for path, name in (
            ("/uk/", "home"),
            ("/uk/claims", "claims"),
            (f"/uk/claims/{claim.id}-{claim.slug}", "claim"),
            (f"/uk/speakers/{claim.speaker.slug}", "speaker"),
            ("/uk/search?q=2024", "search"),
            ("/uk/tips/new", "tip"),
        ):
            page.goto(path)
            check(page, f"i18n-public-{name}-{label}", failures, width=width)
    assert not failures, json.dumps(failures, indent=1, ensure_ascii=False)


def test_the_language_switch_keeps_the_page(new_page, ukrainian_claim):
    claim = ukrainian_claim()
    page = new_page()
    page.goto(f"/claims/{claim.id}-{claim.slug}")
    assert page.evaluate("document.documentElement.lang") == "en"
    page.get_by_role("link", name="Українська").click()
    page.wait_for_url(f"**/uk/claims/{claim.id}-{claim.slug}")
    assert page.evaluate("document.documentElement.lang") == "uk"
    assert page.get_by_role("heading", name="Що ми з’ясували").is_visible()
    page.get_by_role("link", name="English").click()
    page.wait_for_url(f"**/claims/{claim.id}-{claim.slug}")
    assert "/uk/" not in page.url


def test_desk_in_ukrainian(new_page, users, ukrainian_claim, make_claim):
    published = ukrainian_claim()
    pending = make_claim(
        "in_review",
        text="Тунель відкриють у 2026 році, він коштуватиме 3 мільярди.",
        summary="Кошторис тунелю — 4,2 мільярда, і відкриття перенесли на 2027 рік.",
        language="uk",
    )
    editor = new_page()
    sign_in(editor, users["editor"].email, PASSWORD)
    editor.goto("/account/language")
    editor.get_by_label("Language of the desk").select_option("uk")
    editor.get_by_role("button", name="Save").click()
    editor.wait_for_url("**/account/language")
    assert editor.get_by_text("Мову збережено.").is_visible()
    failures: dict[str, Any] = {}
    for path, name in (
        ("/desk/", "dashboard"),
        ("/desk/claims", "claims"),
        (f"/desk/claims/{pending.id}", "claim"),
        (f"/desk/claims/{pending.id}/review", "review"),
        (f"/desk/claims/{published.id}", "published"),
        ("/desk/ratings", "ratings"),
        ("/desk/tips", "tips"),
        ("/account/language", "language"),
    ):
        editor.goto(path)
        check(editor, f"i18n-desk-{name}", failures, width=1280)
    # The review decision in Ukrainian: the four-eyes refusal is Ukrainian too.
    editor.goto(f"/desk/claims/{pending.id}/review")
    assert editor.get_by_role("button", name=re.compile("Затвердити")).is_visible()
    assert editor.get_by_role("button", name="Повернути на доопрацювання").is_visible()
    assert not failures, json.dumps(failures, indent=1, ensure_ascii=False)
