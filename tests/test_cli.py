"""The installed `factcheck` console script, run as an operator would run it."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from .conftest import fresh_database, sqlalchemy_url

FACTCHECK = Path(sys.executable).with_name("factcheck")
LOGIN_LINE = re.compile(r"^\s+(admin|editor|fact_checker)\s+(\S+@\S+)\s+(\S+)$", re.MULTILINE)
STATUS_COUNTS = re.compile(r"(\d+) (logged|researching|in review|published|dismissed)")

pytestmark = pytest.mark.skipif(
    not FACTCHECK.exists(), reason=f"no console script at {FACTCHECK}: pip install -e ."
)


def factcheck(*args: str, database_url: str, instance: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(FACTCHECK), *args],
        env=operator_env(database_url, instance),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def operator_env(database_url: str, instance: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("FLASK_", "REDIS_URL"))}
    env.update(
        DATABASE_URL=database_url,
        FACTCHECK_INSTANCE=str(instance),
        SECRET_KEY="cli-test-secret",
    )
    return env


def table_counts(url: str) -> dict[str, int]:
    engine = sa.create_engine(sqlalchemy_url(url))
    try:
        with engine.connect() as conn:
            names = sa.inspect(conn).get_table_names()
            return {
                name: conn.execute(sa.text(f'SELECT count(*) FROM "{name}"')).scalar_one()  # noqa: S608
                for name in names
            }
    finally:
        engine.dispose()


@pytest.mark.postgres
def test_db_upgrade_and_demo_load_on_an_empty_postgres_database(tmp_path: Path) -> None:
    with fresh_database("postgresql", tmp_path) as url:
        upgraded = factcheck("db", "upgrade", database_url=url, instance=tmp_path)
        assert upgraded.returncode == 0, upgraded.stderr

        loaded = factcheck("demo", "load", database_url=url, instance=tmp_path)
        assert loaded.returncode == 0, loaded.stderr
        logins = LOGIN_LINE.findall(loaded.stdout)
        assert sorted(role for role, _, _ in logins) == [
            "admin",
            "editor",
            "editor",
            "fact_checker",
            "fact_checker",
        ]
        printed = {
            status.replace(" ", "_"): int(n) for n, status in STATUS_COUNTS.findall(loaded.stdout)
        }

        engine = sa.create_engine(sqlalchemy_url(url))
        with engine.connect() as conn:
            in_db = dict(
                conn.execute(sa.text("SELECT status, count(*) FROM claims GROUP BY status")).all()
            )
            emails = set(conn.execute(sa.text("SELECT email FROM users")).scalars())
        engine.dispose()
        assert printed == in_db
        assert set(in_db) == {"logged", "researching", "in_review", "published", "dismissed"}
        assert emails == {email for _, email, _ in logins}

        before = table_counts(url)
        refused = factcheck("demo", "load", database_url=url, instance=tmp_path)
        assert refused.returncode == 1
        assert "not empty" in refused.stderr and not LOGIN_LINE.search(refused.stdout)
        assert table_counts(url) == before

        noted = factcheck("demo", "load", "--if-empty", database_url=url, instance=tmp_path)
        assert noted.returncode == 0
        assert noted.stdout.count("\n") == 1 and "not loaded" in noted.stdout
        assert table_counts(url) == before


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_run_serves_on_the_given_port(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'run.db'}"
    assert factcheck("db", "upgrade", database_url=url, instance=tmp_path).returncode == 0
    port = free_port()
    server = subprocess.Popen(  # noqa: S603
        [str(FACTCHECK), "run", "--host", "127.0.0.1", "--port", str(port)],
        env=operator_env(url, tmp_path),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        body = wait_for_page(f"http://127.0.0.1:{port}/", server)
        assert "Latest fact-checks" in body
    finally:
        server.terminate()
        server.wait(timeout=10)
        assert server.stderr is not None
        server.stderr.close()


def wait_for_page(url: str, server: subprocess.Popen[Any], timeout: float = 20) -> str:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310
                return str(response.read().decode("utf-8"))
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                stderr = server.stderr.read() if server.stderr else ""
                pytest.fail(f"the server did not answer on {url}: {stderr[-2000:]}")
            time.sleep(0.2)
