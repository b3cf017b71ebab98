"""The interface in English and Ukrainian: the language of each request, the /uk/ public
site, the account setting, translated ratings, locale formats, and no English left on
Ukrainian pages outside the claims themselves."""

from __future__ import annotations

import html
import os
import re
import xml.etree.ElementTree as ET  # noqa: S405  (our own sitemap)

import pytest
from babel.messages.pofile import read_po
from flask_babel import force_locale, ngettext

from factcheck.extensions import db
from factcheck.models import Rating, User

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PUBLIC_PATHS = ("/", "/claims", "/search", "/search?q=roads", "/tips/new")
# English words that cannot appear on a Ukrainian page outside the claims, names and
# machine words (API, URL, CSV, ClaimReview, Atom...).
ENGLISH_WORDS = re.compile(
    r"\b(the|and|of|with|fact-checks?|search|claims?|speakers?|sources?|rating|published|"
    r"sign in|sign out|page|next|older|newer|evidence|verdict|desk|review)\b",
    re.IGNORECASE,
)


def visible_text(page: str) -> str:
    """What a reader sees, less the parts in another language (claims carry lang=)."""
    page = re.sub(r"(?is)<(script|style|head)\b.*?</\1>", " ", page)
    # Elements written in the claim's own language (or the language switch's name).
    for _ in range(3):
        page = re.sub(
            r'(?is)<(\w+)\b[^>]*\blang="(?!uk")[^"]*"[^>]*>.*?</\1>', " ", page
        )  # fmt: skip
    # The desk's own writing (the explanation, the evidence it cites) is content, too.
    page = re.sub(r'(?is)<div class="explanation">.*?</div>', " ", page)
    page = re.sub(r'(?is)<ol class="evidence-list">.*?</ol>', " ", page)
    page = re.sub(r"(?s)<[^>]+>", " ", page)
    return " ".join(html.unescape(page).split())


def english_catalogue() -> list[str]:
    path = os.path.join(ROOT, "factcheck", "translations", "en", "LC_MESSAGES", "messages.po")
    with open(path, "rb") as po:
        catalogue = read_po(po, locale="en")
    texts = []
    for message in catalogue:
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        for text in ids:
            # Whole sentences without placeholders or markup, at least three words.
            if text and "%" not in text and "<" not in text and len(text.split()) >= 3:
                texts.append(text)
    return texts


def untranslated_on(page: str) -> list[str]:
    text = visible_text(page)
    found = [t for t in english_catalogue() if t in text]
    return found + ENGLISH_WORDS.findall(text)


@pytest.mark.parametrize("path", PUBLIC_PATHS)
def test_every_public_page_answers_under_uk(client, ukrainian_claim, path):
    ukrainian_claim()
    english = client.get(path)
    ukrainian = client.get("/uk" + path if path != "/" else "/uk/")
    assert english.status_code == ukrainian.status_code == 200
    assert '<html lang="en">' in english.get_data(as_text=True)
    page = ukrainian.get_data(as_text=True)
    assert '<html lang="uk">' in page
    assert 'hreflang="en" href="http://localhost' in page
    assert 'hreflang="uk" href="http://localhost/uk' in page
    assert untranslated_on(page) == []


def test_claim_and_profile_pages_in_ukrainian(client, ukrainian_claim):
    claim = ukrainian_claim()
    ref = f"{claim.id}-{claim.slug}"
    page = client.get(f"/uk/claims/{ref}").get_data(as_text=True)
    # The claim keeps its language; the page around it is Ukrainian, dates included.
    assert f'<h1 lang="uk">“{claim.text}”</h1>' in page
    assert "15 січня 2025" in page
    assert "Наша оцінка:" in page and "Що ми з’ясували" in page
    # Links stay in the reader's language; the switch leads to the same page in English.
    assert f'href="/uk/speakers/{claim.speaker.slug}"' in page
    assert f'href="/claims/{ref}" hreflang="en"' in page
    assert untranslated_on(page) == []
    profile = client.get(f"/uk/speakers/{claim.speaker.slug}").get_data(as_text=True)
    assert "1 опублікований фактчек за оцінками." in profile
    assert untranslated_on(profile) == []
    english = client.get(f"/claims/{ref}").get_data(as_text=True)
    assert "15 January 2025" in english and "Our rating:" in english
    assert f'<h1 lang="uk">“{claim.text}”</h1>' in english  # the claim keeps its language


