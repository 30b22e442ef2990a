"""The airport side's refusals that nothing reached before (issue 12, point 8).

Each is tried through the page and, where there is one, the API (a laboratory's results), and
through the service the page and the API share: a 400 with the message that says what to do,
and nothing changed (no reading, no sample, no result, the state as it was, no event, no audit
entry of a write). The messages are compared whole; the refusal's class is not looked at.
"""

from datetime import timedelta

import pytest
from django.utils import timezone, translation

from liaison.arrivals.models import Arrival, ArrivalEvent
from liaison.arrivals.states import ArrivalState
from liaison.core.models import AuditEntry, Site
from liaison.screening import desk, dispositions, results, sampling
from liaison.screening.models import Disposition, LabResult, Sample, TemperatureReading
from tests.screening.conftest import sampled, screened

pytestmark = pytest.mark.django_db
# Audit entries of a write; a refusal may leave a read or a denial, never one of these.
WRITES = (AuditEntry.Action.CREATE, AuditEntry.Action.UPDATE, AuditEntry.Action.DELETE)
S = ArrivalState
REQUIRED = "This field is required."


def snapshot(arrival) -> tuple:
    """Everything a refused step must leave as it was."""
    return (
        Arrival.objects.values_list("state", "facts").get(pk=arrival.pk),
        ArrivalEvent.objects.count(),
        TemperatureReading.objects.count(),
        list(Sample.objects.values_list("barcode", "superseded")),
        LabResult.objects.count(),
        list(Disposition.objects.values_list("disposition", "is_current")),
        AuditEntry.objects.filter(action__in=WRITES).count(),
    )


def refusal(call) -> str:
    """The message of the refusal ``call`` raises, in English (a request before it leaves its
    own language active)."""
    with (
        translation.override("en"),
        pytest.raises(Exception) as refused,  # noqa: PT011 - the message is what is checked
    ):
        call()
    return refused.value.message


def errors_of(response) -> list[tuple[str, str]]:
    return [(e["field"], e["message"]) for e in response.json()["errors"]]


