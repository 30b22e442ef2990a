"""Travelers at the end of their stay, on a controlled clock (time-machine)."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone, translation

from liaison.arrivals.models import Arrival
from liaison.assistance import services as assistance
from liaison.core import audit
from liaison.core.roles import Role
from liaison.handover import services as handover
from tests.conftest import make_user
from tests.handover.conftest import declare, ready, staff

SHANGHAI = ZoneInfo("Asia/Shanghai")
# The day the travelers land: 20 March 2020, 10:00 in Chongqing.
LANDING = datetime(2020, 3, 20, 10, 0, tzinfo=SHANGHAI)


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def clock(city):
    """The clock, stopped at the landing; ``clock.move_to(...)`` moves it.

    The city's policy took effect when this process first loaded it (now, not in 2020): moved
    back before the landing, so the pipeline's decisions are taken in 2020 as today.
    """
    from django.apps import apps

    for model in apps.get_app_config("policy").get_models():
        if any(f.name == "effective_from" for f in model._meta.concrete_fields):
            model.objects.update(effective_from=LANDING - timedelta(days=30))
    with time_machine.travel(LANDING, tick=False) as traveller:
        yield traveller


def on_day(clock, days: int) -> None:
    """Move the clock to 10:00 on the ``days``-th day after the landing."""
    clock.move_to(LANDING + timedelta(days=days))


@pytest.fixture
def dispatcher(city):
    return make_user("sun-dispatch", Role.DISPATCH)


@pytest.fixture
def leader(city):
    return make_user("zhou-leader", Role.LEADERSHIP)


def released_after(days: int, *, clock, yubei, dispatcher, officer) -> Arrival:
    """A traveler received in Yubei today, quarantined, released ``days`` days later."""
    travelers = [ready() for _ in range(1)]
    batch = handover.make_batch(
        destination=yubei,
        disposition="centralized_quarantine",
        vehicle="渝A·12345",
        escort="Officer Liu",
        planned_departure=timezone.now(),
        arrivals=travelers,
        dispatcher=dispatcher,
    )
    handover.mark_departed(batch=batch, dispatcher=dispatcher)
    arrival = handover.receive(batch=batch, arrival_code=travelers[0].code, officer=officer).arrival
    quarantine = handover.start_quarantine(
        arrival=arrival, officer=officer, planned_end=(LANDING + timedelta(days=days)).date()
    )
    on_day(clock, days)
    handover.release(quarantine=quarantine, officer=officer, confirmed=True)
    return Arrival.objects.get(pk=arrival.pk)


__all__ = ["declare", "staff", "released_after", "on_day", "LANDING"]


def open_stranded_case(officer):
    """A citizen stranded in Milan, with every identifying field a case holds, opened by
    ``officer``."""
    with audit.acting_as(officer):
        return assistance.open_case(
            person_name="王小明",
            person_name_latin="WANG Xiaoming",
            nationality="CN",
            document_number="E12345678",
            phone="+39 312 345 6789",
            category="stranded",
            priority="high",
            summary="Flight cancelled; out of money.",
            requester="family",
            location_country="IT",
            location_city="Milan",
            opened_by=officer,
        )
