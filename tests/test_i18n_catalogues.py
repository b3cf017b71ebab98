"""The message catalogues: complete in both languages, up to date with the sources.

CI runs these with the rest of the suite: a string marked for translation (``_()``,
``{% trans %}``, ``lazy_gettext``, ``N_``) that is missing from a catalogue, or left
untranslated there, fails the run; so does a catalogue older than the sources.
``make translations`` brings the catalogues up to date (docs/i18n.md).
"""

from __future__ import annotations

import gettext
import os
import re

import pytest
from babel.messages.catalog import Catalog
from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po

from factcheck.locales import LOCALES

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CATALOGUES = os.path.join(ROOT, "factcheck", "translations")
# n → its form: "1 фактчек" (0), "2 фактчеки" (1), "5 фактчеків" (2).
UKRAINIAN_FORMS = {
    0: 2, 1: 0, 2: 1, 4: 1, 5: 2, 11: 2, 12: 2, 14: 2, 21: 0, 22: 1, 25: 2, 101: 0, 111: 2, 1000: 2
}  # fmt: skip
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]|\{(\w*)\}")


def catalogue(code: str) -> Catalog:
    with open(os.path.join(CATALOGUES, code, "LC_MESSAGES", "messages.po"), "rb") as po:
        return read_po(po, locale=code)


def ids(cat: Catalog) -> set[str]:
    return {m.id if isinstance(m.id, str) else m.id[0] for m in cat if m.id}


@pytest.fixture(scope="module")
def extracted(tmp_path_factory) -> Catalog:
    """The sources' marked strings, extracted now the way `make translations` does."""
    out = tmp_path_factory.mktemp("pot") / "messages.pot"
    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        CommandLineInterface().run(
            ["pybabel", "-q", "extract", "-F", "babel.cfg", "-k", "_l", "-k", "lazy_gettext",
             "-k", "lazy_ngettext:1,2", "-k", "N_", "-k", "tr", "-k", "ntr:1,2", "--ignore-dirs", ".* __pycache__", "--no-location", "-o", str(out), "."]
        )  # fmt: skip
    finally:
        os.chdir(cwd)
    with open(out, "rb") as pot:
        return read_po(pot)


@pytest.mark.parametrize("code", LOCALES)
def test_catalogue_holds_every_marked_string(code, extracted):
    have = ids(catalogue(code))
    wanted = ids(extracted)
    missing = sorted(wanted - have)
    stale = sorted(have - wanted)
    assert not missing, (
        f"{len(missing)} strings not in {code}: run `make translations`: {missing[:10]}"
    )
    assert not stale, f"{len(stale)} strings no longer in the sources ({code}): {stale[:10]}"


@pytest.mark.parametrize("code", LOCALES)
def test_every_string_is_translated(code):
    cat = catalogue(code)
    untranslated = []
    for message in cat:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy or not all(s and s.strip() for s in strings):
            untranslated.append(message.id)
    assert not untranslated, f"{len(untranslated)} untranslated in {code}: {untranslated[:10]}"


@pytest.mark.parametrize("code", LOCALES)
def test_translations_keep_their_placeholders(code):
    """A translation names the same %(name)s placeholders as its English text."""
    for message in catalogue(code):
        if not message.id:
            continue
        sources = message.id if isinstance(message.id, tuple) else (message.id,)
        wanted = {m for s in sources for m in PLACEHOLDER.findall(s)} - {("num", "")}
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for string in strings:
            found = set(PLACEHOLDER.findall(string)) - {("num", "")}
            assert found == wanted, f"{code}: {message.id!r} → {string!r}"


def test_ukrainian_has_three_plural_forms():
    cat = catalogue("uk")
    assert cat.num_plurals == 3
    form = gettext.c2py(cat.plural_expr)
    assert {n: form(n) for n in UKRAINIAN_FORMS} == UKRAINIAN_FORMS
    for message in cat:
        if message.pluralizable and message.id:
            assert len(message.string) == 3 and all(message.string), message.id


def test_translated_text_reaches_the_page(client):
    """The compiled catalogue is the one the app reads (not a stale or absent .mo)."""
    english = client.get("/").get_data(as_text=True)
    ukrainian = client.get("/uk/").get_data(as_text=True)
    assert "Skip to content" in english
    assert "Перейти до змісту" in ukrainian and "Skip to content" not in ukrainian
