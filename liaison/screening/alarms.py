"""Alarms: travelers someone must act on at once — a fever, a positive result — until the
ambulance has them. Shown at the top of every desk that acts on them and on the board
(``core/_alarms.html``), each list through the access layer of that desk's area.

A fever is what the rules in force call one (``fever_threshold_in_force``), never a constant.
"Not yet transferred" means still at the airport: once the traveler is in hospital, handed
over or gone, the alarm has been acted on (an officer's override with its reason included).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Max, QuerySet
from django.urls import reverse

from liaison.arrivals.models import Arrival
from liaison.arrivals.selectors import arrivals_visible_to
from liaison.core import audit
from liaison.core.access import Area, can
from liaison.policy.selectors import fever_threshold_in_force
from liaison.screening.models import ResultValue
from liaison.screening.waiting import AT_THE_AIRPORT

# The pages that show alarms: the desks that act on a fever or a positive result, and the board.
ALARM_AREAS = (
    Area.ARRIVALS_DESK,
    Area.ARRIVALS_SAMPLING,
    Area.ARRIVALS_LAB,
    Area.ARRIVALS_DISPATCH,
    Area.ARRIVALS_BOARD,
)
# Names shown per list; the count says how many there are in all.
SHOWN = 20


@dataclass(frozen=True)
class Alarm:
    arrival: Arrival
    celsius: Decimal | None = None  # the highest reading, for a fever
    url: str = ""  # the traveler's page this user may open, "" if none


@dataclass(frozen=True)
class Alarms:
    threshold: Decimal | None = None
    fevers: list[Alarm] = field(default_factory=list)
    positives: list[Alarm] = field(default_factory=list)
    fever_count: int = 0
    positive_count: int = 0

    def __bool__(self) -> bool:
        return bool(self.fever_count or self.positive_count)

    @property
    def arrivals(self) -> list[Arrival]:
        """Every traveler named, once (for the page's one audit entry)."""
        named = {a.arrival.pk: a.arrival for a in [*self.fevers, *self.positives]}
        return list(named.values())


def traveler_url(user, arrival: Arrival) -> str:
    """The page of this traveler that this user may open: the desk's, else the board's."""
    if can(user, Area.ARRIVALS_DESK):
        return reverse("screening:desk_arrival", args=[arrival.pk])
    if can(user, Area.ARRIVALS_BOARD):
        return reverse("handover:board_traveler", args=[arrival.pk])
    return ""


def fevers(queryset: QuerySet[Arrival], threshold: Decimal | None) -> QuerySet[Arrival]:
    """The travelers of ``queryset`` whose highest reading is a fever, highest first."""
    if threshold is None:
        return queryset.none()
    return (
        queryset.annotate(highest=Max("temperatures__celsius"))
        .filter(highest__gte=threshold)
        .order_by("-highest", "pk")
    )


def positives(queryset: QuerySet[Arrival]) -> QuerySet[Arrival]:
    """The travelers of ``queryset`` whose live sample tested positive."""
    return queryset.filter(
        samples__superseded=False, samples__result__result=ResultValue.POSITIVE
    ).order_by("pk")


def _celsius(value) -> Decimal:
    # SQLite's MAX() of a decimal column comes back as a float.
    return Decimal(str(value)).quantize(Decimal("0.1"))


def alarms_for(user, area: Area) -> Alarms:
    """The open fevers and positive results this user may see on a page of ``area``."""
    if area not in ALARM_AREAS or not can(user, area):
        return Alarms()
    at_airport = arrivals_visible_to(user, area).filter(state__in=AT_THE_AIRPORT)
    threshold = fever_threshold_in_force()
    fevered = fevers(at_airport, threshold)
    positive = positives(at_airport)
    return Alarms(
        threshold=threshold,
        fevers=[Alarm(a, _celsius(a.highest), traveler_url(user, a)) for a in fevered[:SHOWN]],
        positives=[Alarm(a, None, traveler_url(user, a)) for a in positive[:SHOWN]],
        fever_count=fevered.count(),
        positive_count=positive.count(),
    )


def alarms_shown(user, area: Area, *, also: Sequence[Arrival] = (), note: str) -> Alarms:
    """``alarms_for``, read for a page: one audit entry naming the travelers it shows, and
    ``also`` the page's other travelers (one entry per request, not one per list)."""
    alarms = alarms_for(user, area)
    audit.record_reads(Arrival, [*also, *alarms.arrivals], note=note)
    return alarms
