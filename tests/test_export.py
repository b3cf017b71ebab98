"""CSV export: every claim a row, and nothing a spreadsheet would run as a formula."""

from __future__ import annotations

import csv
import io

import pytest
import sqlalchemy as sa

from factcheck.extensions import db
from factcheck.models import Claim
from factcheck.reads.claims import row_loads
from factcheck.services.export import COLUMNS, export_claims_csv, neutralise


@pytest.mark.parametrize(
    "value, expected",
    [
        ("=SUM(A1:A9)", "'=SUM(A1:A9)"),
        ("+1 555 0100", "'+1 555 0100"),
        ("-2+3", "'-2+3"),
        ("@SUM(1)", "'@SUM(1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("The city spent 40 million.", "The city spent 40 million."),
        ("a=b", "a=b"),
        ("", ""),
        (42, 42),
        (-3, -3),
        (None, None),
    ],
)
def test_neutralise_prefixes_formula_starts_only(value, expected):
    assert neutralise(value) == expected


def _loaded_claims() -> list[Claim]:
    return list(
        db.session.scalars(sa.select(Claim).options(*row_loads(staff=True)).order_by(Claim.id))
    )


def test_export_writes_a_header_and_one_row_per_claim(make_claim):
    published = make_claim("published", tags=["Budget", "Roads"], source="Daily Fictional")
    logged = make_claim(
        "logged",
        text='=HYPERLINK("http://evil.example","click") is what the post said.',
        speaker="@handle Fictional",
        quote='-1 in polls, he said, "really"\nnew line',
    )
    text = export_claims_csv(_loaded_claims())
    assert text.startswith(",".join(COLUMNS) + "\r\n")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [int(r["id"]) for r in rows] == [published.id, logged.id]
    first, second = rows
    assert first["status"] == "published"
    assert first["rating"] == "False" and first["summary"] == "The city spent 12 million, not 40."
    assert first["tags"] == "Budget; Roads" and first["source"] == "Daily Fictional"
    assert first["date"] == "2025-01-15"
    assert first["published_at"].endswith("+00:00")
    assert first["assignee"] == published.assignee.name
    assert second["text"].startswith("'=HYPERLINK(")
    assert second["speaker"] == "'@handle Fictional"
    assert second["quote"] == '\'-1 in polls, he said, "really"\nnew line'
    assert second["rating"] == "" and second["published_at"] == ""


def test_export_of_nothing_is_just_the_header():
    assert export_claims_csv([]) == ",".join(COLUMNS) + "\r\n"


def test_export_runs_the_same_statements_for_two_claims_or_six(make_claim):
    def statements_for_export() -> int:
        seen: list[str] = []
        listener = lambda *args: seen.append(str(args[2]))  # noqa: E731
        sa.event.listen(db.engine, "before_cursor_execute", listener)
        try:
            db.session.expire_all()
            export_claims_csv(_loaded_claims())
        finally:
            sa.event.remove(db.engine, "before_cursor_execute", listener)
        return len(seen)

    for n in range(2):
        make_claim("published", text=f"The city spent {n + 40} million on roads.", tags=["x"])
    few = statements_for_export()
    for n in range(4):
        make_claim("researching", text=f"The port handled {n + 2} million tonnes.", tags=["y"])
    assert statements_for_export() == few <= 8
