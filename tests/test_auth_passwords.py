"""The password rules: 12 to 128 characters, not a common password, no composition rules."""

from __future__ import annotations

import pytest
from zxcvbn.frequency_lists import FREQUENCY_LISTS

from factcheck.services import passwords
from factcheck.services.passwords import password_problem

COMMON = ("password1234", "qwertyuiop123")


def test_the_common_examples_are_in_the_list_that_is_checked():
    checked = FREQUENCY_LISTS["passwords"][: passwords.COMMON_PASSWORDS_CHECKED]
    assert len(checked) == 30000
    for word in COMMON:
        assert word in checked


@pytest.mark.parametrize(
    ("password", "refused"),
    [
        ("a" * 3 + "bcdefghi" + "j", False),  # 12
        ("abcdefghijk", True),  # 11
        ("x" * 11, True),
        ("tiny words!", True),  # 11 with a space
        ("q" + "wertzuiopas" * 11 + "dfghjklyxcvbnm"[:6], False),  # 128
        ("q" + "wertzuiopas" * 11 + "dfghjklyxcvbnm"[:7], True),  # 129
        ("password1234", True),
        ("qwertyuiop123", True),
        ("PASSWORD1234", True),  # case does not make a common password rare
        ("aaaaaaaaaaaaaaaa", True),  # one character repeated
        # No composition rules: lower case only, or no digits, or no symbols, is fine.
        ("correct horse battery staple", False),
        ("onlylowercaseletters", False),
        ("ÜBERLANGES-PASSWORT", False),
        ("日本語のパスワードです", True),  # 11 characters
        ("日本語のパスワードですね", False),  # 12 characters
    ],
)
def test_length_and_commonness_decide(password, refused):
    assert (password_problem(password) is not None) is refused, password_problem(password)


def test_boundaries_are_exact():
    assert password_problem("k" + "e7" * 5 + "z") is None  # 12
    assert password_problem("e7" * 5 + "z") == "Use at least 12 characters."  # 11
    assert password_problem("k" + "e7x" * 42 + "z") is None  # 128
    assert password_problem("kk" + "e7x" * 42 + "z") == "Use at most 128 characters."  # 129


def test_the_persons_own_name_or_email_is_refused():
    assert password_problem("ilse.fictional@example.org", email="ilse.fictional@example.org")
    assert password_problem("Ilse  Fictional Person", name="Ilse Fictional Person")
    assert password_problem("a different phrase", email="x@example.org", name="Ilse") is None


def test_the_rules_apply_when_an_admin_or_a_link_sets_the_password(app, client, users):
    from factcheck.services import accounts

    issued = accounts.issue_password_link(users["admin"], users["editor"], "reset")
    url = f"/set-password/{issued.secret}"
    for bad, message in (
        ("abcdefghijk", "at least 12"),
        ("qwertyuiop123", "most common"),
        ("x" * 129, "Field cannot be longer than 128 characters."),
    ):
        resp = client.post(url, data={"password": bad, "confirm": bad})
        assert message in resp.get_data(as_text=True), bad
    ok = "plain lower case words"
    assert client.post(url, data={"password": ok, "confirm": ok}).status_code == 302


def test_hashes_are_argon2id_with_the_standard_cost_outside_tests(app):
    from config import TestConfig
    from factcheck import create_app

    production_like = create_app(TestConfig, TESTING=False)
    with production_like.app_context():
        hashed = passwords.hash_password("plain lower case words")
    assert hashed.startswith("$argon2id$v=19$m=65536,t=3,p=4$")
    assert passwords.verify_password(hashed, "plain lower case words")
    assert not passwords.verify_password(hashed, "plain lower case word")
    assert not passwords.verify_password(None, "dummy password for timing equality")
    # A cheap test hash is upgraded at the next sign-in.
    assert passwords.hash_password("x").startswith("$argon2id$v=19$m=1024,t=1,p=1$")
    with production_like.app_context():
        assert passwords.needs_rehash(passwords._hasher("fast").hash("x"))