def test_feeds_and_sitemap_under_uk(client, make_claim):
    claim = make_claim("published")
    for path in ("/uk/feed.atom", "/uk/claimreview.json", "/uk/ratings.css", "/uk/sitemap.xml"):
        assert client.get(path).status_code == 200, path
    sitemap = ET.fromstring(client.get("/sitemap.xml").data)  # noqa: S314
    locs = [u.findtext("{http://www.sitemaps.org/schemas/sitemap/0.9}loc") for u in sitemap]
    assert f"http://localhost/claims/{claim.id}-{claim.slug}" in locs
    assert f"http://localhost/uk/claims/{claim.id}-{claim.slug}" in locs


def test_unknown_uk_address_is_a_ukrainian_404(client):
    resp = client.get("/uk/no-such-page")
    assert resp.status_code == 404
    page = resp.get_data(as_text=True)
    assert '<html lang="uk">' in page and "Не знайдено" in page


def test_ukrainian_plural_forms(app):
    with app.app_context(), app.test_request_context("/"), force_locale("uk"):
        forms = {
            n: str(ngettext("%(num)s fact-check", "%(num)s fact-checks", n))
            for n in (1, 3, 5, 11, 21, 22)
        }
    assert forms == {
        1: "1 фактчек",
        3: "3 фактчеки",
        5: "5 фактчеків",
        11: "11 фактчеків",
        21: "21 фактчек",
        22: "22 фактчеки",
    }


def test_rating_names_per_language(client, make_claim, login_as):
    claim = make_claim("published", rating="false")
    rating = db.session.scalar(db.select(Rating).where(Rating.slug == "false"))
    path = f"/claims/{claim.id}-{claim.slug}"
    # The default scale comes with its Ukrainian names.
    assert ">Неправда</span>" in client.get("/uk" + path).get_data(as_text=True)

    def save(name_uk, description_uk):
        current = db.session.get(Rating, rating.id)
        resp = login_as("editor").post(
            f"/desk/ratings/{rating.id}/edit",
            data={
                "version": current.version,
                "name": current.name,
                "ordinal": current.ordinal,
                "colour": current.colour,
                "description": current.description,
                "name_uk": name_uk,
                "description_uk": description_uk,
            },
        )
        assert resp.status_code == 302, resp.get_data(as_text=True)[:400]

    save("Хибне твердження", "Не відповідає фактам.")
    page = client.get("/uk" + path).get_data(as_text=True)
    assert ">Хибне твердження</span>" in page and "Не відповідає фактам." in page
    assert f">{rating.name}</span>" in client.get(path).get_data(as_text=True)
    # Without a Ukrainian name the English one shows, marked as English for screen readers.
    save("", "")
    page = client.get("/uk" + path).get_data(as_text=True)
    assert f'lang="en">{rating.name}</span>' in page


def test_desk_marks_a_rating_without_translation(login_as, users, ratings):
    from factcheck.services import ratings as rating_service

    rating_service.create_rating(
        users["editor"], name="Satire", ordinal=None, description="A joke.", colour="#52606d"
    )
    editor = login_as("editor")
    page = editor.get("/desk/ratings").get_data(as_text=True)
    assert "missing: readers see the English name" in page  # shown to an English desk too
    editor.post("/account/language", data={"locale": "uk"})
    page = editor.get("/desk/ratings").get_data(as_text=True)
    assert '<html lang="uk">' in page
    assert '<span lang="en">Satire</span> <small class="fallback-marker"' in page
    assert "(без перекладу)" in page
    assert ">Правда<" in page  # a translated default rating has no marker


