"""The audit log page: filters, keyset pages, compact changes, a fixed number of queries."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from factcheck.extensions import db
from factcheck.models import AuditEvent
from factcheck.services import accounts, audit

from .conftest import PASSWORD


def add_events(n: int, actor=None, action: str = "test.event", **fields) -> None:
    for i in range(n):
        audit.record(actor, action, "thing", i + 1, note=f"event number {i + 1}", **fields)
    db.session.commit()


def rows(html: str) -> list[str]:
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return [r for r in body.split("<tr>")[1:] if "No event matches" not in r]


def test_the_audit_log_shows_who_did_what_with_before_and_after(login_as, users):
    admin_user, target = users["admin"], users["fact_checker"]
    accounts.change_role(admin_user, target, "editor", target.version)
    page = login_as("admin").get("/admin/audit?action=user.role_change").get_data(as_text=True)
    [row] = rows(page)
    assert "user.role_change" in row and admin_user.name in row
    assert f"/admin/users/{target.id}" in row
    assert re.search(r"<code>role</code>:\s*<del>fact_checker</del>\s*→\s*<ins>editor</ins>", row)


def test_long_values_are_shortened(login_as, users):
    audit.record(users["admin"], "test.long", "thing", 1, after={"text": "word " * 100})
    db.session.commit()
    [row] = rows(login_as("admin").get("/admin/audit?action=test.long").get_data(as_text=True))
    shown = re.search(r"<ins>(.*?)</ins>", row, re.S).group(1)
    assert len(shown) <= 120 and shown.endswith("…")


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("action=auth.login", {"auth.login"}),
        ("action=auth.", {"auth.login", "auth.login_failed"}),
        ("action=auth.*", {"auth.login", "auth.login_failed"}),
        ("actor=none", {"auth.login_failed", "user.create"}),
        ("entity_type=api_token", {"token.create"}),
        ("q=nobody%40example", {"auth.login_failed"}),
        ("q=%25", set()),  # a LIKE wildcard is only a character
    ],
)
def test_filters(login_as, users, auth, query, expected):
    admin = users["admin"]
    auth.login("nobody@example.org", "wrong password entirely")
    accounts.create_api_token(admin, admin, "cli", password=PASSWORD)
    page = login_as("admin").get(f"/admin/audit?{query}").get_data(as_text=True)
    actions = {re.search(r"<code>([\w.]+)</code>", r).group(1) for r in rows(page)}
    assert actions == expected


def test_filter_by_actor_and_entity(login_as, users):
    admin, checker = users["admin"], users["fact_checker"]
    accounts.create_api_token(checker, checker, "mine", password=PASSWORD)
    accounts.create_api_token(admin, admin, "admin's", password=PASSWORD)
    client = login_as("admin")
    page = client.get(f"/admin/audit?actor={checker.id}&action=token.create").get_data(as_text=True)
    assert len(rows(page)) == 1 and "mine" in page and "admin&#39;s" not in page.split("<tbody>")[1]
    about = client.get(f"/admin/audit?entity_type=user&entity_id={checker.id}").get_data(
        as_text=True
    )
    assert [re.search(r"<code>([\w.]+)</code>", r).group(1) for r in rows(about)] == ["user.create"]


def test_date_range(login_as, users):
    add_events(3, action="test.dated")
    old = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "test.dated")).first()
    old.at = datetime(2024, 3, 10, 23, 30, tzinfo=UTC)
    db.session.commit()
    client = login_as("admin")
    only_old = client.get("/admin/audit?action=test.dated&date_from=2024-03-10&date_to=2024-03-10")
    assert len(rows(only_old.get_data(as_text=True))) == 1
    recent = client.get("/admin/audit?action=test.dated&date_from=2024-03-11")
    assert len(rows(recent.get_data(as_text=True))) == 2


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("date_from=2024-05-01&date_to=2024-04-01", "Must be on or before the end date"),
        ("date_from=yesterday", "Write the date as YYYY-MM-DD, for example 2025-01-31."),
        ("entity_id=abc", "Not a valid integer value"),
    ],
)
def test_bad_filters_get_a_message_not_a_500(login_as, query, message):
    resp = login_as("admin").get(f"/admin/audit?{query}")
    assert resp.status_code == 400
    assert message in resp.get_data(as_text=True)


def test_pages_go_older_and_back_newer(login_as, users):
    add_events(120, action="test.paged")
    client = login_as("admin")
    first = client.get("/admin/audit?action=test.paged").get_data(as_text=True)
    notes = lambda html: [int(n) for n in re.findall(r"event number (\d+)", html)]  # noqa: E731
    assert notes(first) == list(range(120, 70, -1))
    older = re.search(r'rel="next" href="([^"]+)"', first).group(1).replace("&amp;", "&")
    assert "action=test.paged" in older  # filters survive paging
    second = client.get(older).get_data(as_text=True)
    assert notes(second) == list(range(70, 20, -1))
    third = client.get(
        re.search(r'rel="next" href="([^"]+)"', second).group(1).replace("&amp;", "&")
    ).get_data(as_text=True)
    assert notes(third) == list(range(20, 0, -1))
    assert 'rel="next"' not in third
    newer = re.search(r'rel="prev" href="([^"]+)"', third).group(1).replace("&amp;", "&")
    assert notes(client.get(newer).get_data(as_text=True)) == list(range(70, 20, -1))


def test_the_page_runs_a_fixed_number_of_queries(app, login_as, make_user):
    client = login_as("admin")
    actors = [make_user("editor") for _ in range(5)]
    add_events(3, actor=actors[0], action="test.counted")

    def statements(url: str) -> int:
        seen: list[str] = []

        def count(*args) -> None:
            seen.append(args[2])

        sa.event.listen(db.engine, "before_cursor_execute", count)
        try:
            assert client.get(url).status_code == 200
        finally:
            sa.event.remove(db.engine, "before_cursor_execute", count)
        return len(seen)

    few = statements("/admin/audit?action=test.counted")
    for actor in actors:
        add_events(12, actor=actor, action="test.counted")
    many = statements("/admin/audit?action=test.counted")
    assert few == many
    assert many <= 8
