"""The airport's flight schedule as the duty desk keeps it: which flight lands on which weekdays
at what local time, from when to when, and (for a new route) the languages expected on it.

Language coverage (``coverage.py``) lays it over the roster days ahead: each scheduled flight
falls in the airport shift running at its arrival time, and its travelers' languages are those
declared on its last flights, or the ones given here while it has none. Writes are services, one
transaction each; the rows are audited (``AuditedModel``): a correction is a change, recorded.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, time

from django.db import transaction
from django.utils.translation import gettext as _

from liaison.arrivals.models import Arrival, Flight
from liaison.core.models import PortOfEntry, User
from liaison.core.normalize import flight_number
from liaison.core.refusals import Refused
from liaison.duty.models import ScheduledFlight
from liaison.duty.services import TRAVELER_LANGUAGES

# How many of a flight number's last flights say which languages its travelers speak.
PAST_FLIGHTS = 4


@dataclass(frozen=True)
class ScheduleInput:
    number: str
    origin: str
    port_id: int | None
    weekdays: str
    arrives_at: time
    valid_from: date
    valid_until: date | None = None
    languages: tuple[str, ...] = ()


def _checked(data: ScheduleInput) -> dict:
    problems = []
    number = flight_number(data.number or "")
    if not 2 <= len(number) <= 10 or not number.isalnum():
        problems.append(("number", _("Give the flight number, e.g. W5081.")))
    if not (data.origin or "").strip():
        problems.append(("origin", _("Say where the flight comes from.")))
    port = PortOfEntry.objects.filter(pk=data.port_id).first() if data.port_id else None
    if port is None:
        problems.append(("port", _("Choose the port of entry.")))
    days = data.weekdays or ""
    if not days or any(d not in "1234567" for d in days):
        problems.append(("weekdays", _("Choose the weekdays it lands on.")))
    if data.valid_until is not None and data.valid_until < data.valid_from:
        problems.append(("valid_until", _("The last day cannot come before the first.")))
    unknown = [code for code in data.languages if code not in TRAVELER_LANGUAGES]
    if unknown:
        problems.append(
            ("languages", _("Unknown language: %(codes)s.") % {"codes": ", ".join(unknown)})
        )
    if problems:
        raise Refused(problems=problems)
    return {
        "number": number,
        "origin": data.origin.strip()[:100],
        "port": port,
        "weekdays": "".join(sorted(set(days))),
        "arrives_at": data.arrives_at.replace(second=0, microsecond=0),
        "valid_from": data.valid_from,
        "valid_until": data.valid_until,
        "languages": ",".join(sorted(set(data.languages))),
    }


@transaction.atomic
def save_scheduled_flight(
    *, by: User, data: ScheduleInput, flight: ScheduledFlight | None = None
) -> ScheduledFlight:
    """A new scheduled flight, or a correction of ``flight`` (its old values stay in the audit)."""
    values = _checked(data)
    clash = ScheduledFlight.objects.filter(
        number=values["number"], port=values["port"], valid_from=values["valid_from"]
    )
    if flight is not None:
        clash = clash.exclude(pk=flight.pk)
    if clash.exists():
        raise Refused(_("This flight is already scheduled from that day."), "number")
    if flight is None:
        return ScheduledFlight.objects.create(**values)
    locked = ScheduledFlight.objects.select_for_update().get(pk=flight.pk)
    for field, value in values.items():
        setattr(locked, field, value)
    locked.save()
    return locked


def flying_on(days: list[date]) -> dict[date, list[ScheduledFlight]]:
    """The scheduled flights of each day, by arrival time."""
    if not days:
        return {}
    schedule = list(
        ScheduledFlight.objects.filter(valid_from__lte=max(days))
        .exclude(valid_until__lt=min(days))
        .select_related("port")
        .order_by("arrives_at", "number")
    )
    return {day: [s for s in schedule if s.flies_on(day)] for day in days}


def past_languages(numbers: set[str], before: date) -> dict[str, Counter]:
    """For each flight number, the travelers per language on one of its last flights (the
    rounded-up mean of up to ``PAST_FLIGHTS`` flights before ``before``)."""
    flights: dict[str, list[int]] = {}
    for pk, number in (
        Flight.objects.filter(number__in=numbers, date__lt=before)
        .order_by("number", "-date")
        .values_list("pk", "number")
    ):
        if len(flights.setdefault(number, [])) < PAST_FLIGHTS:
            flights[number].append(pk)
    of_flight = {pk: number for number, pks in flights.items() for pk in pks}
    totals: dict[str, Counter] = {number: Counter() for number in flights}
    for flight_id, language in Arrival.objects.filter(flight__in=of_flight).values_list(
        "flight_id", "language"
    ):
        totals[of_flight[flight_id]][language] += 1
    return {
        number: Counter({code: -(-n // len(flights[number])) for code, n in counts.items()})
        for number, counts in totals.items()
        if counts
    }


def scheduled_flights(user, *, on: date | None = None):
    """The schedule as the duty desk and leadership read it (nothing for anyone else); only
    the flights still flown on ``on`` when given."""
    from liaison.core.access import Area, can

    if not can(user, Area.DUTY_READ):
        return ScheduledFlight.objects.none()
    found = ScheduledFlight.objects.select_related("port").order_by("arrives_at", "number")
    if on is not None:
        found = found.exclude(valid_until__lt=on)
    return found


def scheduled_flight(user, pk: int) -> ScheduledFlight | None:
    """One scheduled flight, for who may read the schedule."""
    return scheduled_flights(user).filter(pk=pk).first()
