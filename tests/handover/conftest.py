"""Travelers brought through the airport, and the officers of dispatch and receipt."""

import itertools

import pytest
from django.utils import timezone, translation

from liaison.arrivals import services as arrivals
from liaison.arrivals.models import Arrival, Source
from liaison.arrivals.states import ArrivalState
from liaison.core import audit
from liaison.core.models import Site, User
from liaison.core.roles import Role
from liaison.handover import services
from liaison.screening.desk import confirm_history, record_temperature, screen
from liaison.screening.dispositions import override_disposition
from liaison.screening.models import Disposition
from liaison.screening.results import record_result
from liaison.screening.sampling import register_sample
from tests.arrivals.conftest import valid_payload
from tests.conftest import make_user

_numbers = itertools.count(1)


def _letters(n: int) -> str:
    text = ""
    while True:
        n, digit = divmod(n, 26)
        text = chr(ord("A") + digit) + text
        if not n:
            return text


def onward(**changes) -> dict:
    """What a traveler leaving the city tomorrow declares."""
    from datetime import timedelta

    departure = timezone.localtime() + timedelta(hours=20)
    return {
        "destination_kind": "onward",
        "jurisdiction": "",
        "address": "",
        "onward_destination": "Chengdu",
        "onward_departure": departure.replace(microsecond=0).isoformat(),
        **changes,
    }


def declare(**changes) -> Arrival:
    """A new traveler (a Korean tourist to Yubei unless told otherwise), in state "declared"."""
    n = next(_numbers)
    changes.setdefault("document_number", f"M{n:08d}")
    changes.setdefault("surname_latin", "KIM" + _letters(n))
    with audit.acting_as(username="test"):
        return arrivals.declare(data=valid_payload(**changes), source=Source.API).arrival


def staff(username: str, role: Role, **where) -> User:
    """One officer per step, made on first use (helpers below run outside fixtures)."""
    return User.objects.filter(username=username).first() or make_user(username, role, **where)


def screened(arrival: Arrival, celsius="36.6") -> Arrival:
    desk = staff("test-desk", Role.AIRPORT_DESK)
    record_temperature(arrival=arrival, celsius=celsius, device="IR-3", officer=desk)
    confirm_history(arrival=arrival, officer=desk)
    screen(arrival=arrival, officer=desk)
    arrival.refresh_from_db()
    return arrival


def sampled(arrival: Arrival) -> Arrival:
    site = Site.objects.get(code="SAMP-CKG-T3")
    sampler = staff("test-sampler", Role.SAMPLING, site=site)
    register_sample(arrival=arrival, barcode=f"T{arrival.pk:09d}", site=site, collector=sampler)
    arrival.refresh_from_db()
    return arrival


def to_disposition(
    arrival: Arrival,
    disposition: str | None = "centralized_quarantine",
    *,
    celsius="36.6",
    result="negative",
) -> Arrival:
    """Through the airport with the real screening services: temperature, history, screening,
    sample, result; the policy then decides. When the test needs another disposition than the
    policy's, a desk officer overrides it with a reason, as at the real desk."""
    desk = staff("test-desk", Role.AIRPORT_DESK)
    site = Site.objects.get(code="SAMP-CKG-T3")
    sampler = staff("test-sampler", Role.SAMPLING, site=site)
    lab = staff("test-lab", Role.LAB)
    record_temperature(arrival=arrival, celsius=celsius, device="IR-3", officer=desk)
    confirm_history(arrival=arrival, officer=desk)
    screen(arrival=arrival, officer=desk)
    arrival.refresh_from_db()
    if arrival.state == ArrivalState.SCREENED:
        register_sample(arrival=arrival, barcode=f"T{arrival.pk:09d}", site=site, collector=sampler)
        record_result(
            barcode=f"T{arrival.pk:09d}",
            result=result,
            lab="Jiangbei CDC",
            tested_at=timezone.now(),
            reported_by=lab,
        )
    arrival.refresh_from_db()
    current = Disposition.objects.get(arrival=arrival, is_current=True)
    if disposition and current.disposition != disposition:
        override_disposition(
            arrival=arrival, disposition=disposition, reason="test case", officer=desk
        )
    return arrival


def ready(disposition: str = "centralized_quarantine", **changes) -> Arrival:
    return to_disposition(declare(**changes), disposition)


@pytest.fixture(autouse=True)
def _english():
    """Services speak the active language; these tests read their messages in English."""
    with translation.override("en"):
        yield


@pytest.fixture
def dispatcher(city):
    return make_user("sun-dispatch", Role.DISPATCH)


@pytest.fixture
def leader(city):
    return make_user("zhou-leader", Role.LEADERSHIP)


@pytest.fixture
def departed_batch(yubei, dispatcher):
    """A Yubei batch of three travelers, on the road."""
    travelers = [ready() for _ in range(3)]
    batch = services.make_batch(
        destination=yubei,
        disposition="centralized_quarantine",
        vehicle="渝A·12345",
        escort="Officer Liu",
        planned_departure=travelers[0].created_at,
        arrivals=travelers,
        dispatcher=dispatcher,
    )
    return services.mark_departed(batch=batch, dispatcher=dispatcher)
