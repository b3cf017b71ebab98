"""The main journey in a real browser: import, accept, evidence, verdict, review, publish, read."""

from __future__ import annotations

import json
import re

from ..conftest import PASSWORD
from .conftest import axe_violations, shot, sign_in

ARTICLE = """date 2025-04-08 Harbour Gazette
Economy
10:40 08.04.2025

Port director defends fee increase

Port director Lena Marsh said on Tuesday that fees at the Saltmere port rose by 12% in 2024.
She noted that the port handled 2.4 million containers last year, more than any other port in the region.
Marsh added that the new terminal is the best thing that has ever happened to the city.
"""


def test_import_to_publication_in_the_browser(new_page, users, ratings):
    checker = new_page()
    sign_in(checker, users["fact_checker"].email, PASSWORD)
    checker.get_by_role("link", name="Import an article").click()
    checker.get_by_label("Paste the article").fill(ARTICLE)
    checker.get_by_role("button", name="Import").click()
    checker.wait_for_url(re.compile(r"/desk/articles/\d+"))
    shot(checker, "01-import-candidates")
    candidate = checker.locator("li.candidate", has_text="12%").first
    candidate.get_by_text("Edit before accepting").click()
    candidate.get_by_label("Claim").fill("Fees at the Saltmere port rose by 12% in 2024.")
    candidate.get_by_role("button", name="Accept as edited").click()
    checker.get_by_text(re.compile(r"Claim #\d+ logged")).wait_for()
    checker.locator("li.candidate", has_text="12%").get_by_role(
        "link", name=re.compile(r"claim #\d+")
    ).click()
    claim_url = checker.url
    claim_id = int(claim_url.rsplit("/", 1)[1])

    # One visible primary action per state: no toggle before the button.
    checker.get_by_role("button", name="Start research").click()
    checker.get_by_text("Research started.").wait_for()
    checker.get_by_role("button", name="Add evidence").click()
    checker.get_by_label("Stance").select_option("refutes")
    checker.get_by_label("URL", exact=True).fill("https://stats.example.org/saltmere-port-2024")
    checker.get_by_label("Title").fill("Saltmere port annual statistics 2024")
    checker.get_by_label("Excerpt").fill("Fees rose by 7% in 2024.")
    checker.get_by_role("button", name="Save evidence").click()
    checker.get_by_text("Evidence added.").wait_for()
    checker.get_by_role("button", name="Write the verdict").click()
    checker.get_by_label("Rating").select_option("mostly-false")
    checker.get_by_label("One-line summary").fill("Fees rose by 7%, not 12%.")
    checker.get_by_label("Explanation (Markdown)").fill(
        "The port's **annual statistics** show a 7% rise."
    )
    checker.get_by_role("button", name="Preview").click()
    checker.locator(".preview strong", has_text="annual statistics").wait_for()
    checker.get_by_role("button", name="Save revision").click()
    checker.get_by_text("Verdict saved as revision 1.").wait_for()
    checker.get_by_role("button", name="Submit for review").click()
    checker.get_by_text("Submitted for review.").wait_for()
    shot(checker, "02-claim-submitted")

    editor = new_page()
    sign_in(editor, users["editor"].email, PASSWORD)
    editor.goto(f"/desk/claims/{claim_id}/review")
    editor.get_by_label("What should change? (required)").fill(
        "Cite the page number of the statistics."
    )
    editor.get_by_role("button", name="Send back").click()
    editor.get_by_text("Sent back to research.").wait_for()

    checker.goto(f"/desk/claims/{claim_id}/verdict")
    checker.get_by_label("Explanation (Markdown)").fill(
        "The port's **annual statistics** (page 4) show a 7% rise."
    )
    checker.get_by_role("button", name="Save revision").click()
    checker.get_by_text("Verdict saved as revision 2.").wait_for()
    checker.get_by_role("button", name="Submit for review").click()
    checker.get_by_text("Submitted for review.").wait_for()

    editor.goto(f"/desk/claims/{claim_id}/review")
    editor.locator(".diff ins").first.wait_for()
    shot(editor, "03-review-diff")
    editor.get_by_role("button", name=re.compile("Approve")).click()
    editor.get_by_text("Approved and published.").wait_for()

    reader = new_page()
    reader.goto(f"/claims/{claim_id}")
    reader.get_by_text("Mostly false").first.wait_for()
    reader.get_by_text("Fees rose by 7%, not 12%.").first.wait_for()
    shot(reader, "04-public-claim")
    blocks = [
        json.loads(t)
        for t in reader.locator('script[type="application/ld+json"]').all_text_contents()
    ]
    review = next(b for b in blocks if b.get("@type") == "ClaimReview")
    assert review["claimReviewed"] == "Fees at the Saltmere port rose by 12% in 2024."
    assert review["reviewRating"]["alternateName"] == "Mostly false"
    reader.goto("/search?q=saltmere")
    reader.get_by_role("link", name=re.compile("Saltmere port rose")).first.wait_for()
    shot(reader, "05-search")


