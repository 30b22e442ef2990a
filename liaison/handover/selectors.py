"""Reads of dispatch, receipt and the closed-loop board, each through the access layer."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from liaison.arrivals.models import Arrival, Flight
from liaison.arrivals.selectors import arrivals_visible_to
from liaison.arrivals.states import ArrivalState, label
from liaison.core.access import Area, can, scoped
from liaison.core.models import Jurisdiction, Site
from liaison.core.selectors import get_visible, not_found
from liaison.handover import readiness
from liaison.handover.models import Batch, BatchMember, Incident, Quarantine
from liaison.policy.models import DispositionChoice

S = ArrivalState


# --- Dispatch and receipt -----------------------------------------------------------------------


def batches_visible_to(user) -> QuerySet[Batch]:
    """Dispatchers see every batch; a receiving officer only departed batches bound for their
    jurisdiction (a planned batch is still the airport's business)."""
    queryset = Batch.objects.select_related("destination_jurisdiction", "created_by").annotate(
        size=Count("members", distinct=True),
        confirmed=Count("members", filter=Q(members__confirmed_at__isnull=False), distinct=True),
    )
    if can(user, Area.ARRIVALS_DISPATCH):
        return queryset
    return scoped(
        queryset.exclude(status=Batch.Status.PLANNED),
        user,
        Area.ARRIVALS_RECEIVING,
        field="destination_jurisdiction",
    )


def batches_of(user, *, status: str = "") -> QuerySet[Batch]:
    """The user's batches in one status (all of them without one): planned ones in the order
    made, departed ones oldest departure first, closed ones latest closed first."""
    batches = batches_visible_to(user)
    if not status:
        return batches
    batches = batches.filter(status=status)
    if status == Batch.Status.DEPARTED:
        return batches.order_by("departed_at")
    if status == Batch.Status.CLOSED:
        return batches.order_by("-closed_at")
    return batches


def visible_batch(user, pk: int) -> Batch | None:
    return batches_visible_to(user).filter(pk=pk).first()


def destination(user, jurisdiction_id: int) -> Jurisdiction:
    """The destination of a ready group, for the dispatcher (a logged 404 for anyone else)."""
    if not can(user, Area.ARRIVALS_DISPATCH):
        raise not_found("core.jurisdiction")
    return get_visible(Jurisdiction.objects.all(), "core.jurisdiction", pk=jurisdiction_id)


def quarantine_sites_for(arrival: Arrival) -> QuerySet[Site]:
    """The active quarantine hotels of the traveler's district (reference data)."""
    return Site.objects.filter(
        jurisdiction_id=arrival.jurisdiction_id, kind=Site.Kind.QUARANTINE_HOTEL, active=True
    )


def members_of(batch: Batch) -> QuerySet[BatchMember]:
    return batch.members.select_related("arrival", "arrival__flight", "confirmed_by").order_by(
        "arrival__surname_latin", "arrival__given_names_latin", "id"
    )


def incidents_visible_to(user) -> QuerySet[Incident]:
    batches = batches_visible_to(user)
    return Incident.objects.select_related("batch", "arrival", "reported_by").filter(
        batch__in=batches.values("pk")
    )


def incidents_of(batch: Batch) -> QuerySet[Incident]:
    """The incidents of a batch the page already opened through the access layer."""
    return batch.incidents.select_related("arrival", "reported_by")


def open_incidents(user) -> QuerySet[Incident]:
    return incidents_visible_to(user).filter(resolved_at__isnull=True)


def memberships_of(arrival: Arrival) -> QuerySet[BatchMember]:
    """The batches an (already visible) traveler travelled in, latest first."""
    return (
        BatchMember.objects.filter(arrival=arrival)
        .select_related("batch", "batch__destination_jurisdiction")
        .order_by("-added_at", "-id")
    )


def recently_received(user, *, limit: int = 200) -> list[Arrival]:
    return list(received_visible_to(user).order_by("-updated_at")[:limit])


def received_visible_to(user) -> QuerySet[Arrival]:
    """A district's received travelers (and those released), with their quarantine."""
    queryset = Arrival.objects.filter(state__in=[S.RECEIVED, S.RELEASED]).select_related(
        "flight", "jurisdiction", "quarantine", "quarantine__site"
    )
    return scoped(queryset, user, Area.ARRIVALS_RECEIVING, field="jurisdiction")


def quarantines_visible_to(user) -> QuerySet[Quarantine]:
    return scoped(
        Quarantine.objects.select_related("arrival", "site"),
        user,
        Area.ARRIVALS_RECEIVING,
        field="arrival__jurisdiction",
    )


@dataclass
class ReadyGroup:
    jurisdiction: Jurisdiction | None
    disposition: str
    count: int

    @property
    def disposition_label(self) -> str:
        return str(DispositionChoice(self.disposition).label) if self.disposition else ""


def ready_groups(user) -> list[ReadyGroup]:
    """Travelers waiting at the airport, by destination jurisdiction and disposition (one query).

    Onward transfers and hospital cases are listed too: they leave without a batch.
    """
    if not can(user, Area.ARRIVALS_DISPATCH):
        return []
    rows = (
        readiness.disposed()
        .values("jurisdiction", "current_disposition")
        .annotate(count=Count("pk"))
        .order_by("jurisdiction", "current_disposition")
    )
    jurisdictions = Jurisdiction.objects.in_bulk(
        [r["jurisdiction"] for r in rows if r["jurisdiction"]]
    )
    groups = [
        ReadyGroup(jurisdictions.get(r["jurisdiction"]), r["current_disposition"] or "", r["count"])
        for r in rows
    ]
    groups.sort(key=lambda g: (g.jurisdiction.sort_order if g.jurisdiction else -1, g.disposition))
    return groups


def ready_for(
    user, *, jurisdiction_id: int | None, disposition: str, among: list[str] | None = None
) -> QuerySet[Arrival]:
    """A ready group's travelers; ``among``: only those of these ids (the ones ticked)."""
    if not can(user, Area.ARRIVALS_DISPATCH):
        return Arrival.objects.none()
    queryset = readiness.disposed().filter(current_disposition=disposition)
    if among is not None:
        queryset = queryset.filter(pk__in=among)
    if jurisdiction_id:
        queryset = queryset.filter(jurisdiction_id=jurisdiction_id)
    else:
        queryset = queryset.filter(jurisdiction__isnull=True)
    return queryset.select_related("flight").order_by("surname_latin", "given_names_latin")


def mask_document(number: str) -> str:
    """Only the last four characters of a document number leave the system (manifests)."""
    number = number or ""
    return "•" * max(len(number) - 4, 2) + number[-4:]


# --- The closed-loop board ----------------------------------------------------------------------

# The board's groups: where a traveler is, by state. Every state is in exactly one group, so
# "arrived = the sum of the groups" holds by construction; the tests check it all the same.
AT_AIRPORT = (S.DECLARED, S.SCREENED, S.SAMPLED, S.RESULT, S.DISPOSED)
GROUPS: dict[str, tuple[ArrivalState, ...]] = {
    "at_airport": AT_AIRPORT,
    "in_transit": (S.IN_HANDOVER,),
    "received": (S.RECEIVED, S.RELEASED),
    "in_hospital": (S.IN_HOSPITAL,),
    "left_city": (S.LEFT_CITY,),
}
GROUP_OF_STATE = {state: group for group, states in GROUPS.items() for state in states}
# Numbers of one state that read better by what it means: received and not released yet.
STATE_NAMES = {"in_quarantine": S.RECEIVED}
GROUP_LABELS = {
    "at_airport": _("At the airport"),
    "in_transit": _("In transit"),
    "received": _("Received"),
    "in_hospital": _("In hospital"),
    "left_city": _("Left the city"),
    "in_quarantine": _("In quarantine"),
}


def group_label(group: str) -> str:
    """A board group's name, or a state's (the board's columns link to both)."""
    return str(GROUP_LABELS[group]) if group in GROUP_LABELS else label(group)


@dataclass
class Tally:
    """Counts of one flight or one day: per state, per group, and in all."""

    by_state: dict[str, int] = field(default_factory=lambda: dict.fromkeys(S.values, 0))

    def add(self, state: str, count: int) -> None:
        self.by_state[state] = self.by_state.get(state, 0) + count

    @property
    def arrived(self) -> int:
        return sum(self.by_state.values())

    @property
    def groups(self) -> dict[str, int]:
        return {g: sum(self.by_state[s] for s in states) for g, states in GROUPS.items()}

    @property
    def reconciles(self) -> bool:
        return self.arrived == sum(self.groups.values())


@dataclass
class FlightRow:
    flight: Flight
    tally: Tally


@dataclass
class DayRow:
    day: date
    tally: Tally
    flights: list[FlightRow]


def board(user, *, since: date | None = None, until: date | None = None) -> list[DayRow]:
    """Per day and per flight, how many arrived and where they are now.

    One ``GROUP BY flight, state`` over the arrivals — the same query as counting the table
    itself (bench/board.py) — plus one query for the flights it names; nothing per flight. A
    flight is one flight on one day, so its date is its arrivals' day. Days are newest first.
    """
    if not can(user, Area.ARRIVALS_BOARD):
        return []
    arrivals = Arrival.objects.all()
    if since:
        arrivals = arrivals.filter(arrival_date__gte=since)
    if until:
        arrivals = arrivals.filter(arrival_date__lte=until)
    rows = arrivals.order_by().values_list("flight_id", "state").annotate(n=Count("*"))
    per_flight: dict[int, Tally] = defaultdict(Tally)
    for flight_id, state, n in rows:
        per_flight[flight_id].add(state, n)
    flights = Flight.objects.select_related("port").in_bulk(list(per_flight))
    days: dict[date, DayRow] = {}
    for flight_id, tally in sorted(
        per_flight.items(), key=lambda item: (flights[item[0]].date, flights[item[0]].number)
    ):
        flight = flights[flight_id]
        row = days.setdefault(flight.date, DayRow(flight.date, Tally(), []))
        row.flights.append(FlightRow(flight, tally))
        for state, n in tally.by_state.items():
            row.tally.add(state, n)
    return [days[d] for d in sorted(days, reverse=True)]


def board_group(
    user, *, group: str, day: date | None = None, flight_id: int | None = None
) -> QuerySet[Arrival]:
    """The travelers behind one number of the board (a group, or a single state)."""
    if not can(user, Area.ARRIVALS_BOARD):
        return Arrival.objects.none()
    if group in STATE_NAMES:
        group = STATE_NAMES[group].value
    states = GROUPS.get(group) or ((group,) if group in S.values else None)
    if states is None:
        return Arrival.objects.none()
    # Names go through the access layer (a jurisdiction-bound reader sees their own), each with
    # the batches it travelled in, latest first (one query for the page).
    memberships = BatchMember.objects.select_related("batch").order_by("-added_at", "-id")
    queryset = (
        arrivals_visible_to(user, Area.ARRIVALS_BOARD)
        .filter(state__in=states)
        .prefetch_related(Prefetch("batch_memberships", memberships, to_attr="memberships"))
    )
    if day:
        queryset = queryset.filter(arrival_date=day)
    if flight_id:
        queryset = queryset.filter(flight_id=flight_id)
    return queryset.order_by("flight__number", "code")


def board_group_page(
    user, *, group: str, day: date | None = None, flight_id: int | None = None, limit: int = 500
) -> tuple[list[Arrival], int]:
    """The first ``limit`` travelers behind a board number, and how many there are in all."""
    queryset = board_group(user, group=group, day=day, flight_id=flight_id)
    return list(queryset[:limit]), queryset.count()


@dataclass
class Alerts:
    batches_unconfirmed: list[Batch]
    waiting_for_result: QuerySet[Arrival]
    never_screened: QuerySet[Arrival]
    # Reported at receipt (a missing traveler, an unexpected one), not yet resolved.
    open_incidents: list[Incident] = field(default_factory=list)

    @property
    def count(self) -> int:
        return (
            len(self.batches_unconfirmed)
            + self.waiting_for_result.count()
            + self.never_screened.count()
            + len(self.open_incidents)
        )


def alerts(user, *, now=None) -> Alerts:
    """What has waited too long (thresholds in settings, from the environment).

    - a batch departed more than ``LIAISON_BATCH_CONFIRM_HOURS`` ago and not yet closed;
    - a traveler sampled more than ``LIAISON_RESULT_WAIT_HOURS`` ago without a result;
    - a traveler who declared, landed, and was not screened within ``LIAISON_UNSCREENED_HOURS``;
    - an incident of a receipt (a missing traveler) the dispatcher has not resolved yet.

    Names and batches through the access layer: a jurisdiction-bound reader sees their own.
    """
    now = now or timezone.now()
    if not can(user, Area.ARRIVALS_BOARD):
        none = Arrival.objects.none()
        return Alerts([], none, none)
    batch_limit = now - timedelta(hours=settings.LIAISON_BATCH_CONFIRM_HOURS)
    result_limit = now - timedelta(hours=settings.LIAISON_RESULT_WAIT_HOURS)
    screen_limit = now - timedelta(hours=settings.LIAISON_UNSCREENED_HOURS)
    batches = list(
        scoped(Batch.objects.all(), user, Area.ARRIVALS_BOARD, field="destination_jurisdiction")
        .select_related("destination_jurisdiction")
        .filter(status=Batch.Status.DEPARTED, departed_at__lt=batch_limit)
        .annotate(
            size=Count("members"),
            confirmed=Count("members", filter=Q(members__confirmed_at__isnull=False)),
        )
        .order_by("departed_at")
    )
    arrivals = arrivals_visible_to(user, Area.ARRIVALS_BOARD)
    waiting = arrivals.filter(state=S.SAMPLED, updated_at__lt=result_limit).order_by("updated_at")
    unscreened = arrivals.filter(
        state=S.DECLARED,
        created_at__lt=screen_limit,
        arrival_date__lte=timezone.localdate(now),
    ).order_by("created_at")
    incidents = scoped(
        Incident.objects.filter(resolved_at__isnull=True),
        user,
        Area.ARRIVALS_BOARD,
        field="batch__destination_jurisdiction",
    ).select_related("batch", "batch__destination_jurisdiction", "arrival", "arrival__flight")
    return Alerts(batches, waiting, unscreened, list(incidents.order_by("reported_at", "id")))
