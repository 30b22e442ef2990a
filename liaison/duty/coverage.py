"""Language coverage at the airport: for every airport-desk shift, the languages of the
travelers on flights arriving in it, set against the languages of the officers on the desk.

The flights of a day are the flights travelers have declared for (or a manifest named) and the
flights of the schedule (``flights.py``) that land that day. A scheduled flight falls in the shift
running at its arrival time; a flight the schedule does not know has no time, so it counts in
every airport shift of its day (the desk must be ready whenever it lands). Its travelers'
languages are their declarations' preferred languages; before anyone has declared, those of the
flight number's last flights ("expected"), else the languages the schedule gives. A passenger on
the manifest without a declaration yet has no known language ("language not known").
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.utils import timezone

from liaison.arrivals.models import Arrival, Flight, ManifestEntry
from liaison.core.access import Area, can
from liaison.duty import flights as schedule
from liaison.duty.models import OfficerLanguage, Post, ScheduledFlight, Shift
from liaison.duty.selectors import day_start


@dataclass
class FlightLanguages:
    number: str
    origin: str
    arrives: datetime | None  # None: not in the schedule, any time of its day
    languages: Counter  # language code → travelers
    unknown: int = 0  # on the manifest, not declared yet
    expected: bool = False  # nobody declared yet: the languages are expected, not declared


@dataclass
class ShiftCoverage:
    day: date
    shift: Shift | None  # None: flights that day and nobody on the airport desk when they land
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
            numbers = [f.number for f in self.flights if code in f.languages]
            gaps.append((code, count, numbers))
        return gaps


def _declared(days: list[date]) -> dict[tuple[date, str], tuple[Flight, Counter, int]]:
    """The flights of these days that exist (declared for or on a manifest), keyed by day and
    number: the flight, its declared languages, its passengers not declared yet."""
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
    return {(f.date, f.number): (f, counts[f.pk], unknown[f.pk]) for f in flights}


def _arrival(day: date, scheduled: ScheduledFlight) -> datetime:
    return timezone.make_aware(datetime.combine(day, scheduled.arrives_at))


def _flight_languages(days: list[date]) -> dict[date, list[FlightLanguages]]:
    declared = _declared(days)
    flying = schedule.flying_on(days)
    numbers = {number for _day, number in declared} | {
        s.number for day in days for s in flying[day]
    }
    past = schedule.past_languages(numbers, before=days[0]) if numbers else {}
    by_day: dict[date, list[FlightLanguages]] = {day: [] for day in days}
    for day in days:
        timed = {s.number: s for s in flying[day]}
        for (flight_day, number), (flight, counts, unknown) in declared.items():
            if flight_day != day:
                continue
            known = timed.pop(number, None)
            arrives = _arrival(day, known) if known else None
            origin = flight.origin or (known.origin if known else "")
            if counts:
                by_day[day].append(FlightLanguages(number, origin, arrives, counts, unknown))
            else:
                expected = past.get(number) or _given(known)
                by_day[day].append(
                    FlightLanguages(number, origin, arrives, expected, unknown, expected=True)
                )
        for number, scheduled in timed.items():  # no traveler has declared for it yet
            expected = past.get(number) or _given(scheduled)
            by_day[day].append(
                FlightLanguages(
                    number, scheduled.origin, _arrival(day, scheduled), expected, expected=True
                )
            )
        by_day[day].sort(key=lambda f: (f.arrives is None, f.arrives or day_start(day), f.number))
    return by_day


def _given(scheduled: ScheduledFlight | None) -> Counter:
    """The schedule's expected languages, with no count of travelers (0)."""
    return Counter(dict.fromkeys(scheduled.expected_languages, 0)) if scheduled else Counter()


def _lands_in(flight: FlightLanguages, shift: Shift) -> bool:
    return flight.arrives is None or shift.starts_at <= flight.arrives < shift.ends_at


def airport_coverage(user, *, start: date, days: int = 7) -> list[ShiftCoverage]:
    """Each airport-desk shift of ``days`` days from ``start`` with the flights landing in it and
    the languages its officers speak; flights landing when nobody is on the airport desk show as
    a row without a shift. Nothing for a user outside the duty desk and leadership."""
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
            landing = [f for f in flights[day] if _lands_in(f, shift)]
            rows.append(ShiftCoverage(day, shift, together, landing))
        alone = [f for f in flights[day] if not any(_lands_in(f, s) for s in running)]
        if alone:
            rows.append(ShiftCoverage(day, None, set(), alone))
    return rows


def language_gaps(user, *, start: date | None = None, days: int = 7) -> list[ShiftCoverage]:
    """Only the rows with a language nobody on the desk speaks (the roster's and the duty home
    page's warning, days ahead)."""
    start = start or timezone.localdate()
    return [row for row in airport_coverage(user, start=start, days=days) if row.missing]
