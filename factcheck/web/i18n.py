"""The interface's language: Flask-Babel, the locale of each request, locale-aware formats.

Which language a request is answered in (see docs/i18n.md):

- public pages: the URL. ``/uk/...`` is Ukrainian, every other public URL English
  (the public blueprint is registered twice, the second time under ``/uk``);
- the API (``/api/``): the request's ``Accept-Language`` (English when absent);
  only the human ``message`` of an error is translated, ``status`` and field names
  stay as they are;
- everything else (desk, admin, account pages): the signed-in person's own setting
  (``users.locale``), else ``Accept-Language``, else English.

``url_for("public.x")`` answers with the ``/uk/`` address whenever the page being
drawn is Ukrainian, so templates and views name public endpoints once; ``_locale``
asks for one language explicitly (the language switch, ``hreflang`` links, the sitemap).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from babel import Locale
from babel import dates as babel_dates
from babel import numbers as babel_numbers
from flask import Flask, g, has_request_context, request
from flask_babel import Babel, get_locale, get_translations
from flask_login import current_user

from ..locales import DEFAULT_LOCALE, LOCALE_NAMES, LOCALES, PREFIXED

__all__ = ["DEFAULT_LOCALE", "LOCALE_NAMES", "LOCALES", "PREFIXED", "babel", "init_app"]

PUBLIC = "public"
PUBLIC_UK = "public_uk"

babel = Babel()


def public_locale() -> str | None:
    """The language a public URL asks for, or None when the request is not public."""
    if not has_request_context():
        return None
    path = request.path
    if path == "/uk" or path.startswith("/uk/"):
        return "uk"
    if request.blueprint == PUBLIC:
        return DEFAULT_LOCALE
    return None


def select_locale() -> str:
    if not has_request_context():
        return DEFAULT_LOCALE  # the command line, jobs: the default language
    from_url = public_locale()
    if from_url:
        return from_url
    if request.path.startswith("/api/"):
        return request.accept_languages.best_match(LOCALES) or DEFAULT_LOCALE
    if not g.get("database_down"):
        user = current_user
        if user and user.is_authenticated and getattr(user, "locale", None) in LOCALES:
            return str(user.locale)
    return request.accept_languages.best_match(LOCALES) or DEFAULT_LOCALE


def current_locale() -> str:
    if not has_request_context():
        return DEFAULT_LOCALE
    locale = get_locale()
    return str(locale.language) if locale else DEFAULT_LOCALE


def public_endpoint(endpoint: str, locale: str) -> str:
    """``public.x`` or ``public_uk.x`` for a public endpoint, in the given language."""
    _, _, name = endpoint.partition(".")
    return f"{PUBLIC_UK}.{name}" if locale == "uk" else f"{PUBLIC}.{name}"


def localized_endpoint(endpoint: str, values: dict[str, Any]) -> str:
    """The endpoint ``url_for`` should build: public ones follow the page's language."""
    wanted = values.pop("_locale", None)
    if endpoint.startswith(".") and has_request_context() and request.blueprint:
        endpoint = request.blueprint + endpoint
    if not (endpoint.startswith(PUBLIC + ".") or endpoint.startswith(PUBLIC_UK + ".")):
        return endpoint
    if wanted is None:
        if not has_request_context() or request.path.startswith("/api/"):
            return endpoint  # the API's links are the canonical (English) addresses
        wanted = current_locale()
    return public_endpoint(endpoint, wanted)


class LocalizedFlask(Flask):
    """Flask whose ``url_for`` builds public addresses in the page's language."""

    def url_for(self, endpoint: str, /, *args: Any, **values: Any) -> str:  # type: ignore[override]
        return super().url_for(localized_endpoint(endpoint, values), *args, **values)


def _locale() -> Locale:
    return Locale.parse(current_locale())


def format_date(value: date | datetime | None, fmt: str = "long") -> str:
    """A date for people: "30 November 2026", "30 листопада 2026 р."; ``iso`` for 2026-11-30."""
    if value is None:
        return ""
    if fmt == "iso":
        return value.strftime("%Y-%m-%d")
    if fmt == "short":
        return babel_dates.format_date(value, "d MMM y", locale=_locale())
    return babel_dates.format_date(value, "d MMMM y", locale=_locale())


def format_datetime(value: datetime | None) -> str:
    if value is None:
        return ""
    text = babel_dates.format_datetime(value, "d MMM y, HH:mm", tzinfo=UTC, locale=_locale())
    return text + (" UTC" if value.tzinfo is not None else "")


def format_number(value: int | float | None, digits: int | None = None) -> str:
    """A number as the language writes it ("1,234.5", "1 234,5"); ``digits`` fixes the decimals."""
    if value is None:
        return ""
    if digits is None:
        return babel_numbers.format_decimal(value, locale=_locale())
    pattern = "#,##0." + "0" * digits if digits else "#,##0"
    return babel_numbers.format_decimal(value, pattern, locale=_locale())


def format_percent(value: float | None, digits: int = 0) -> str:
    """A share (0.25) as "25%" or "25 %" as the language writes it."""
    if value is None:
        return ""
    pattern = "#,##0%" if digits == 0 else "#,##0." + "0" * digits + "%"
    return babel_numbers.format_percent(value, pattern, locale=_locale())


def language_name(code: str | None) -> str:
    """A claim's language code as its name in the page's language ("українська")."""
    if not code:
        return ""
    try:
        return Locale.parse(code).get_display_name(_locale()) or code
    except (ValueError, TypeError):
        return code


def translated(obj: Any, field: str, locale: str | None = None) -> str | None:
    """``obj``'s own text for ``field`` in a language (its ``translations`` JSON), or None."""
    code = locale or current_locale()
    if code == DEFAULT_LOCALE:
        return str(getattr(obj, field, "") or "")
    table = getattr(obj, "translations", None) or {}
    value = (table.get(code) or {}).get(field)
    return str(value) if value else None