@pytest.fixture
def lab_api(client, lab_token):
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {lab_token}"
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def en(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


# --- the desk: a temperature without its device -------------------------------------------------


def test_a_temperature_without_the_device_is_refused(arrival, airport_desk_officer, signed_in):
    client = en(signed_in(airport_desk_officer))
    before = snapshot(arrival)
    page = f"/screening/desk/{arrival.pk}/"
    response = client.post(page, {"action": "temperature", "celsius": "36.6", "device": "  "})
    assert response.status_code == 400
    assert response.context["temperature_form"].errors == {"device": [REQUIRED]}
    assert snapshot(arrival) == before
    message = refusal(
        lambda: desk.record_temperature(
            arrival=arrival, celsius="36.6", device=" \t", officer=airport_desk_officer
        )
    )
    assert message == "Name the device that took the reading."
    assert snapshot(arrival) == before


# --- the laboratory: a result without the laboratory's name -------------------------------------


@pytest.fixture
def waiting(arrival, airport_desk_officer, sampler_at_t3, t3_sampling_site):
    """Kim Minjun's tube T3-000001, waiting for its result."""
    return sampled(arrival, airport_desk_officer, sampler_at_t3, t3_sampling_site)


def a_result(**changes) -> dict:
    tested = timezone.localtime() - timedelta(minutes=5)
    return {
        "barcode": "T3-000001",
        "result": "negative",
        "tested_at": tested.isoformat(),
        "lab": "Jiangbei CDC",
        **changes,
    }


def test_a_result_without_the_laboratory_is_refused(waiting, lab_user, lab_api, signed_in):
    page = en(signed_in(lab_user))
    before = snapshot(waiting)
    response = lab_api.post("/api/v1/results", a_result(lab="  "), content_type="application/json")
    assert response.status_code == 400
    assert errors_of(response) == [("lab", "Name the laboratory.")]
    assert snapshot(waiting) == before
    tested = (timezone.localtime() - timedelta(minutes=5)).strftime("%Y-%m-%d %H:%M")
    form = {"action": "result", **a_result(lab=" ", tested_at=tested)}
    response = page.post("/screening/lab/", form)
    assert response.status_code == 400
    assert response.context["result_form"].errors == {"lab": [REQUIRED]}
    assert snapshot(waiting) == before


# --- sampling: a bad barcode, a site that is not a sampling site, a re-sample -----------------


def test_a_bad_barcode_is_refused_at_sampling_and_at_the_laboratory(
    arrival, airport_desk_officer, sampler_at_t3, t3_sampling_site, lab_api, signed_in
):
    screened(arrival, airport_desk_officer)
    client = en(signed_in(sampler_at_t3))
    before = snapshot(arrival)
    told = "A tube barcode is up to 40 letters, digits, dashes or dots."
    for barcode in ("T3 000001", "T3/000001", "T3-" + "0" * 40):
        response = client.post(
            "/screening/sampling/",
            {"code": arrival.code, "barcode": barcode, "site": t3_sampling_site.pk},
        )
        assert response.status_code == 400, barcode
        assert response.context["form"].errors == {"barcode": [told]}, barcode
        response = lab_api.post(
            "/api/v1/results", a_result(barcode=barcode), content_type="application/json"
        )
        assert response.status_code == 400, barcode
        assert errors_of(response) == [("barcode", told)], barcode
    response = lab_api.post(
        "/api/v1/results", a_result(barcode=" "), content_type="application/json"
    )
    assert response.status_code == 400
    assert errors_of(response) == [("barcode", "Scan the tube barcode.")]
    assert snapshot(arrival) == before


def test_a_site_that_is_not_a_sampling_site_is_refused(
    arrival, airport_desk_officer, sampler_at_t3, signed_in
):
    screened(arrival, airport_desk_officer)
    hospital = Site.objects.filter(kind=Site.Kind.DESIGNATED_HOSPITAL).first()
    client = en(signed_in(sampler_at_t3))
    before = snapshot(arrival)
    response = client.post(
        "/screening/sampling/", {"code": arrival.code, "barcode": "T3-9", "site": hospital.pk}
    )
    assert response.status_code == 400
    assert response.context["form"].errors == {
        "site": ["Select a valid choice. That choice is not one of the available choices."]
    }
    for site in (hospital, None):
        message = refusal(
            lambda site=site: sampling.register_sample(
                arrival=arrival, barcode="T3-9", site=site, collector=sampler_at_t3
            )
        )
        assert message == "Choose a sampling site."
    assert snapshot(arrival) == before


def test_a_second_sample_without_an_inconclusive_result_is_refused(
    waiting, sampler_at_t3, t3_sampling_site, lab_user, signed_in
):
    client = en(signed_in(sampler_at_t3))
    resample = {"code": waiting.code, "barcode": "T3-000002", "site": t3_sampling_site.pk}
    # Sampled, no result yet.
    before = snapshot(waiting)
    response = client.post("/screening/sampling/", resample)
    assert response.status_code == 400
    assert list(response.context["form"].non_field_errors()) == [
        "This traveler was already sampled; a second sample is taken only after an "
        "inconclusive result."
    ]
    assert snapshot(waiting) == before
    # A negative result: the policy decided; no second tube.
    results.record_result(
        reported_by=lab_user,
        **{**a_result(), "tested_at": timezone.now() - timedelta(minutes=5)},
    )
    waiting.refresh_from_db()
    assert waiting.state == S.DISPOSED
    before = snapshot(waiting)
    response = client.post("/screening/sampling/", resample)
    assert response.status_code == 400
    assert list(response.context["form"].non_field_errors()) == [
        "The policy already decided this traveler's disposition; no sample is taken."
    ]
    assert snapshot(waiting) == before


# --- the timeline: an override that changes nothing --------------------------------------------


def test_an_override_to_the_same_disposition_is_refused(
    waiting, lab_user, airport_desk_officer, signed_in
):
    results.record_result(
        reported_by=lab_user,
        **{**a_result(), "tested_at": timezone.now() - timedelta(minutes=5)},
    )
    current = Disposition.objects.get(arrival=waiting, is_current=True)
    client = en(signed_in(airport_desk_officer))
    before = snapshot(waiting)
    with translation.override("en"):  # a request leaves its own language active
        told = f"The disposition is already “{current.get_disposition_display()}”."
    response = client.post(
        f"/screening/arrivals/{waiting.pk}/timeline/",
        {"disposition": current.disposition, "reason": "Checked again with the family"},
    )
    assert response.status_code == 400
    assert response.context["form"].errors == {"disposition": [told]}
    waiting.refresh_from_db()
    message = refusal(
        lambda: dispositions.override_disposition(
            arrival=waiting,
            disposition=current.disposition,
            reason="Checked again",
            officer=airport_desk_officer,
        )
    )
    assert message == told
    assert snapshot(waiting) == before