def test_signing_in_and_logging_a_claim_with_the_keyboard_alone(new_page, users):
    page = new_page()
    page.goto("/login")
    page.keyboard.press("Tab")  # the skip link comes first
    page.focus("#email")
    page.keyboard.type(users["fact_checker"].email)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url("**/desk/")
    page.goto("/desk/claims/new")
    page.focus("#text")
    page.keyboard.type("The ferry carries 9,000 passengers every day.")
    page.keyboard.press("Tab")  # quote
    page.keyboard.press("Tab")  # speaker
    assert page.evaluate("document.activeElement.id") == "speaker"
    page.keyboard.type("Ann Ferryman")
    page.keyboard.press("Enter")  # submits the form
    page.get_by_text(re.compile(r"Claim #\d+ logged")).wait_for()
    # Every interactive element on the claim page is reachable with Tab and shows focus.
    seen = set()
    for _ in range(60):
        page.keyboard.press("Tab")
        seen.add(page.evaluate("document.activeElement.textContent.trim().slice(0, 40)"))
    assert "Add evidence" in seen and "Edit claim" in seen


def test_no_serious_accessibility_violations_on_main_pages(new_page, users, make_claim):
    claim = make_claim("published")
    pending = make_claim("in_review", text="The tunnel will open in 2026 at a cost of 3 billion.")
    reader = new_page()
    failures = {}
    for path in [
        "/",
        "/claims",
        f"/claims/{claim.id}",
        f"/speakers/{claim.speaker.slug}",
        "/search?q=city",
        "/login",
    ]:
        reader.goto(path)
        if v := axe_violations(reader):
            failures[path] = v
    editor = new_page()
    sign_in(editor, users["editor"].email, PASSWORD)
    for path in [
        "/desk/",
        "/desk/claims",
        "/desk/claims/new",
        f"/desk/claims/{pending.id}",
        f"/desk/claims/{pending.id}/review",
        "/desk/articles/import",
        "/desk/speakers",
        "/desk/ratings",
    ]:
        editor.goto(path)
        if v := axe_violations(editor):
            failures[path] = v
    assert not failures, json.dumps(failures, indent=1)


def test_claim_and_speaker_pages_on_phone_and_desktop(new_page, make_claim):
    claim = make_claim("published")
    for width, label in ((390, "phone"), (1280, "desktop")):
        page = new_page(width=width, height=844 if width < 800 else 900)
        page.goto(f"/claims/{claim.id}")
        shot(page, f"06-claim-{label}")
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), (
            f"horizontal scroll on {label}"
        )
        page.goto(f"/speakers/{claim.speaker.slug}")
        shot(page, f"07-speaker-{label}")
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), (
            f"horizontal scroll on {label}"
        )
