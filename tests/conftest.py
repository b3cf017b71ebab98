"""Fixtures every test reuses: app, database, clients, users of each role, builders.

The database is built once per run by the real migrations (`factcheck db upgrade`)
and emptied after each test. TEST_DATABASE_URL points the suite at PostgreSQL.
"""

from __future__ import annotations

import os
import re
import secrets
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from config import TestConfig
from factcheck import create_app
from factcheck.extensions import db
from factcheck.models import Claim, User

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL", "")
TEST_POSTGRES_URL = os.environ.get("TEST_POSTGRES_URL") or (
    TEST_DATABASE_URL if TEST_DATABASE_URL.startswith("postgres") else ""
)
TEST_REDIS_URL = os.environ.get("TEST_REDIS_URL", "")
PASSWORD = "correct horse battery staple"
ROLES = ("fact_checker", "editor", "admin")


def pytest_sessionstart(session: pytest.Session) -> None:
    """The message catalogues compiled from the committed .po files (see docs/i18n.md)."""
    from factcheck.web.i18n import compile_catalogues

    compile_catalogues()


def sqlalchemy_url(url: str) -> str:
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


class IsolatedClient(FlaskClient):
    """Each request runs in its own app context, as in production.

    Without this, requests would reuse the test's app context: its ``g`` (where
    Flask-Login keeps the current user) and its database session would leak
    from one client's request into another's.
    """

    def open(self, *args: Any, **kwargs: Any) -> Any:
        with self.application.app_context():
            response = super().open(*args, **kwargs)
        # The test's own session now reads what the request wrote (versions included).
        from flask import has_app_context

        if has_app_context():
            db.session.expire_all()
        return response


def make_app(url: str, **overrides: Any) -> Flask:
    app = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=sqlalchemy_url(url), **overrides)
    app.test_client_class = IsolatedClient
    return app


def migrate_to_head(app: Flask) -> None:
    from flask_migrate import upgrade

    with app.app_context():
        upgrade()
        db.engine.dispose()


def drop_everything(url: str) -> None:
    engine = sa.create_engine(sqlalchemy_url(url))
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(sa.text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        else:
            names = [
                r[0]
                for r in conn.execute(sa.text("SELECT name FROM sqlite_master WHERE type='table'"))
            ]
            conn.execute(sa.text("PRAGMA foreign_keys=OFF"))
            for name in names:
                if not name.startswith("sqlite_"):
                    conn.execute(sa.text(f'DROP TABLE IF EXISTS "{name}"'))
    engine.dispose()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    if TEST_DATABASE_URL:
        url = TEST_DATABASE_URL
    else:
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"
    drop_everything(url)
    migrate_to_head(make_app(url))
    return url


def _empty_tables(app: Flask, keep: frozenset[str] = frozenset()) -> None:
    """Delete every row and restart the ids, so each test starts from an empty database.

    ``keep`` names tables whose rows stay (the ids then go on, not restarted).

    DELETE rather than TRUNCATE on PostgreSQL: on tables this small it is several times
    faster (TRUNCATE rewrites every table file).
    """
    from factcheck.search import backend_for

    with app.app_context():
        db.session.remove()
        tables = [t.name for t in reversed(db.metadata.sorted_tables)]
        with db.engine.begin() as conn:
            backend_for(conn).clear(conn)
            # The claims <-> verdicts cycle: unlink first, then children before parents
            # (claims pointing at claims go in the one DELETE, checked at its end).
            conn.execute(
                sa.text("UPDATE claims SET published_verdict_id = NULL, published_rating_id = NULL")
            )
            for name in tables:
                if name not in keep:
                    conn.execute(sa.text(f'DELETE FROM "{name}"'))
            if keep:
                pass  # the kept rows hold ids: the sequences go on from them
            elif conn.dialect.name == "postgresql":
                conn.execute(
                    sa.text(
                        "SELECT setval(c.oid::regclass, 1, false) FROM pg_class c "
                        "JOIN pg_namespace n ON n.oid = c.relnamespace "
                        "WHERE c.relkind = 'S' AND n.nspname = current_schema()"
                    )
                )
            elif conn.execute(
                sa.text("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_sequence'")
            ).first():
                conn.execute(sa.text("DELETE FROM sqlite_sequence"))
        db.engine.dispose()


@pytest.fixture
def app(database_url: str) -> Iterator[Flask]:
    app = make_app(database_url)
    with app.app_context():
        yield app
    _empty_tables(app)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask):  # type: ignore[no-untyped-def]
    return app.test_cli_runner()


