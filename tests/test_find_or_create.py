"""Two workers meeting the same new outlet (or speaker) at the same moment make one row."""

from __future__ import annotations

import threading
from typing import Any

import sqlalchemy as sa
from flask import Flask

from factcheck.extensions import db
from factcheck.models import Source, Speaker
from factcheck.services import catalog


def _race(app: Flask, make: Any, threads: int = 4) -> list[int]:
    barrier = threading.Barrier(threads)
    ids: list[int] = []
    errors: list[BaseException] = []

    def work() -> None:
        with app.app_context():
            try:
                barrier.wait()
                row = make()
                db.session.commit()
                ids.append(row.id)
            except BaseException as exc:  # reported below, with the others
                errors.append(exc)
            finally:
                db.session.remove()

    workers = [threading.Thread(target=work) for _ in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join(60)
    assert not errors, errors
    return ids


def test_racing_imports_of_one_new_outlet_make_one_outlet(app: Flask) -> None:
    ids = _race(app, lambda: catalog.find_or_create_source(None, "Saltmere Courier"))
    assert len(set(ids)) == 1 and len(ids) == 4
    names = db.session.scalars(sa.select(Source.slug)).all()
    assert names == ["saltmere-courier"]


def test_racing_logs_of_one_new_speaker_make_one_speaker(app: Flask, users: Any) -> None:
    checker_id = users["fact_checker"].id

    def make() -> Speaker:
        checker = db.session.get(type(users["fact_checker"]), checker_id)
        return catalog.find_or_create_speaker(checker, "Ilse Marrow")

    ids = _race(app, make)
    assert len(set(ids)) == 1 and len(ids) == 4
    assert db.session.scalar(sa.select(sa.func.count(Speaker.id))) == 1


def test_an_outlet_found_under_another_spelling_is_not_made_again(app: Flask) -> None:
    first = catalog.find_or_create_source(None, "Saltmere  Courier")
    db.session.commit()
    again = catalog.find_or_create_source(None, "saltmere courier")
    assert again.id == first.id