def localized(obj: Any, field: str) -> str:
    """A rating's name, a setting's text... in the page's language, else the default one."""
    value = translated(obj, field)
    return value if value is not None else str(getattr(obj, field, "") or "")


def lacks_translation(obj: Any, field: str) -> bool:
    """True when the page's language has no text of its own for ``field`` (the desk marks it)."""
    return current_locale() != DEFAULT_LOCALE and translated(obj, field) is None


def alternate_urls() -> list[tuple[str, str]]:
    """(hreflang, absolute address) of the current public page in every language."""
    from .hosts import external_url

    if not has_request_context() or public_locale() is None or request.endpoint is None:
        return []
    if g.get("error_page"):
        return []
    args = request.args.to_dict()
    values: dict[str, Any] = {**(request.view_args or {}), **args}
    out = []
    for code in LOCALES:
        out.append((code, external_url(request.endpoint, _locale=code, **values)))
    return out


def switch_url(code: str) -> str:
    """The current page in another language (public pages), else the account setting."""
    from flask import url_for

    if public_locale() is not None and request.endpoint and not g.get("error_page"):
        values: dict[str, Any] = {**(request.view_args or {}), **request.args.to_dict()}
        return url_for(request.endpoint, _locale=code, **values)
    if current_user.is_authenticated:
        return url_for("auth.language")
    return url_for("public.home", _locale=code)


def _catalogue_gettext(text: str) -> str:
    """The request's translation of ``text``, unformatted (errors.tr fills it)."""
    if not has_request_context():
        return text
    return str(get_translations().ugettext(text))


def _catalogue_ngettext(singular: str, plural: str, n: int) -> str:
    if not has_request_context():
        return singular if n == 1 else plural
    return str(get_translations().ungettext(singular, plural, n))


def _message_number(value: float) -> str:
    if not has_request_context():
        return f"{value:,}" if isinstance(value, int) else f"{value:g}"
    return format_number(value)


def init_app(app: Flask) -> None:
    app.config.setdefault("BABEL_DEFAULT_LOCALE", DEFAULT_LOCALE)
    app.config.setdefault("BABEL_DEFAULT_TIMEZONE", "UTC")
    babel.init_app(app, locale_selector=select_locale)
    from ..errors import set_translator

    # Domain messages from the pure modules (workflow, errors) in the request's language.
    set_translator(_catalogue_gettext, _catalogue_ngettext, _message_number)
    # {% trans %} blocks collapse their whitespace, as pybabel extracts them (babel.cfg).
    app.jinja_env.policies["ext.i18n.trimmed"] = True
    app.jinja_env.filters["date"] = format_date
    app.jinja_env.filters["datetime"] = format_datetime
    app.jinja_env.filters["number"] = format_number
    app.jinja_env.filters["percent"] = format_percent
    app.jinja_env.filters["language_name"] = language_name
    app.jinja_env.filters["localized"] = localized
    app.jinja_env.tests["untranslated"] = lacks_translation
    app.jinja_env.globals["current_locale"] = current_locale
    app.jinja_env.globals["alternate_urls"] = alternate_urls
    app.jinja_env.globals["switch_url"] = switch_url
    app.jinja_env.globals["LOCALES"] = LOCALES
    app.jinja_env.globals["LOCALE_NAMES"] = LOCALE_NAMES


def compile_catalogues(directory: str | None = None) -> list[str]:
    """Build each ``messages.mo`` whose ``messages.po`` is newer (or which is missing).

    ``make run`` and ``make test`` do this through pybabel; the test session calls it
    too, so a clean clone's ``pytest`` never runs on stale or absent catalogues.
    Returns the languages compiled.
    """
    import os
    import tempfile

    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    root = directory or os.path.join(os.path.dirname(os.path.dirname(__file__)), "translations")
    done = []
    for code in LOCALES:
        folder = os.path.join(root, code, "LC_MESSAGES")
        po_path = os.path.join(folder, "messages.po")
        mo_path = os.path.join(folder, "messages.mo")
        if not os.path.exists(po_path):
            continue
        if os.path.exists(mo_path) and os.path.getmtime(mo_path) >= os.path.getmtime(po_path):
            continue
        with open(po_path, "rb") as po_file:
            catalogue = read_po(po_file, locale=code)
        # Written aside and renamed: parallel test workers never read half a file.
        handle, temporary = tempfile.mkstemp(dir=folder, suffix=".mo.tmp")
        with os.fdopen(handle, "wb") as mo_file:
            write_mo(mo_file, catalogue)
        os.replace(temporary, mo_path)
        done.append(code)
    return done


def fill_english(directory: str | None = None) -> int:
    """The English catalogue says what the source says: empty msgstrs take the msgid.

    (``make translations`` runs it after ``pybabel update``; wording changes for English
    readers are made in the source, so the catalogue never drifts from it.) Returns how
    many messages were filled.
    """
    import os

    from babel.messages.pofile import read_po, write_po

    root = directory or os.path.join(os.path.dirname(os.path.dirname(__file__)), "translations")
    path = os.path.join(root, "en", "LC_MESSAGES", "messages.po")
    with open(path, "rb") as po_file:
        catalogue = read_po(po_file, locale="en")
    filled = 0
    for message in catalogue:
        if not message.id:
            continue
        if message.pluralizable:
            if not all(message.string or ()):
                message.string = (message.id[0], message.id[1])
                filled += 1
        elif not message.string:
            message.string = message.id
            filled += 1
    with open(path, "wb") as po_file:
        write_po(
            po_file, catalogue, omit_header=False, sort_output=True, no_location=True, width=100
        )
    return filled
