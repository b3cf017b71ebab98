"""Jobs run by real `factcheck worker` processes: one on the SQLite queue, and two sharing
one Redis, each job done once. Pages come from a local site on 127.0.0.1."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from factcheck.extensions import db
from factcheck.models import Article, Job

from .conftest import TEST_REDIS_URL, requires_redis
from .monitor_site import Site, article_html, serve

pytestmark = pytest.mark.slow
FACTCHECK = str(Path(sys.executable).with_name("factcheck"))


@pytest.fixture
def site() -> Iterator[Site]:
    site, server = serve()
    yield site
    server.shutdown()
    server.server_close()


@pytest.fixture
def start_worker(database_url: str, tmp_path: Path) -> Iterator[Callable[..., subprocess.Popen]]:
    started: list[subprocess.Popen] = []

    def start(*args: str, **env: str) -> subprocess.Popen:
        environment = {
            key: value
            for key, value in os.environ.items()
            if key not in {"REDIS_URL", "DATABASE_URL", "JOBS_IMMEDIATE"}
        }
        environment.update(
            DATABASE_URL=database_url,
            FACTCHECK_INSTANCE=str(tmp_path / "instance"),
            SECRET_KEY="worker-test-secret",  # noqa: S106
            IMPORT_ALLOW_PRIVATE_ADDRESSES="1",
            IMPORT_FETCH_TIMEOUT="5",
            JOB_RETRY_BASE_SECONDS="0.2",
            MONITOR_FETCH_RATE="1000/second",
            **env,
        )
        log = tmp_path / f"worker-{len(started)}.log"
        with open(log, "w") as out:
            process = subprocess.Popen(
                [FACTCHECK, "worker", *args], env=environment, stdout=out, stderr=subprocess.STDOUT
            )
        process.log = log  # type: ignore[attr-defined]
        started.append(process)
        return process

    yield start
    for process in started:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)  # graceful: running jobs finish first
    for process in started:
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        print(f"--- worker {process.pid} ---\n" + process.log.read_text()[-5000:])  # type: ignore[attr-defined]


def wait_for_start(process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 30
    while "Worker:" not in process.log.read_text():  # type: ignore[attr-defined]
        assert process.poll() is None and time.monotonic() < deadline, "the worker did not start"
        time.sleep(0.1)


def wait_until_finished(ids: list[int], seconds: float = 90) -> list[Job]:
    deadline = time.monotonic() + seconds
    while True:
        db.session.expire_all()
        jobs = list(db.session.scalars(sa.select(Job).where(Job.id.in_(ids)).order_by(Job.id)))
        db.session.rollback()
        if all(j.state in ("done", "failed") for j in jobs) or time.monotonic() > deadline:
            return jobs
        time.sleep(0.2)


def test_a_real_worker_runs_imports_retries_with_backoff_and_fails_for_good(
    app, another_app, start_worker, site, tmp_path
):
    queue_file = str(tmp_path / "jobs.db")
    producer = another_app(JOBS_IMMEDIATE=False, JOBS_SQLITE_PATH=queue_file)
    from factcheck.services import monitor
    from factcheck.services.accounts import create_user

    with producer.app_context():
        checker = create_user(
            None, email="w@example.org", name="Worker Test", role="fact_checker", password=None
        )
        ok = monitor.queue_url_import(checker, site.add("/a/1.html", article_html(1)))
        flaky = monitor.queue_url_import(
            checker, site.add("/a/2.html", article_html(2), fail_first=1)
        )
        down = monitor.queue_url_import(
            checker, site.add("/a/3.html", article_html(3), fail_first=99)
        )
        ids = [ok.id, flaky.id, down.id]
        assert {j.state for j in db.session.scalars(sa.select(Job))} == {"queued"}
    worker = start_worker("--threads", "2", JOBS_SQLITE_PATH=queue_file)
    jobs = wait_until_finished(ids)
    # Two threads create the same new outlet at once; the loser finds the winner's row
    # (catalog.find_or_create) instead of failing the attempt.
    states = [(j.state, j.attempts, j.error) for j in jobs]
    assert [(j.state, j.attempts) for j in jobs] == [("done", 1), ("done", 2), ("failed", 3)], (
        states
    )
    assert "503" in jobs[2].error and jobs[1].error is None
    # The backoff: 0.2 s after the first failure, 0.8 s after the second.
    assert (jobs[2].finished_at - jobs[2].created_at).total_seconds() >= 1.0
    assert {j.worker.rsplit(":", 1)[1] for j in jobs} == {str(worker.pid)}
    assert db.session.scalar(sa.select(sa.func.count(Article.id))) == 2
    assert site.hits["/a/3.html"] == 3


@requires_redis()
def test_two_workers_share_one_redis_and_run_each_job_once(app, another_app, start_worker, site):
    producer = another_app(JOBS_IMMEDIATE=False, REDIS_URL=TEST_REDIS_URL)
    from factcheck.jobs import queue
    from factcheck.services import jobs as job_service
    from factcheck.services import monitor
    from factcheck.services.accounts import create_user

    queue.huey.storage.flush_all()
    workers = [start_worker("--threads", "1", REDIS_URL=TEST_REDIS_URL) for _ in range(2)]
    for worker in workers:  # both are reading the queue before the first job arrives
        wait_for_start(worker)
    with producer.app_context():
        checker = create_user(
            None, email="w2@example.org", name="Worker Test", role="fact_checker", password=None
        )
        queued = [
            monitor.queue_url_import(checker, site.add(f"/a/{n}.html", article_html(n), delay=0.05))
            for n in range(20)
        ]
        for job in queued[:5]:  # the same job delivered twice must still run once
            job_service.dispatch(job.id)
        ids = [j.id for j in queued]
    jobs = wait_until_finished(ids)
    assert [(j.state, j.attempts) for j in jobs] == [("done", 1)] * 20, [
        (j.state, j.attempts, j.error) for j in jobs
    ]
    assert all(site.hits[f"/a/{n}.html"] == 1 for n in range(20)), site.hits
    assert db.session.scalar(sa.select(sa.func.count(Article.id))) == 20
    ran_on = {j.worker.rsplit(":", 1)[1] for j in jobs}
    assert ran_on == {str(w.pid) for w in workers}, ran_on
