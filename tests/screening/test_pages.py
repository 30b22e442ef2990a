"""The pages and the API of the airport side: each role reaches only its step."""

from datetime import timedelta

import pytest
from django.utils import timezone

from liaison.arrivals.states import ArrivalState
from liaison.core.models import AuditEntry
from liaison.screening import results
from liaison.screening.models import Disposition, LabResult, Sample, TemperatureReading
from tests.screening.conftest import sampled, screened

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("url", "allowed"),
    [
        ("/screening/desk/", "airport_desk_officer"),
        ("/screening/desk/flights/", "airport_desk_officer"),
        ("/screening/sampling/", "sampler_at_t3"),
        ("/screening/lab/", "lab_user"),
    ],
)
def test_each_page_is_for_its_role_only(request, signed_in, url, allowed):
    roles = ["airport_desk_officer", "sampler_at_t3", "lab_user", "yubei_receiving_officer"]
    for role in roles:
        response = signed_in(request.getfixturevalue(role)).get(url)
        assert response.status_code == (200 if role == allowed else 403), (role, url)


def test_desk_finds_a_traveler_by_scanned_code_document_or_name(
    arrival, airport_desk_officer, signed_in
):
    client = signed_in(airport_desk_officer)
    for text in (arrival.code, arrival.display_code.lower(), "M12345678", "김민준", "kim minjun"):
        response = client.get("/screening/desk/", {"q": text})
        assert response.status_code == 302, text
        assert response["Location"] == f"/screening/desk/{arrival.pk}/"
    assert (
        AuditEntry.objects.filter(
            object_type="arrivals.arrival", object_id=str(arrival.pk), action="read"
        ).exists()
        or client.get(f"/screening/desk/{arrival.pk}/").status_code == 200
    )


def test_desk_records_temperatures_and_marks_screened(arrival, airport_desk_officer, signed_in):
    client = signed_in(airport_desk_officer)
    page = f"/screening/desk/{arrival.pk}/"
    assert client.get(page).status_code == 200
    assert AuditEntry.objects.filter(object_id=str(arrival.pk), action="read").exists()
    response = client.post(
        page, {"action": "temperature", "celsius": "52", "device": "IR"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 400
    assert (
        "A body temperature is between 30.0 and 45.0 °C; check the reading."
        in response.content.decode()
    )
    assert not TemperatureReading.objects.filter(arrival=arrival).exists()
    for celsius in ("36.5", "36.8"):
        client.post(page, {"action": "temperature", "celsius": celsius, "device": "IR-3"})
    assert TemperatureReading.objects.filter(arrival=arrival).count() == 2
    client.post(page, {"action": "confirm_history"})
    response = client.post(page, {"action": "screen"})
    assert response.status_code == 302
    arrival.refresh_from_db()
    assert arrival.state == ArrivalState.SCREENED
    response = client.post(page, {"action": "screen"})
    # Told why, on the traveler's page, with the documented 409 of a move refused: not a 500.
    assert response.status_code == 409


def test_sampling_page_scans_code_and_barcode(
    arrival, airport_desk_officer, sampler_at_t3, t3_sampling_site, signed_in
):
    screened(arrival, airport_desk_officer)
    client = signed_in(sampler_at_t3)
    data = {"code": arrival.display_code, "barcode": "T3-42", "site": t3_sampling_site.pk}
    assert client.post("/screening/sampling/", data).status_code == 302
    response = client.post("/screening/sampling/", {**data, "barcode": "T3-43"})
    assert response.status_code == 400 and Sample.objects.count() == 1


def test_the_lab_token_posts_results_a_desk_session_cannot(
    arrival, airport_desk_officer, sampler_at_t3, t3_sampling_site, lab_token, signed_in, client
):
    sampled(arrival, airport_desk_officer, sampler_at_t3, t3_sampling_site)
    body = {
        "barcode": "T3-000001",
        "result": "negative",
        "tested_at": (timezone.now() - timedelta(minutes=5)).isoformat(),
        "lab": "Jiangbei CDC",
    }
    desk = signed_in(airport_desk_officer)
    assert desk.post("/api/v1/results", body, content_type="application/json").status_code == 403
    assert client.post("/api/v1/results", body, content_type="application/json").status_code in (
        401,
        403,
    )
    headers = {"HTTP_AUTHORIZATION": f"Bearer {lab_token}"}
    bad = client.post(
        "/api/v1/results", {**body, "barcode": "NOPE"}, content_type="application/json", **headers
    )
    assert bad.status_code == 400
    assert [e["field"] for e in bad.json()["errors"]] == ["barcode"]
    first = client.post("/api/v1/results", body, content_type="application/json", **headers)
    assert first.status_code == 201 and first.json()["disposition"] == "centralized_quarantine"
    again = client.post("/api/v1/results", body, content_type="application/json", **headers)
    assert again.status_code == 200 and not again.json()["created"]
    assert LabResult.objects.count() == 1


def test_the_timeline_shows_the_decision_and_an_override_needs_a_reason(
    arrival, airport_desk_officer, sampler_at_t3, t3_sampling_site, lab_user, signed_in
):
    sampled(arrival, airport_desk_officer, sampler_at_t3, t3_sampling_site)
    results.record_result(
        barcode="T3-000001",
        result="negative",
        lab="Jiangbei CDC",
        tested_at=timezone.now(),
        reported_by=lab_user,
    )
    client = signed_in(airport_desk_officer)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    url = f"/screening/arrivals/{arrival.pk}/timeline/"
    page = client.get(url).content.decode()
    assert "Centralized quarantine" in page and "high_risk_history" in page
    assert "Screened at the desk" in page and "T3-000001" in page
    response = client.post(url, {"disposition": "home_quarantine", "reason": " "})
    assert response.status_code == 400 and Disposition.objects.count() == 1
    response = client.post(url, {"disposition": "home_quarantine", "reason": "Own flat"})
    assert response.status_code == 302
    assert "Override: Home quarantine. Reason: Own flat" in client.get(url).content.decode()
    lab_client = signed_in(lab_user)
    assert lab_client.get(url).status_code == 403
