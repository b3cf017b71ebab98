"""The desk through the HTTP client: logging claims, evidence, editing, conflicts, lists."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from factcheck.extensions import db
from factcheck.models import AuditEvent, Claim, Evidence, SlugRedirect, Speaker

CLAIM_FORM = {
    "text": "Unemployment in Eastbrook fell to 4.2% last year.",
    "speaker": "Maren Holt",
    "speaker_title": "Mayor of Eastbrook",
    "quote": "We brought unemployment down to 4.2 percent.",
    "context": "Town hall meeting",
    "stated_on": "2025-02-10",
    "source": "Riverside Courier",
    "article_title": "Mayor defends record",
    "article_url": "https://courier.example.org/mayor-record",
    "tags": "economy, jobs",
    "language": "en",
}


def count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


@pytest.mark.parametrize("role", ["fact_checker", "editor", "admin"])
def test_every_role_logs_a_claim_with_speaker_source_article_and_tags(login_as, role):
    client = login_as(role)
    resp = client.post("/desk/claims/new", data=CLAIM_FORM)
    assert resp.status_code == 302, resp.get_data(as_text=True)
    claim = db.session.scalars(sa.select(Claim)).one()
    assert claim.status == "logged"
    assert claim.speaker.name == "Maren Holt" and claim.speaker.title == "Mayor of Eastbrook"
    assert claim.source.name == "Riverside Courier"
    assert claim.article.url == "https://courier.example.org/mayor-record"
    assert claim.article.source_id == claim.source_id
    assert sorted(t.name for t in claim.tags) == ["economy", "jobs"]
    assert claim.stated_on == date(2025, 2, 10)
    page = client.get(f"/desk/claims/{claim.id}")
    assert page.status_code == 200
    # The timeline in plain words, never the event code.
    assert b"logged the claim" in page.data and b"claim.create" not in page.data


def test_anonymous_is_sent_to_sign_in(client):
    resp = client.get("/desk/claims/new")
    assert resp.status_code == 302 and "/login" in resp.headers["Location"]
    resp = client.post("/desk/claims/new", data=CLAIM_FORM)
    assert resp.status_code == 302 and "/login" in resp.headers["Location"]
    assert count(Claim) == 0


@pytest.mark.parametrize(
    "change, field, message",
    [
        ({"text": "Too short"}, "text", "at least 10"),
        ({"stated_on": (date.today() + timedelta(days=3)).isoformat()}, "stated_on", "future"),
        ({"article_url": "not a url"}, "article_url", "http://"),
        ({"speaker": ""}, "speaker", "Say who made the statement"),
        ({"text": "x" * 1001}, "text", "1000"),
    ],
)
def test_bad_claim_input_shows_a_message_on_the_field_and_saves_nothing(
    login_as, change, field, message
):
    client = login_as("fact_checker")
    resp = client.post("/desk/claims/new", data={**CLAIM_FORM, **change})
    assert resp.status_code == 200
    html = resp.get_data(as_text=True)
    assert f'id="{field}-error"' in html
    assert message in html
    assert count(Claim) == 0


def test_speaker_matched_by_alias_regardless_of_case_and_diacritics(login_as, users):
    from factcheck.services import catalog

    speaker = catalog.create_speaker(users["editor"], "José Álvarez", aliases=["Minister Álvarez"])
    db.session.commit()
    client = login_as("fact_checker")
    client.post("/desk/claims/new", data={**CLAIM_FORM, "speaker": "minister alvarez"})
    claim = db.session.scalars(sa.select(Claim)).one()
    assert claim.speaker_id == speaker.id
    suggestions = client.get("/desk/speakers/suggest?q=alva").get_json()
    assert suggestions[0]["name"] == "José Álvarez"


def test_two_people_editing_one_claim_cannot_overwrite_each_other(login_as, make_claim):
    claim = make_claim("logged")
    alice, bob = login_as("fact_checker"), login_as("editor")
    # Both open the edit form at the same version.
    assert b'name="version"' in alice.get(f"/desk/claims/{claim.id}/edit").data
    version = claim.version
    first = alice.post(
        f"/desk/claims/{claim.id}/edit",
        data={**CLAIM_FORM, "text": "Alice's wording of the claim.", "version": version},
    )
    assert first.status_code == 302
    second = bob.post(
        f"/desk/claims/{claim.id}/edit",
        data={**CLAIM_FORM, "text": "Bob's wording of the claim.", "version": version},
    )
    assert second.status_code == 409
    html = second.get_data(as_text=True)
    assert "Alice&#39;s wording of the claim." in html  # what the other person saved
    assert "Bob&#39;s wording of the claim." in html  # what you typed, kept in the form
    db.session.expire_all()
    assert db.session.get(Claim, claim.id).text == "Alice's wording of the claim."
    # Bob re-saves deliberately from the conflict page, now based on the current version.
    current = db.session.get(Claim, claim.id).version
    assert f'value="{current}"' in html
    third = bob.post(
        f"/desk/claims/{claim.id}/edit",
        data={**CLAIM_FORM, "text": "Bob's wording of the claim.", "version": current},
    )
    assert third.status_code == 302
    db.session.expire_all()
    assert db.session.get(Claim, claim.id).text == "Bob's wording of the claim."
    updates = db.session.scalars(
        sa.select(AuditEvent).where(AuditEvent.action == "claim.update")
    ).all()
    assert [u.after["text"] for u in updates] == [
        "Alice's wording of the claim.",
        "Bob's wording of the claim.",
    ]
    assert updates[1].before["text"] == "Alice's wording of the claim."


def test_evidence_add_edit_remove_is_soft_and_in_the_history(login_as, make_claim):
    claim = make_claim("researching")
    client = login_as("fact_checker")
    resp = client.post(
        f"/desk/claims/{claim.id}/evidence/new",
        data={
            "stance": "refutes",
            "url": "https://stats.example.org/jobs",
            "title": "Jobs report",
            "publisher": "Statistics Office",
            "excerpt": "Unemployment was 6.1%.",
        },
    )
    assert resp.status_code == 302
    evidence = db.session.scalars(sa.select(Evidence)).one()
    loaded_version = evidence.version
    resp = client.post(
        f"/desk/evidence/{evidence.id}/edit",
        data={
            "stance": "context",
            "url": "https://stats.example.org/jobs",
            "title": "Jobs report 2024",
            "version": loaded_version,
        },
    )
    assert resp.status_code == 302
    stale = client.post(
        f"/desk/evidence/{evidence.id}/edit",
        data={
            "stance": "supports",
            "url": "https://stats.example.org/jobs",
            "version": loaded_version,
        },
    )
    assert stale.status_code == 409
    db.session.expire_all()
    evidence = db.session.get(Evidence, evidence.id)
    assert evidence.stance == "context" and evidence.title == "Jobs report 2024"
    resp = client.post(f"/desk/evidence/{evidence.id}/remove", data={"version": evidence.version})
    assert resp.status_code == 302
    db.session.expire_all()
    assert db.session.get(Evidence, evidence.id).removed_at is not None
    actions = [
        e.action
        for e in db.session.scalars(sa.select(AuditEvent).where(AuditEvent.claim_id == claim.id))
    ]
    assert actions[-3:] == ["evidence.add", "evidence.update", "evidence.remove"]
    page = client.get(f"/desk/claims/{claim.id}").get_data(as_text=True)
    assert "removed" in page and "removed a source from the evidence" in page


def test_evidence_needs_url_or_citation_and_a_stance(login_as, make_claim):
    claim = make_claim("researching")
    client = login_as("fact_checker")
    resp = client.post(
        f"/desk/claims/{claim.id}/evidence/new", data={"stance": "refutes", "title": "No link"}
    )
    assert resp.status_code == 200 and b"Give a URL or a citation" in resp.data
    resp = client.post(
        f"/desk/claims/{claim.id}/evidence/new",
        data={"stance": "refutes", "url": "javascript:alert(1)"},
    )
    assert resp.status_code == 200 and b"http://" in resp.data
    assert count(Evidence) == 0


def test_editor_assigns_a_fact_checker_and_a_fact_checker_may_not(login_as, make_claim, users):
    claim = make_claim("logged")
    checker = login_as("fact_checker")
    resp = checker.post(
        f"/desk/claims/{claim.id}/transition",
        data={"action": "assign", "assignee": users["fact_checker"].id, "version": claim.version},
    )
    assert resp.status_code == 403
    db.session.expire_all()
    assert db.session.get(Claim, claim.id).assignee_id is None
    editor = login_as("editor")
    resp = editor.post(
        f"/desk/claims/{claim.id}/transition",
        data={"action": "assign", "assignee": users["fact_checker"].id, "version": claim.version},
    )
    assert resp.status_code == 302
    db.session.expire_all()
    claim = db.session.get(Claim, claim.id)
    assert claim.assignee_id == users["fact_checker"].id and claim.status == "researching"
    dashboard = checker.get("/desk/").get_data(as_text=True)
    assert "My queue" in dashboard and claim.text[:30] in dashboard


def test_fact_checker_starts_research_and_becomes_assignee(login_as, make_claim, users):
    claim = make_claim("logged")
    client = login_as("fact_checker")
    resp = client.post(
        f"/desk/claims/{claim.id}/transition", data={"action": "start", "version": claim.version}
    )
    assert resp.status_code == 302
    db.session.expire_all()
    claim = db.session.get(Claim, claim.id)
    assert claim.status == "researching" and claim.assignee_id == users["fact_checker"].id


def test_stale_transition_changes_nothing(login_as, make_claim):
    claim = make_claim("logged")
    client = login_as("fact_checker")
    resp = client.post(
        f"/desk/claims/{claim.id}/transition",
        data={"action": "start", "version": claim.version - 1 or 99},
    )
    assert resp.status_code == 302
    db.session.expire_all()
    assert db.session.get(Claim, claim.id).status == "logged"
    follow = client.get(f"/desk/claims/{claim.id}").get_data(as_text=True)
    assert "Someone changed this claim" in follow


def test_editor_merges_speakers_claims_move_and_old_slug_redirects(login_as, make_claim, users):
    first = make_claim("logged", speaker="Pat Quill")
    second = make_claim(
        "logged", speaker="P. Quill", text="The harbour handled 2 million containers."
    )
    keep, drop = first.speaker, second.speaker
    drop_slug, drop_id = drop.slug, drop.id
    assert (
        login_as("fact_checker")
        .post("/desk/speakers/merge", data={"survivor": keep.id, "duplicate": drop.id})
        .status_code
        == 403
    )
    resp = login_as("editor").post(
        "/desk/speakers/merge", data={"survivor": keep.id, "duplicate": drop.id}
    )
    assert resp.status_code == 302
    db.session.expire_all()
    assert db.session.get(Claim, second.id).speaker_id == keep.id
    assert db.session.get(Speaker, drop_id) is None
    assert "P. Quill" in [a.name for a in db.session.get(Speaker, keep.id).aliases]
    redirect = db.session.scalars(sa.select(SlugRedirect)).one()
    assert (redirect.old_slug, redirect.target_id) == (drop_slug, keep.id)
    event = db.session.scalars(
        sa.select(AuditEvent).where(AuditEvent.action == "speaker.merge")
    ).one()
    assert event.after["claims_moved"] == 1


def test_speaker_edit_sets_aliases_and_detects_conflicts(login_as, make_claim):
    claim = make_claim("logged", speaker="Rina Vale")
    speaker = claim.speaker
    client = login_as("fact_checker")
    form = {
        "name": "Rina Vale",
        "kind": "person",
        "title": "Harbour Commissioner",
        "aliases": "Commissioner Vale\nR. Vale",
        "version": speaker.version,
    }
    assert client.post(f"/desk/speakers/{speaker.id}/edit", data=form).status_code == 302
    stale = client.post(f"/desk/speakers/{speaker.id}/edit", data={**form, "title": "Other"})
    assert stale.status_code == 409
    page = stale.get_data(as_text=True)
    assert "Harbour Commissioner" in page and "Other" in page  # saved beside typed
    assert "R. Vale" in page
    db.session.expire_all()
    speaker = db.session.get(Speaker, speaker.id)
    assert speaker.title == "Harbour Commissioner"
    assert sorted(a.name for a in speaker.aliases) == ["Commissioner Vale", "R. Vale"]


def test_desk_list_filters(login_as, make_claim, users):
    make_claim(
        "logged", text="Ferries carry 9,000 people a day.", speaker="Ann Ferry", tags=["transport"]
    )
    make_claim("researching", text="The port earned 20 million in fees.", speaker="Bo Port")
    client = login_as("editor")
    html = client.get("/desk/claims?status=researching").get_data(as_text=True)
    assert "The port earned" in html and "Ferries carry" not in html
    html = client.get("/desk/claims?tag=transport").get_data(as_text=True)
    assert "Ferries carry" in html and "The port earned" not in html
    html = client.get("/desk/claims?q=FERRIES").get_data(as_text=True)
    assert "Ferries carry" in html and "The port earned" not in html
    resp = client.get("/desk/claims?from=not-a-date")
    assert resp.status_code == 400 and b"YYYY-MM-DD" in resp.data


def test_desk_list_runs_the_same_number_of_statements_whatever_it_shows(login_as, make_claim, app):
    client = login_as("editor")
    statements: list[str] = []

    def counter(conn, cursor, statement, *args):
        statements.append(statement)

    def measure() -> int:
        statements.clear()
        sa.event.listen(db.engine, "before_cursor_execute", counter)
        try:
            assert client.get("/desk/claims").status_code == 200
            assert client.get("/desk/").status_code == 200
        finally:
            sa.event.remove(db.engine, "before_cursor_execute", counter)
        return len(statements)

    def add(start: int, n: int) -> None:
        # The same mix each time (statuses, assignees, tags), so only the row count differs.
        for i in range(start, start + n):
            status = "logged" if i % 2 else "researching"
            make_claim(
                status,
                text=f"Claim number {i} about bridges and roads.",
                speaker=f"Speaker {i}",
                tags=["t1", f"t{i}"],
            )

    add(0, 2)
    few = measure()
    add(2, 12)
    many = measure()
    assert many == few, f"{few} statements for 2 claims but {many} for 14"


def test_rating_scale_admin(login_as, ratings, make_claim):
    assert login_as("fact_checker").get("/desk/ratings").status_code == 403
    editor = login_as("editor")
    resp = editor.post(
        "/desk/ratings/new",
        data={
            "name": "Exaggerated",
            "ordinal": 3,
            "colour": "#aa5500",
            "description": "Overstated.",
        },
    )
    assert resp.status_code == 302
    from factcheck.models import Rating

    new = db.session.scalars(sa.select(Rating).where(Rating.slug == "exaggerated")).one()
    last_position = new.position
    editor.post(f"/desk/ratings/{new.id}/move/up")
    db.session.expire_all()
    assert db.session.get(Rating, new.id).position == last_position - 1
    bad = editor.post("/desk/ratings/new", data={"name": "Bad colour", "colour": "red"})
    assert bad.status_code == 200 and b"A colour like" in bad.data
    make_claim("published", rating="false")
    used = ratings["false"]
    resp = editor.post(f"/desk/ratings/{used.id}/delete", follow_redirects=True)
    assert b"cannot be deleted" in resp.data
    assert db.session.get(Rating, used.id) is not None
    new_id = new.id
    editor.post(f"/desk/ratings/{new_id}/delete")
    db.session.expire_all()
    assert db.session.get(Rating, new_id) is None


def test_desk_list_exports_csv_with_filters_and_no_live_formulas(login_as, make_claim):
    make_claim(
        "logged",
        text='=HYPERLINK("http://evil.example") spent 3 million on ferries.',
        speaker="@Formula Person",
    )
    make_claim("researching", text="The port earned 20 million in fees.", speaker="Bo Port")
    client = login_as("fact_checker")
    assert b"Download these claims as CSV" in client.get("/desk/claims?status=logged").data
    resp = client.get("/desk/claims.csv?status=logged")
    assert resp.status_code == 200 and resp.mimetype == "text/csv"
    text = resp.get_data(as_text=True)
    assert "The port earned" not in text
    assert "'=HYPERLINK" in text and "'@Formula Person" in text
    assert login_as(None).get("/desk/claims.csv").status_code == 302
