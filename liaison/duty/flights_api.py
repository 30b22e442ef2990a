"""The duty desk's flight schedule in the API, through the same services and access rules as its
page (the duty officer writes, the desk and leadership read)."""

from __future__ import annotations

from datetime import date, time

from django.http import Http404
from django.utils import timezone
from ninja import Router, Schema, Status

from liaison.core.access import Area
from liaison.core.api_auth import api_area
from liaison.core.api_errors import REFUSALS, Errors
from liaison.core.params import ApiDate, ApiId
from liaison.duty import flights
from liaison.duty.models import ScheduledFlight

router = Router(tags=["duty"])
READ = {400: Errors, 404: Errors, **REFUSALS}
WRITE = {400: Errors, 404: Errors, 409: Errors, **REFUSALS}


class ScheduledFlightIn(Schema):
    number: str
    origin: str
    port: ApiId
    weekdays: str
    arrives_at: time
    valid_from: ApiDate
    valid_until: ApiDate | None = None
    languages: list[str] = []


class ScheduledFlightOut(Schema):
    id: int
    number: str
    origin: str
    port: int
    weekdays: str
    arrives_at: time
    valid_from: date
    valid_until: date | None
    languages: list[str]


def _out(f: ScheduledFlight) -> dict:
    return {
        "id": f.pk,
        "number": f.number,
        "origin": f.origin,
        "port": f.port_id,
        "weekdays": f.weekdays,
        "arrives_at": f.arrives_at,
        "valid_from": f.valid_from,
        "valid_until": f.valid_until,
        "languages": f.expected_languages,
    }


def _input(body: ScheduledFlightIn) -> flights.ScheduleInput:
    return flights.ScheduleInput(
        number=body.number,
        origin=body.origin,
        port_id=body.port,
        weekdays=body.weekdays,
        arrives_at=body.arrives_at,
        valid_from=body.valid_from,
        valid_until=body.valid_until,
        languages=tuple(body.languages),
    )


@router.get(
    "/duty/flights",
    response={200: list[ScheduledFlightOut], **READ},
    summary="The flight schedule (the flights still flown)",
)
@api_area(Area.DUTY_READ)
def list_flights(request):
    found = flights.scheduled_flights(request.auth, on=timezone.localdate())
    return [_out(f) for f in found]


@router.post(
    "/duty/flights",
    response={201: ScheduledFlightOut, **WRITE},
    summary="Add a flight to the schedule",
)
@api_area(Area.DUTY)
def add_flight(request, body: ScheduledFlightIn):
    made = flights.save_scheduled_flight(by=request.auth, data=_input(body))
    return Status(201, _out(made))


@router.put(
    "/duty/flights/{flight_id}",
    response={200: ScheduledFlightOut, **WRITE},
    summary="Correct a scheduled flight (its last day ends it)",
)
@api_area(Area.DUTY)
def correct_flight(request, flight_id: ApiId, body: ScheduledFlightIn):
    flight = flights.scheduled_flight(request.auth, flight_id)
    if flight is None:
        raise Http404
    return _out(flights.save_scheduled_flight(by=request.auth, data=_input(body), flight=flight))
