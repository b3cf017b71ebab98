"""The Huey instance, configured from the app: Redis when REDIS_URL is set, else SQLite.

Huey registers tasks on one instance at import time, so the instance is made
here once and ``init_app`` points its storage at the app's configuration:
``JOBS_IMMEDIATE`` (tests) runs each job inside the call that queues it.
"""

from __future__ import annotations

import os
from pathlib import Path

from flask import Flask
from huey import Huey
from huey.storage import MemoryStorage, RedisStorage, SqliteStorage

huey = Huey("factcheck", results=False, immediate=True, storage_class=MemoryStorage)
_bound: dict[str, Flask] = {}


def storage_description(app: Flask) -> str:
    if app.config.get("JOBS_IMMEDIATE"):
        return "immediate (each job runs inside the call that queues it)"
    if app.config.get("REDIS_URL"):
        return "Redis (shared by every worker that uses the same REDIS_URL)"
    return f"SQLite file {sqlite_path(app)} (workers on this machine only)"


def sqlite_path(app: Flask) -> str:
    return str(app.config.get("JOBS_SQLITE_PATH") or Path(app.instance_path) / "jobs.db")


def init_app(app: Flask) -> None:
    """Point the queue at this app's storage; jobs run in this app's context."""
    _bound["app"] = app
    immediate = bool(app.config.get("JOBS_IMMEDIATE"))
    if immediate:
        huey.storage_class, huey.storage_kwargs = MemoryStorage, {}
    elif app.config.get("REDIS_URL"):
        huey.storage_class = RedisStorage
        huey.storage_kwargs = {"url": app.config["REDIS_URL"], "read_timeout": 1}
    else:
        path = sqlite_path(app)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        huey.storage_class, huey.storage_kwargs = SqliteStorage, {"filename": path}
    huey._immediate = immediate  # set before create_storage, which reads it
    huey.storage = huey.create_storage()


def bound_app() -> Flask:
    """The app whose context a job runs in (a worker builds exactly one)."""
    from flask import current_app, has_app_context

    if has_app_context():
        return current_app._get_current_object()  # type: ignore[attr-defined,no-any-return]
    return _bound["app"]
