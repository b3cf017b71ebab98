"""The migrations build exactly the schema the models describe, on SQLite and PostgreSQL,
and they run down and up again, with data in the database."""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import current_app
from flask_migrate import downgrade, upgrade

from factcheck.extensions import db
from factcheck.search import search_claims
from factcheck.search.schema import include_object

from .conftest import fresh_database, make_app

ENGINES = [
    pytest.param("sqlite", id="sqlite"),
    pytest.param("postgresql", id="postgresql", marks=pytest.mark.postgres),
]


def schema_differences() -> list[Any]:
    """What `flask db migrate` would write: empty when the models and the database agree."""
    with db.engine.connect() as conn:
        context = MigrationContext.configure(
            conn, opts={"compare_type": True, "include_object": include_object}
        )
        return list(compare_metadata(context, db.metadata))


def table_names() -> set[str]:
    return set(sa.inspect(db.engine).get_table_names())


def row_counts() -> dict[str, int]:
    with db.engine.connect() as conn:
        return {
            table.name: conn.execute(sa.select(sa.func.count()).select_from(table)).scalar_one()
            for table in db.metadata.sorted_tables
        }


def test_migrations_have_one_head(app: Any) -> None:
    config = current_app.extensions["migrate"].migrate.get_config()
    heads = ScriptDirectory.from_config(config).get_heads()
    assert len(heads) == 1, f"several migration heads, merge them: {heads}"


@pytest.mark.parametrize("engine", ENGINES)
def test_models_and_migrations_agree(engine: str, tmp_path: Any) -> None:
    with fresh_database(engine, tmp_path) as url:
        app = make_app(url)
        with app.app_context():
            upgrade()
            assert schema_differences() == []
            db.engine.dispose()


@pytest.mark.parametrize("engine", ENGINES)
def test_downgrade_to_base_then_upgrade_again(engine: str, tmp_path: Any) -> None:
    with fresh_database(engine, tmp_path) as url:
        app = make_app(url)
        with app.app_context():
            upgrade()
            downgrade(revision="base")
            assert table_names() <= {"alembic_version"}
            upgrade()
            assert {"claims", "claims_fts", "verdicts", "users"} <= table_names()
            assert schema_differences() == []
            db.engine.dispose()


@pytest.mark.parametrize("engine", ENGINES)
def test_populated_database_survives_downgrade_to_0001_and_back(engine: str, tmp_path: Any) -> None:
    from factcheck.services.demo import load_demo

    with fresh_database(engine, tmp_path) as url:
        app = make_app(url)
        with app.app_context():
            upgrade()
            load_demo()
            counts = row_counts()
            db.session.remove()

            downgrade(revision="0001")
            assert "claims_fts" not in table_names()
            upgrade()

            assert row_counts() == counts
            # 0002 rebuilt the search index: published claims are found again, in any script.
            conn = db.session.connection()
            for word in ("measles", "зерна", "больниц"):
                assert search_claims(conn, word).ids, f"nothing found for {word!r}"
            db.session.remove()
            db.engine.dispose()
