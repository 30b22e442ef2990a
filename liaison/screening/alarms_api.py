"""The alarms in the API: the same selector and rules as the pages' alarm band."""

from __future__ import annotations

from decimal import Decimal

from ninja import Router, Schema

from liaison.arrivals.models import Arrival
from liaison.core import audit
from liaison.core.access import can
from liaison.core.api_auth import api_area
from liaison.core.api_errors import REFUSALS
from liaison.screening.alarms import ALARM_AREAS, Alarm, alarms_for

router = Router(tags=["alarms"])


class AlarmOut(Schema):
    id: int
    code: str
    name_latin: str
    name_native: str
    flight: str
    state: str
    celsius: Decimal | None


class AlarmsOut(Schema):
    threshold: Decimal | None  # the fever of the rules in force; None: they read no temperature
    fever_count: int
    positive_count: int
    fevers: list[AlarmOut]
    positives: list[AlarmOut]


def _out(alarm: Alarm) -> dict:
    arrival = alarm.arrival
    return {
        "id": arrival.pk,
        "code": arrival.display_code,
        "name_latin": arrival.name_latin,
        "name_native": arrival.name_native,
        "flight": arrival.flight.number,
        "state": arrival.state,
        "celsius": alarm.celsius,
    }


@router.get(
    "/alarms",
    response={200: AlarmsOut, **REFUSALS},
    summary="Open fevers and positive results, not yet in hospital",
)
@api_area(*ALARM_AREAS)
def alarms(request):
    area = next(a for a in ALARM_AREAS if can(request.auth, a))
    found = alarms_for(request.auth, area)
    with audit.request_context(request):
        audit.record_reads(Arrival, found.arrivals, note="API: alarms")
    return {
        "threshold": found.threshold,
        "fever_count": found.fever_count,
        "positive_count": found.positive_count,
        "fevers": [_out(a) for a in found.fevers],
        "positives": [_out(a) for a in found.positives],
    }