@pytest.fixture
def make_user(app: Flask) -> Callable[..., User]:
    from factcheck.services.accounts import create_user

    counter = {"n": 0}

    def build(
        role: str = "fact_checker", *, email: str | None = None, name: str | None = None
    ) -> User:
        counter["n"] += 1
        n = counter["n"]
        return create_user(
            None,
            email=email or f"{role}{n}@example.org",
            name=name or f"{role.replace('_', ' ').title()} {n}",
            role=role,
            password=PASSWORD,
        )

    return build


@pytest.fixture
def users(make_user: Callable[..., User]) -> dict[str, User]:
    """One user of each role."""
    return {role: make_user(role) for role in ROLES}


class Auth:
    def __init__(self, client: FlaskClient) -> None:
        self.client = client

    def login(self, user: User | str, password: str = PASSWORD) -> Any:
        email = user if isinstance(user, str) else user.email
        return self.client.post("/login", data={"email": email, "password": password})

    def logout(self) -> Any:
        return self.client.post("/logout")


@pytest.fixture
def auth(client: FlaskClient) -> Auth:
    return Auth(client)


@pytest.fixture
def login_as(app: Flask, users: dict[str, User]) -> Callable[[str | None], FlaskClient]:
    """A fresh client signed in with the given role (None: anonymous)."""

    def build(role: str | None) -> FlaskClient:
        c = app.test_client()
        if role is not None:
            resp = Auth(c).login(users[role])
            assert resp.status_code == 302, resp.get_data(as_text=True)[:500]
        return c

    return build


@pytest.fixture
def ratings(app: Flask) -> dict[str, Any]:
    from factcheck.services.defaults import ensure_defaults

    ensure_defaults()
    from factcheck.models import Rating

    return {r.slug: r for r in db.session.scalars(sa.select(Rating))}


@pytest.fixture
def make_claim(app: Flask, users: dict[str, User], ratings: dict[str, Any]) -> Callable[..., Claim]:
    """Build a claim in any workflow state through the real services."""
    from factcheck.services import claims as claim_service
    from factcheck.services import reviews, verdicts
    from factcheck.workflow import Action

    def build(
        status: str = "logged",
        *,
        text: str = "The city spent 40 million on roads in 2024.",
        speaker: str = "Alma Testperson",
        rating: str = "false",
        summary: str = "The city spent 12 million, not 40.",
        **fields: Any,
    ) -> Claim:
        checker, editor = users["fact_checker"], users["editor"]
        claim = claim_service.log_claim(
            checker,
            claim_service.ClaimInput(
                text=text, speaker=speaker, stated_on=date(2025, 1, 15), **fields
            ),
        )
        if status == "logged":
            return claim
        reviews.transition(checker, claim, Action.START)
        if status == "dismissed":
            reviews.transition(
                editor, claim, Action.DISMISS, reason="opinion", comment="An opinion."
            )
            return claim
        if status == "researching":
            return claim
        claim_service.add_evidence(
            checker,
            claim,
            claim_service.EvidenceInput(
                stance="refutes", url="https://budget.example.org/2024", title="City budget 2024"
            ),
        )
        verdicts.save_draft(
            checker,
            claim,
            0,
            verdicts.DraftInput(
                rating=rating, summary=summary, explanation="The **budget** shows 12 million."
            ),
        )
        reviews.transition(checker, claim, Action.SUBMIT)
        if status == "in_review":
            return claim
        reviews.transition(editor, claim, Action.APPROVE)
        assert status == "published", status
        return claim

    return build


