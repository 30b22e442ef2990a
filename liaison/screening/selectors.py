"""Reads of the airport side, each through the access layer: what may this user see?"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from liaison.arrivals.models import Arrival, Flight
from liaison.arrivals.selectors import arrivals_visible_to
from liaison.core.access import Area, can
from liaison.screening.models import Disposition, LabResult, ResultsImport, Sample


def find_arrivals(user, area: Area, text: str) -> QuerySet[Arrival]:
    """Travelers matching what the desk typed or scanned: the declaration code (a QR scanner
    types it like a keyboard, with or without the dash), the document number, or a name in
    native script or Latin letters, surname first or last."""
    queryset = arrivals_visible_to(user, area)
    text = " ".join((text or "").split())[:100]
    if not text:
        return queryset.none()
    compact = text.replace("-", "").replace(" ", "").upper()
    match = Q(code=compact) | Q(document_number=compact)
    words = text.split(" ")
    name = Q()
    for word in words:
        name &= (
            Q(surname_latin__icontains=word)
            | Q(given_names_latin__icontains=word)
            | Q(surname_native__icontains=word)
            | Q(given_names_native__icontains=word)
        )
    if len(words) == 1 and len(text) >= 2:
        # "김민준" or "王小明": a native name is often typed without a space.
        for split in range(1, len(text)):
            name |= Q(surname_native=text[:split], given_names_native=text[split:])
    return queryset.filter(match | name).order_by("-created_at")[:50]


def current_disposition(arrival: Arrival) -> Disposition | None:
    return (
        Disposition.objects.select_related("overridden_by", "rules_version", "risk_list_version")
        .filter(arrival=arrival, is_current=True)
        .first()
    )


def live_sample(arrival: Arrival) -> Sample | None:
    return Sample.objects.filter(arrival=arrival, superseded=False).first()


def desk_flights(user) -> QuerySet[Flight]:
    if not can(user, Area.ARRIVALS_DESK):
        return Flight.objects.none()
    return Flight.objects.select_related("port").order_by("-date", "number")


def recent_results(user, limit: int = 20) -> QuerySet[LabResult]:
    if not can(user, Area.ARRIVALS_LAB):
        return LabResult.objects.none()
    return LabResult.objects.select_related("sample", "reported_by")[:limit]


def imports_visible_to(user) -> QuerySet[ResultsImport]:
    if not can(user, Area.ARRIVALS_LAB):
        return ResultsImport.objects.none()
    return ResultsImport.objects.select_related("uploaded_by").defer("content")
