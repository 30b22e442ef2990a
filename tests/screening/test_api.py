"""The laboratories' results API answers every error in the API's one shape:
``{"errors": [{"field": ..., "message": ...}]}``, as the declarations API does."""

from datetime import timedelta

import pytest
from django.utils import timezone

from liaison.screening.models import LabResult
from tests.screening.conftest import sampled

pytestmark = pytest.mark.django_db


@pytest.fixture
def lab_client(client, lab_token):
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {lab_token}"
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.fixture
def body(arrival, airport_desk_officer, sampler_at_t3, t3_sampling_site):
    sampled(arrival, airport_desk_officer, sampler_at_t3, t3_sampling_site)
    return {
        "barcode": "T3-000001",
        "result": "negative",
        "tested_at": (timezone.now() - timedelta(minutes=5)).isoformat(),
        "lab": "Jiangbei CDC",
    }


def post(client, data, content_type="application/json"):
    return client.post("/api/v1/results", data, content_type=content_type)


def fields(response) -> list[str]:
    assert set(response.json()) == {"errors"}, response.json()
    return [error["field"] for error in response.json()["errors"]]


def test_a_refused_result_names_its_field(lab_client, body):
    response = post(lab_client, {**body, "tested_at": "2020-01-01T10:00:00+08:00"})
    assert response.status_code == 400 and fields(response) == ["tested_at"]
    assert "before the sample was collected" in response.json()["errors"][0]["message"]
    response = post(lab_client, {**body, "result": "maybe"})
    assert response.status_code == 400 and fields(response) == ["result"]
    assert not LabResult.objects.exists()


def test_a_body_that_is_not_a_result_names_every_field_at_once(lab_client, body):
    response = post(lab_client, {"barcode": 7, "tested_at": "yesterday"})
    assert response.status_code == 400
    assert fields(response) == ["barcode", "result", "lab", "tested_at"]
    for data in ("not json", "[1, 2]", b"\xff\xfe"):
        response = post(lab_client, data)
        assert response.status_code == 400 and fields(response) == [""]
    assert not LabResult.objects.exists()


def test_a_role_without_the_laboratory_desk_is_refused_in_the_same_shape(
    body, airport_desk_officer, signed_in
):
    desk = signed_in(airport_desk_officer)
    response = post(desk, body)
    assert response.status_code == 403 and fields(response) == [""]
    assert not LabResult.objects.exists()


def test_the_schema_documents_the_errors_shape(client):
    schema = client.get("/api/v1/openapi.json").json()
    responses = schema["paths"]["/api/v1/results"]["post"]["responses"]
    declarations = schema["paths"]["/api/v1/declarations"]["post"]["responses"]
    for status in ("400", "403"):
        ref = responses[status]["content"]["application/json"]["schema"]["$ref"]
        assert ref == declarations["400"]["content"]["application/json"]["schema"]["$ref"]
    errors = schema["components"]["schemas"]["Errors"]
    assert errors["properties"]["errors"]["items"]["$ref"].endswith("/Error")
    request = schema["paths"]["/api/v1/results"]["post"]["requestBody"]
    assert request["content"]["application/json"]["schema"]["required"] == [
        "barcode",
        "result",
        "tested_at",
        "lab",
    ]