def requires_postgres() -> pytest.MarkDecorator:
    return pytest.mark.skipif(
        not TEST_POSTGRES_URL, reason="no PostgreSQL: set TEST_POSTGRES_URL or TEST_DATABASE_URL"
    )


def requires_redis() -> pytest.MarkDecorator:
    return pytest.mark.skipif(not TEST_REDIS_URL, reason="no Redis: set TEST_REDIS_URL")


def visible_text(html: str) -> str:
    return re.sub(r"<[^>]+>", " ", html)


class LiveServer:
    """The app served over real HTTP by werkzeug in a thread, against the test database."""

    def __init__(self, app: Flask) -> None:
        import threading

        from werkzeug.serving import make_server

        self.server = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def live_server(app: Flask) -> Iterator[LiveServer]:
    server = LiveServer(app)
    yield server
    server.stop()


@contextmanager
def fresh_database(engine: str, tmp_path: Any) -> Iterator[str]:
    """An empty database of its own: a SQLite file, or a throwaway PostgreSQL database
    created beside TEST_POSTGRES_URL's and dropped afterwards."""
    if engine == "sqlite":
        yield f"sqlite:///{tmp_path / 'fresh.db'}"
        return
    if not TEST_POSTGRES_URL:
        pytest.skip("no PostgreSQL: set TEST_POSTGRES_URL or TEST_DATABASE_URL")
    base = sa.engine.make_url(sqlalchemy_url(TEST_POSTGRES_URL))
    name = f"{base.database or 'factcheck'}_tmp_{secrets.token_hex(4)}"
    admin = sa.create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        yield base.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def another_app(app: Flask, database_url: str) -> Iterator[Callable[..., Flask]]:
    """Build more apps on the test database (other settings, a second server); disposed after.

    Built after ``app``: process-wide extensions (the limiter's storage, Talisman) follow
    the app initialised last.
    """
    made: list[Flask] = []

    def build(**overrides: Any) -> Flask:
        extra = make_app(database_url, **overrides)
        made.append(extra)
        return extra

    yield build
    for extra in made:
        with extra.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture
def api_token(app: Flask, users: dict[str, User]) -> Callable[[str], str]:
    """A working API token for the user of the given role (one per role, made on demand)."""
    from factcheck.services.accounts import create_api_token

    made: dict[str, str] = {}

    def build(role: str) -> str:
        if role not in made:
            user = users[role]
            made[role] = create_api_token(
                user, user, f"{role} test token", password=PASSWORD
            ).secret
        return made[role]

    return build


@pytest.fixture
def ukrainian_newsroom(app: Flask, users: dict[str, User]) -> None:
    """The site's own names in Ukrainian too, as a Ukrainian desk would set them."""
    from factcheck.services import settings as site_settings

    current = site_settings.get_settings()
    values = {key: getattr(current, key) for key in site_settings.EDITABLE if key != "translations"}
    values["translations"] = {"uk": {"organization_name": "Редакція фактчекінгу"}}
    site_settings.update_settings(users["admin"], site_settings.settings_version(current), values)
    # The default rating scale (ensure_defaults) carries its Ukrainian names already.


@pytest.fixture
def ukrainian_claim(
    make_claim: Callable[..., Claim], ukrainian_newsroom: None
) -> Callable[..., Claim]:
    """A published fact-check written in Ukrainian (its text and the desk's summary)."""

    def build(status: str = "published") -> Claim:
        return make_claim(
            status,
            text="Місто витратило на дороги 40 мільйонів у 2024 році.",
            summary="Насправді 12 мільйонів, а не 40.",
            language="uk",
        )

    return build