@pytest.mark.parametrize("role", ["fact_checker", "editor", "admin"])
def test_each_role_chooses_the_desk_language(login_as, users, ukrainian_newsroom, role):
    staff = login_as(role)
    assert '<html lang="en">' in staff.get("/desk/").get_data(as_text=True)
    page = staff.get("/account/language").get_data(as_text=True)
    assert 'name="locale"' in page
    resp = staff.post("/account/language", data={"locale": "uk"})
    assert resp.status_code == 302
    assert db.session.get(User, users[role].id).locale == "uk"
    desk = staff.get("/desk/").get_data(as_text=True)
    assert '<html lang="uk">' in desk and "Редакція" in desk
    assert untranslated_on(desk) == []
    # Back to the browser's choice.
    staff.post("/account/language", data={"locale": ""})
    assert db.session.get(User, users[role].id).locale is None


def test_language_setting_needs_a_sign_in_and_a_known_language(client, login_as):
    resp = client.get("/account/language")
    assert resp.status_code == 302 and "/login" in resp.headers["Location"]
    assert client.post("/account/language", data={"locale": "uk"}).status_code in (302, 400)
    staff = login_as("fact_checker")
    resp = staff.post("/account/language", data={"locale": "xx"})
    assert resp.status_code == 200
    assert "Not a valid choice" in resp.get_data(as_text=True)


def test_accept_language_for_anonymous_desk_pages_and_the_api(client):
    page = client.get("/login", headers={"Accept-Language": "uk,en;q=0.5"})
    assert '<html lang="uk">' in page.get_data(as_text=True)
    assert "Увійти" in page.get_data(as_text=True)
    resp = client.get("/api/v1/claims/999999", headers={"Accept-Language": "uk"})
    body = resp.get_json()
    assert resp.status_code == 404 and body["error"]["status"] == 404
    assert not re.search(r"[a-zA-Z]{4}", body["error"]["message"]), body
    english = client.get("/api/v1/claims/999999").get_json()
    assert re.search(r"[a-zA-Z]{4}", english["error"]["message"])


def test_workflow_refusals_in_the_desk_language(login_as, make_claim):
    claim = make_claim("researching")
    checker = login_as("fact_checker")
    checker.post("/account/language", data={"locale": "uk"})
    resp = checker.post(
        f"/desk/claims/{claim.id}/transition",
        data={"action": "submit", "version": claim.version},
        follow_redirects=True,
    )
    page = resp.get_data(as_text=True)
    assert "Перш ніж надіслати вердикт на перевірку, потрібні: оцінка, підсумок" in page


def test_numbers_and_percentages_follow_the_locale(app):
    from factcheck.web.i18n import format_number, format_percent

    with app.app_context(), app.test_request_context("/uk/"):
        assert format_number(12345) == "12\xa0345"
        assert format_percent(0.25) == "25%"
        assert format_number(0.5, 2) == "0,50"
    with app.app_context(), app.test_request_context("/"):
        assert format_number(12345) == "12,345"
        assert format_number(0.5, 2) == "0.50"


def test_public_list_filters_by_the_claims_language(client, make_claim):
    make_claim("published", text="The harbour handled nine million tonnes in 2024.")
    make_claim(
        "published",
        text="Порт обробив дев’ять мільйонів тонн у 2024 році.",
        speaker="Olena Vyhadana",
        language="uk",
    )
    page = client.get("/uk/claims?lang=uk").get_data(as_text=True)
    assert "дев’ять мільйонів" in page and "nine million" not in page
    assert '<option value="uk" lang="uk" selected>українська</option>' in page
    english = client.get("/claims?lang=en").get_data(as_text=True)
    assert "nine million" in english and "дев’ять мільйонів" not in english
    assert "English" in english
    refused = client.get("/uk/claims?lang=xx").get_data(as_text=True)
    assert "Серед тверджень немає мови «xx», тож фільтр пропущено." in refused
