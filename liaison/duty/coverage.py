"""Language coverage at the airport: for every airport-desk shift, the languages of the
travelers on flights arriving in it, set against the languages of the officers on the desk.

A traveler's language is their declaration's preferred language. Two limits of the arrivals
data as it stands (said here so nobody reads more into the numbers): a ``Flight`` has a date but
no time, so a flight counts in every airport shift that overlaps its local date (the desk must be
ready whenever it lands); and a manifest passenger has no nationality, so a passenger listed on
the manifest without a declaration yet is counted as "language not known".
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.utils import timezone

from liaison.arrivals.models import Arrival, Flight, ManifestEntry
from liaison.core.access import Area, can
from liaison.duty.models import OfficerLanguage, Post, Shift
from liaison.duty.selectors import day_start


@dataclass
class FlightLanguages:
    flight: Flight
    languages: Counter  # language code → travelers
    unknown: int = 0  # on the manifest, not declared yet


@dataclass
class ShiftCoverage:
    day: date
    shift: Shift | None  # None: flights that day and nobody on the airport desk
    spoken: set[str] = field(default_factory=set)
    flights: list[FlightLanguages] = field(default_factory=list)

    @property
    def needed(self) -> Counter:
        total: Counter = Counter()
        for flight in self.flights:
            total.update(flight.languages)
        return total

    @property
    def missing(self) -> list[tuple[str, int, list[str]]]:
        """(language, travelers, flights) for each language nobody on the desk speaks."""
        gaps = []
        for code, count in sorted(self.needed.items()):
            if code in self.spoken:
                continue
            numbers = [f.flight.number for f in self.flights if f.languages.get(code)]
            gaps.append((code, count, numbers))
        return gaps


def _flight_languages(days: list[date]) -> dict[date, list[FlightLanguages]]:
    flights = list(Flight.objects.filter(date__in=days).order_by("date", "number"))
    counts: dict[int, Counter] = {f.pk: Counter() for f in flights}
    declared_documents: dict[int, set[str]] = {f.pk: set() for f in flights}
    for flight_id, language, document in Arrival.objects.filter(flight__in=flights).values_list(
        "flight_id", "language", "document_number"
    ):
        counts[flight_id][language] += 1
        declared_documents[flight_id].add(document)
    unknown: Counter = Counter()
    for flight_id, document in ManifestEntry.objects.filter(flight__in=flights).values_list(
        "flight_id", "document_number"
    ):
        if document not in declared_documents[flight_id]:
            unknown[flight_id] += 1
    by_day: dict[date, list[FlightLanguages]] = {day: [] for day in days}
    for flight in flights:
        by_day[flight.date].append(FlightLanguages(flight, counts[flight.pk], unknown[flight.pk]))
    return by_day


def airport_coverage(user, *, start: date, days: int = 7) -> list[ShiftCoverage]:
    """Each airport-desk shift of ``days`` days from ``start`` with its flights' languages and
    the languages its officers speak; a day with flights and no airport shift shows as one row
    without a shift. Nothing for a user outside the duty desk and leadership."""
    if not can(user, Area.DUTY_READ):
        return []
    dates = [start + timedelta(days=n) for n in range(days)]
    flights = _flight_languages(dates)
    begin, end = day_start(dates[0]), day_start(dates[-1] + timedelta(days=1))
    shifts = list(
        Shift.objects.filter(post=Post.AIRPORT_DESK, starts_at__lt=end, ends_at__gt=begin)
        .select_related("officer")
        .order_by("starts_at", "pk")
    )
    spoken: dict[int, set[str]] = {}
    for officer_id, language in OfficerLanguage.objects.filter(
        officer__in={s.officer_id for s in shifts}
    ).values_list("officer_id", "language"):
        spoken.setdefault(officer_id, set()).add(language)
    rows = []
    for day in dates:
        lo, hi = day_start(day), day_start(day + timedelta(days=1))
        running = [s for s in shifts if s.starts_at < hi and s.ends_at > lo]
        # Officers on the desk at the same time share their languages: group by overlap.
        for shift in running:
            together = set()
            for other in running:
                if other.starts_at < shift.ends_at and other.ends_at > shift.starts_at:
                    together |= spoken.get(other.officer_id, set())
            rows.append(ShiftCoverage(day, shift, together, flights[day]))
        if not running and flights[day]:
            rows.append(ShiftCoverage(day, None, set(), flights[day]))
    return rows


def language_gaps(user, *, start: date | None = None, days: int = 7) -> list[ShiftCoverage]:
    """Only the rows with a language nobody on the desk speaks (the roster's and the duty home
    page's warning, days ahead)."""
    start = start or timezone.localdate()
    return [row for row in airport_coverage(user, start=start, days=days) if row.missing]
