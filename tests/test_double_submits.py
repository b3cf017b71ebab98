"""A create form posted twice creates one row; an API write resent with its Idempotency-Key
gets the first answer and creates nothing more."""

from __future__ import annotations

import json
import re

from sqlalchemy import func, select

from factcheck.extensions import db
from factcheck.models import Claim, Evidence


def _count(model, *where) -> int:
    db.session.expire_all()
    return int(db.session.scalar(select(func.count()).select_from(model).where(*where)) or 0)


def _key(html: str) -> str:
    found = re.search(r'name="submission_key" type="hidden" value="([^"]+)"', html)
    assert found is not None, "the form carries a one-time key"
    return found.group(1)


CLAIM_FORM = {
    "text": "The harbour dredging cost 9 million in 2024.",
    "speaker": "Alma Testperson",
    "language": "en",
}


def test_log_a_claim_posted_twice_creates_one_claim(login_as):
    desk = login_as("fact_checker")
    key = _key(desk.get("/desk/claims/new").get_data(as_text=True))
    first = desk.post("/desk/claims/new", data={**CLAIM_FORM, "submission_key": key})
    second = desk.post("/desk/claims/new", data={**CLAIM_FORM, "submission_key": key})
    assert first.status_code == 302
    assert second.status_code == 303
    assert second.headers["Location"] == first.headers["Location"]
    assert _count(Claim) == 1
    page = desk.get(second.headers["Location"]).get_data(as_text=True)
    assert "already sent" in page and "nothing was added twice" in page


def test_each_new_form_gets_its_own_key(login_as):
    desk = login_as("fact_checker")
    first = _key(desk.get("/desk/claims/new").get_data(as_text=True))
    second = _key(desk.get("/desk/claims/new").get_data(as_text=True))
    assert first != second
    desk.post("/desk/claims/new", data={**CLAIM_FORM, "submission_key": first})
    desk.post("/desk/claims/new", data={**CLAIM_FORM, "submission_key": second})
    assert _count(Claim) == 2  # two forms, two claims: only the same form is one


def test_a_form_refused_for_its_input_keeps_its_key_usable(login_as):
    desk = login_as("fact_checker")
    key = _key(desk.get("/desk/claims/new").get_data(as_text=True))
    refused = desk.post(
        "/desk/claims/new", data={**CLAIM_FORM, "text": "Short", "submission_key": key}
    )
    assert refused.status_code == 200 and _key(refused.get_data(as_text=True)) == key
    saved = desk.post("/desk/claims/new", data={**CLAIM_FORM, "submission_key": key})
    assert saved.status_code == 302
    assert _count(Claim) == 1


def test_add_evidence_posted_twice_creates_one_row(login_as, make_claim):
    claim = make_claim("researching")
    before = _count(Evidence, Evidence.claim_id == claim.id)
    desk = login_as("fact_checker")
    path = f"/desk/claims/{claim.id}/evidence/new"
    key = _key(desk.get(path).get_data(as_text=True))
    data = {"stance": "refutes", "url": "https://budget.example.org/x", "submission_key": key}
    assert desk.post(path, data=data).status_code == 302
    assert desk.post(path, data=data).status_code == 303
    assert _count(Evidence, Evidence.claim_id == claim.id) == before + 1


def test_a_damaged_key_is_a_clear_form_error(login_as):
    desk = login_as("fact_checker")
    resp = desk.post("/desk/claims/new", data={**CLAIM_FORM, "submission_key": "a b" * 60})
    assert resp.status_code == 200
    assert "one-time key is damaged" in resp.get_data(as_text=True)
    assert _count(Claim) == 0


def _post(client, token, body, key=None):
    headers = {"Authorization": f"Bearer {token}"}
    if key is not None:
        headers["Idempotency-Key"] = key
    return client.post("/api/v1/claims", json=body, headers=headers)


API_CLAIM = {
    "text": "The ferry carried 2 million people in 2024.",
    "speaker": "Orla Example",
    "date": "2025-01-15",
}


def test_an_idempotency_key_replays_the_first_answer(client, api_token):
    token = api_token("fact_checker")
    first = _post(client, token, API_CLAIM, "3b1f-one")
    again = _post(client, token, API_CLAIM, "3b1f-one")
    assert first.status_code == again.status_code == 201
    assert again.get_json() == first.get_json()
    assert again.headers["Location"] == first.headers["Location"]
    assert again.headers["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first.headers
    assert _count(Claim) == 1


def test_an_idempotency_key_with_another_body_is_422(client, api_token):
    token = api_token("fact_checker")
    assert _post(client, token, API_CLAIM, "3b1f-two").status_code == 201
    other = _post(
        client, token, {**API_CLAIM, "text": "Another claim about 3 ferries."}, "3b1f-two"
    )
    assert other.status_code == 422
    assert "used for another request" in other.get_json()["error"]["message"]
    assert _count(Claim) == 1


def test_keys_are_per_person_and_refused_writes_do_not_use_them(client, api_token):
    checker, editor = api_token("fact_checker"), api_token("editor")
    refused = _post(client, checker, {"text": "Short"}, "shared-key")
    assert refused.status_code == 400
    assert _post(client, checker, API_CLAIM, "shared-key").status_code == 201
    assert _post(client, editor, API_CLAIM, "shared-key").status_code == 201
    assert _count(Claim) == 2


def test_a_malformed_idempotency_key_is_400(client, api_token):
    resp = _post(client, api_token("fact_checker"), API_CLAIM, "x" * 101)
    assert resp.status_code == 400
    assert "Idempotency-Key" in resp.get_json()["error"]["fields"]
    assert _count(Claim) == 0


def test_without_a_key_each_request_is_its_own_write(client, api_token):
    token = api_token("fact_checker")
    assert _post(client, token, API_CLAIM).status_code == 201
    assert _post(client, token, API_CLAIM).status_code == 201
    assert _count(Claim) == 2


def test_the_openapi_document_states_the_idempotency_key(client):
    spec = client.get("/api/openapi.json").get_json()
    for path, method in (
        ("/api/v1/claims", "post"),
        ("/api/v1/claims/{claim_id}/evidence", "post"),
        ("/api/v1/claims/{claim_id}/appearances", "post"),
        ("/api/v1/claims/{claim_id}/verdict", "put"),
        ("/api/v1/claims/{claim_id}/transitions", "post"),
    ):
        op = spec["paths"][path][method]
        names = [p.get("name") for p in op.get("parameters", [])]
        assert "Idempotency-Key" in names, (path, json.dumps(names))
        assert "422" in op["responses"] and "409" in op["responses"]
