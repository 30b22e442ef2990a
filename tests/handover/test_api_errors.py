"""Every API refusal has the one shape {"errors": [{"field", "message"}]}, translated.

ninja's own refusals (no credentials, a body that does not match its schema, a record that is not
there) as well as the operations' own.
"""

import re

import pytest

from liaison.policy import selectors

CJK = re.compile(r"[\u4e00-\u9fff]")


def _the_errors(response, status: int) -> list[dict]:
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"errors"}, body
    assert body["errors"] and all(set(e) == {"field", "message"} for e in body["errors"])
    return body["errors"]


@pytest.mark.parametrize(("language", "chinese"), [("en", False), ("zh-hans", True)])
def test_no_credentials_is_a_401_in_the_staff_language(client, city, language, chinese):
    response = client.get(
        "/api/v1/me", HTTP_AUTHORIZATION="Bearer wrong", HTTP_ACCEPT_LANGUAGE=language
    )
    (error,) = _the_errors(response, 401)
    assert error["field"] == ""
    assert bool(CJK.search(error["message"])) is chinese


def _receive(client, batch, body, **headers):
    return client.post(
        f"/api/v1/handover/batches/{batch.pk}/receive",
        body,
        content_type="application/json",
        **headers,
    )


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({}, "This field is required."),
        ({"code": 12345678}, "Give this field as text."),
        ("[1, 2", "The body is not valid JSON."),
    ],
)
def test_a_body_that_does_not_match_the_schema_names_the_field(
    departed_batch, yubei_receiving_officer, signed_in, body, message
):
    client = signed_in(yubei_receiving_officer)
    response = _receive(client, departed_batch, body, HTTP_ACCEPT_LANGUAGE="en")
    (error,) = _the_errors(response, 400)
    assert error["message"] == message
    assert error["field"] == ("" if isinstance(body, str) else "code")
    assert departed_batch.members.filter(confirmed_at__isnull=False).count() == 0


def test_schema_errors_are_translated(departed_batch, yubei_receiving_officer, signed_in):
    client = signed_in(yubei_receiving_officer)
    response = _receive(client, departed_batch, {}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    (error,) = _the_errors(response, 400)
    assert error["field"] == "code" and CJK.search(error["message"])


def test_refusals_of_the_operation_name_the_field(
    departed_batch, yubei_receiving_officer, signed_in
):
    client = signed_in(yubei_receiving_officer)
    code = departed_batch.members.first().arrival.code
    assert _receive(client, departed_batch, {"code": code}).status_code == 200
    (again,) = _the_errors(_receive(client, departed_batch, {"code": code}), 409)
    (unknown,) = _the_errors(_receive(client, departed_batch, {"code": "NOSUCH00"}), 400)
    assert again["field"] == unknown["field"] == "code"


def test_another_districts_batch_is_a_404(departed_batch, jiangbei_receiving_officer, signed_in):
    other = signed_in(jiangbei_receiving_officer)
    response = other.get(f"/api/v1/handover/batches/{departed_batch.pk}", HTTP_ACCEPT_LANGUAGE="en")
    (error,) = _the_errors(response, 404)
    assert error["message"] == "No such batch."


def test_no_policy_in_force_is_a_404(leader, signed_in, monkeypatch):
    def nothing_in_force():
        raise selectors.NoPolicyInForce("no published rules version")

    monkeypatch.setattr(selectors, "policy_in_force", nothing_in_force)
    response = signed_in(leader).get("/api/v1/policy/in-force", HTTP_ACCEPT_LANGUAGE="en")
    (error,) = _the_errors(response, 404)
    assert error["message"] == "No policy version is in force yet."


def test_a_refused_area_is_a_403_in_the_same_shape(departed_batch, signed_in, leader):
    (error,) = _the_errors(signed_in(leader).get("/api/v1/handover/batches"), 403)
    assert error["field"] == "" and error["message"]


def test_the_schema_documents_every_refusal_with_the_one_error_shape(client):
    schema = client.get("/api/v1/openapi.json").json()
    refusals = 0
    open_to_anyone = set()
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            for status, response in operation["responses"].items():
                if not status.startswith("4"):
                    continue
                refusals += 1
                content = response["content"]["application/json"]["schema"]
                assert content["$ref"].endswith("/Errors"), (method, path, status)
            if operation.get("security"):
                assert "401" in operation["responses"], (method, path)
            else:
                open_to_anyone.add((method, path))
    assert refusals >= 20
    # A traveler's declaration and the aid desk's transparency data; every other one signs in.
    assert open_to_anyone == {
        ("post", "/api/v1/declarations"),
        ("get", "/api/v1/public/aid-donations"),
    }
