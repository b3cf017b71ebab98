"""Setting up the second factor in a real browser, at phone and desktop width."""

from __future__ import annotations

import pyotp

from ..conftest import PASSWORD
from .conftest import axe_violations, shot, sign_in


def test_enrolment_in_the_browser(new_page, users):
    for width, label in ((390, "phone"), (1280, "desktop")):
        page = new_page(width=width, height=900)
        sign_in(page, users["editor"].email if label == "phone" else users["admin"].email, PASSWORD)
        page.goto("/account/two-factor")
        page.get_by_role("button", name="Set up a second factor").click()
        page.wait_for_url("**/account/two-factor/enrol")
        svg = page.locator(".qr-code svg")
        box = svg.bounding_box()
        assert box is not None and 150 <= box["width"] <= 320 and box["x"] >= 0
        assert box["x"] + box["width"] <= width
        shot(page, f"08-two-factor-enrol-{label}")
        assert not axe_violations(page), label
        page.get_by_text("Cannot scan? Type this key instead").click()
        secret = page.locator("#totp-secret").inner_text().strip()
        page.get_by_label("The 6-digit code your app shows now").fill(pyotp.TOTP(secret).now())
        page.get_by_role("button", name="Turn on the second factor").click()
        page.get_by_role("heading", name="Your recovery codes").wait_for()
        assert page.locator("#recovery-codes li").count() == 10
        shot(page, f"09-two-factor-codes-{label}")
