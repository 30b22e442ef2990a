"""One way to refuse: every service raises ``core.refusals.Refused``; the API answers it in the
one error shape with its status, and a page shows it on the field it names.

Each case below is a real service refusing through a real endpoint or page: nothing is mocked.
"""

import importlib
import inspect
import json
import pkgutil
import re
import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

import liaison
from liaison.arrivals.models import Arrival, IdempotencyRecord
from liaison.core import services as core_services
from liaison.core.models import Site
from liaison.core.refusals import Conflict, Refused
from liaison.core.roles import Role
from liaison.handover import services as handover
from liaison.screening.models import LabResult, TemperatureReading
from tests.arrivals.conftest import valid_payload
from tests.conftest import make_user
from tests.handover.conftest import ready
from tests.screening.conftest import declare, sampled, screened

pytestmark = pytest.mark.django_db


def _the_errors(response, status: int) -> list[dict]:
    """The body of a refusal: only ``errors``, each only a field and a message."""
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"errors"}, body
    assert body["errors"] and all(set(e) == {"field", "message"} for e in body["errors"])
    return body["errors"]


# --- the API adapter ------------------------------------------------------------------------


def test_a_laboratory_result_for_an_unknown_tube_is_a_400_naming_the_barcode(
    client, administrator, airport_desk_officer, sampler_at_t3
):
    lab = make_user("hu-lab", Role.LAB)
    _token, secret = core_services.create_api_token(name="CDC", user=lab, created_by=administrator)
    site = Site.objects.get(code="SAMP-CKG-T3")
    sampled(declare(), airport_desk_officer, sampler_at_t3, site, barcode="T3-000001")
    body = {
        "barcode": "T3-999999",  # no such tube
        "result": "negative",
        "tested_at": (timezone.now() - timedelta(minutes=5)).isoformat(),
        "lab": "Jiangbei CDC",
    }
    response = client.post(
        "/api/v1/results",
        body,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {secret}",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert _the_errors(response, 400) == [{"field": "barcode", "message": "Unknown tube barcode."}]
    assert not LabResult.objects.exists()


def test_a_traveler_received_twice_is_a_409_and_an_unknown_code_a_400(
    yubei, yubei_receiving_officer, signed_in
):
    dispatcher = make_user("sun-dispatch", Role.DISPATCH)
    traveler = ready()
    batch = handover.make_batch(
        destination=yubei,
        disposition="centralized_quarantine",
        vehicle="渝A·12345",
        escort="Officer Liu",
        planned_departure=timezone.now(),
        arrivals=[traveler],
        dispatcher=dispatcher,
    )
    handover.mark_departed(batch=batch, dispatcher=dispatcher)
    client = signed_in(yubei_receiving_officer)

    def receive(code: str):
        return client.post(
            f"/api/v1/handover/batches/{batch.pk}/receive",
            {"code": code},
            content_type="application/json",
            HTTP_ACCEPT_LANGUAGE="en",
        )

    assert receive(traveler.code).status_code == 200
    confirmed = batch.members.get().confirmed_at
    (again,) = _the_errors(receive(traveler.code), 409)  # AlreadyReceived, a Conflict
    assert again["field"] == "code" and "already received by wang-yubei" in again["message"]
    (unknown,) = _the_errors(receive("NOSUCH00"), 400)
    assert unknown["field"] == "code" and "not in this batch" in unknown["message"]
    assert batch.members.get().confirmed_at == confirmed  # the refusals changed nothing


def _declare(client, body: dict, key: str):
    return client.post(
        "/api/v1/declarations",
        data=json.dumps(body),
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
        HTTP_IDEMPOTENCY_KEY=key,
    )


def test_a_declaration_reports_every_bad_field_at_once(client, city):
    body = valid_payload(document_number="", flight_number="")
    errors = _the_errors(_declare(client, body, str(uuid.uuid4())), 400)
    assert {"document_number", "flight_number"} <= {error["field"] for error in errors}
    assert all(error["message"] for error in errors)
    assert not Arrival.objects.exists()


def test_a_reused_idempotency_key_is_a_409_on_the_key(client, city):
    assert _declare(client, valid_payload(), "reused-key-1").status_code == 201
    (error,) = _the_errors(_declare(client, valid_payload(seat="2C"), "reused-key-1"), 409)
    assert error["field"] == "Idempotency-Key" and "already used" in error["message"]
    assert Arrival.objects.count() == IdempotencyRecord.objects.count() == 1


# --- the page adapter -----------------------------------------------------------------------


@pytest.fixture
def desk_page(airport_desk_officer, signed_in):
    client = signed_in(airport_desk_officer)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    return client


def test_the_desk_page_shows_a_refusal_on_the_field_it_names(desk_page):
    arrival = declare()
    url = f"/screening/desk/{arrival.pk}/"
    response = desk_page.post(url, {"action": "temperature", "celsius": "50.0", "device": "IR-3"})
    assert response.status_code == 400
    form = response.context["temperature_form"]
    message = "A body temperature is between 30.0 and 45.0 °C; check the reading."
    assert form.errors == {"celsius": [message]}
    html = response.content.decode()
    beside_the_field = r'name="celsius"[^>]*>\s*<p class="error" role="alert">A body temperature'
    assert re.search(beside_the_field, html)
    assert not TemperatureReading.objects.exists()


def test_a_refusal_for_no_field_of_the_form_is_shown_above_it(desk_page, airport_desk_officer):
    arrival = screened(declare(), airport_desk_officer)  # past the temperatures: "state"
    readings = TemperatureReading.objects.count()
    response = desk_page.post(
        f"/screening/desk/{arrival.pk}/",
        {"action": "temperature", "celsius": "36.6", "device": "IR-3"},
    )
    assert response.status_code == 400
    form = response.context["temperature_form"]
    assert list(form.errors) == ["__all__"]
    assert "Temperatures are recorded before screening ends" in form.non_field_errors()[0]
    assert TemperatureReading.objects.count() == readings


# --- every service refuses the one way -----------------------------------------------------

SERVICE_MODULES = re.compile(
    r"(^|\.)(services|desk|sampling|results\w*|dispositions|consular|conflicts|states)$"
)


def _service_modules():
    for info in pkgutil.walk_packages(liaison.__path__, prefix="liaison."):
        if SERVICE_MODULES.search(info.name) and ".migrations" not in info.name:
            yield importlib.import_module(info.name)


def test_every_exception_a_service_module_defines_is_a_refusal():
    defined = {
        f"{module.__name__}.{name}": cls
        for module in _service_modules()
        for name, cls in inspect.getmembers(module, inspect.isclass)
        if issubclass(cls, BaseException) and cls.__module__ == module.__name__
    }
    # The walk found the refusals callers test for (it is not vacuous) …
    assert {
        "liaison.handover.services.AlreadyReceived",
        "liaison.arrivals.services.IdempotencyConflict",
        "liaison.arrivals.states.InvalidMove",
        "liaison.screening.dispositions.NotYetDecidable",
    } <= set(defined)
    # … and each derives from the one refusal.
    assert [name for name, cls in defined.items() if not issubclass(cls, Refused)] == []
    # The state machine's refusal is a conflict: the arrival's state does not allow the move.
    assert issubclass(defined["liaison.arrivals.states.InvalidMove"], Conflict)
