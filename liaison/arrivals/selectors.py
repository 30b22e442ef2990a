"""Reads of the arrivals desk, each through the access layer: what may this user see?"""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from liaison.arrivals.models import Arrival, Flight, ManifestEntry
from liaison.core import audit
from liaison.core.access import Area, can, jurisdiction_filter, scoped
from liaison.core.selectors import get_visible

ARRIVAL_AREAS = (
    Area.ARRIVALS_DESK,
    Area.ARRIVALS_SAMPLING,
    Area.ARRIVALS_LAB,
    Area.ARRIVALS_DISPATCH,
    Area.ARRIVALS_RECEIVING,
    Area.ARRIVALS_BOARD,
)


def arrivals_visible_to(user, area: Area | None = None) -> QuerySet[Arrival]:
    """The arrivals this user may see: city-level roles all, a district officer only those bound
    for their jurisdiction, anyone outside the arrival desks none. ``area`` narrows it to one desk.
    """
    queryset = Arrival.objects.select_related("flight", "jurisdiction")
    if area is not None:
        return scoped(queryset, user, area, field="jurisdiction")
    if not any(can(user, a) for a in ARRIVAL_AREAS):
        return queryset.none()
    return queryset.filter(jurisdiction_filter(user, "jurisdiction"))


def open_arrival(user, pk: int, area: Area | None = None) -> Arrival:
    """One person's record for a page: a logged 404 if not visible, else the read logged."""
    arrival = get_visible(arrivals_visible_to(user, area), "arrivals.arrival", pk=pk)
    audit.record_read(arrival)
    return arrival


def arrival_by_status_token(token: str) -> Arrival | None:
    """The traveler's own record behind their private link (no account: the token is the key)."""
    if not token or len(token) > 64:
        return None
    return (
        Arrival.objects.select_related("flight", "jurisdiction").filter(status_token=token).first()
    )


def flights_visible_to(user) -> QuerySet[Flight]:
    if not can(user, Area.ARRIVALS_DESK) and not can(user, Area.ARRIVALS_BOARD):
        return Flight.objects.none()
    return Flight.objects.select_related("port").annotate(
        declared=Count("arrivals", distinct=True), expected=Count("manifest", distinct=True)
    )


def reconcile(flight: Flight) -> dict[str, list]:
    """Who the airline listed but has not declared, and who declared but is not listed."""
    manifest = list(ManifestEntry.objects.filter(flight=flight))
    arrivals = list(Arrival.objects.filter(flight=flight))
    declared = {a.document_number for a in arrivals}
    listed = {m.document_number for m in manifest}
    return {
        "not_declared": [m for m in manifest if m.document_number not in declared],
        "not_on_manifest": [a for a in arrivals if a.document_number not in listed],
        "matched": [a for a in arrivals if a.document_number in listed],
    }


def search_arrivals(queryset: QuerySet[Arrival], text: str) -> QuerySet[Arrival]:
    text = text.strip()
    if not text:
        return queryset
    code = text.replace("-", "").upper()
    return queryset.filter(
        Q(code=code)
        | Q(document_number=code)
        | Q(surname_latin__icontains=text)
        | Q(surname_native__icontains=text)
    )
