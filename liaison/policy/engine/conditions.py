"""The conditions a rule can put on the facts of an arrival.

Each condition type is written once, with its two ways of being evaluated side by side:

- ``compile(risk)`` returns a plain ``Facts -> bool`` closure for the hot path;
- ``trace(facts, risk)`` returns the same answer together with the reasons a person reads.

Keeping them next to each other (and a property test comparing them) is what keeps the fast
answer and its explanation from drifting apart.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from operator import attrgetter
from typing import ClassVar

from .facts import Facts, visits
from .reasons import Reason
from .risk import RiskIndex, RiskPeriod
from .vocabulary import LabResult, RiskLevel

Test = Callable[[Facts], bool]
Traced = tuple[bool, tuple[Reason, ...]]


class Condition(ABC):
    """Base of every condition node. ``key`` is its name in a policy document."""

    __slots__ = ()
    key: ClassVar[str]
    # The facts its trace reads. Two arrivals alike in these get the same trace, which the
    # compiled policy keeps (compile.py); a test checks that no trace reads any other fact.
    READS: ClassVar[tuple[str, ...]] = ()

    def reads(self) -> frozenset[str]:
        return frozenset(self.READS)

    @abstractmethod
    def compile(self, risk: RiskIndex) -> Test:
        """A fast test of the facts, with the risk list already looked up."""

    @abstractmethod
    def trace(self, facts: Facts, risk: RiskIndex) -> Traced:
        """The same test, with the reasons it matched or not (for explanations)."""


# --- composition ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Always(Condition):
    key: ClassVar[str] = "always"

    def compile(self, risk: RiskIndex) -> Test:
        return lambda facts: True

    def trace(self, facts: Facts, risk: RiskIndex) -> Traced:
        return True, (Reason("always"),)


@dataclass(frozen=True, slots=True)
class AllOf(Condition):
    key: ClassVar[str] = "all"
    items: tuple[Condition, ...]

    def reads(self) -> frozenset[str]:
        return frozenset().union(*(item.reads() for item in self.items))

    def compile(self, risk: RiskIndex) -> Test:
        tests = tuple(item.compile(risk) for item in self.items)
        # Unrolled for the common small cases: a Python-level loop costs more than the tests.
        if len(tests) == 1:
            return tests[0]
        if len(tests) == 2:
            a, b = tests
            return lambda facts: a(facts) and b(facts)
        if len(tests) == 3:
            a, b, c = tests
            return lambda facts: a(facts) and b(facts) and c(facts)

        def all_of(facts: Facts) -> bool:
            # A plain loop: all() over a generator costs more on this hot path.
            for test in tests:  # noqa: SIM110
                if not test(facts):
                    return False
            return True

        return all_of

    def trace(self, facts: Facts, risk: RiskIndex) -> Traced:
        results = [item.trace(facts, risk) for item in self.items]
        ok = all(matched for matched, _ in results)
        # All held: every part is a reason. Otherwise only the parts that failed explain it.
        return ok, tuple(r for matched, rs in results if ok or not matched for r in rs)


@dataclass(frozen=True, slots=True)
class AnyOf(Condition):
    key: ClassVar[str] = "any"
    items: tuple[Condition, ...]

    def reads(self) -> frozenset[str]:
        return frozenset().union(*(item.reads() for item in self.items))

    def compile(self, risk: RiskIndex) -> Test:
        # "Any of these yes/no answers is yes" (pregnant, severe condition, ...) needs one
        # C-level attribute fetch for all of them rather than one Python call each.
        flags = tuple(item.field for item in self.items if isinstance(item, FlagIs) and item.value)
        others = [item for item in self.items if not (isinstance(item, FlagIs) and item.value)]
        tests = [item.compile(risk) for item in others]
        if len(flags) > 1:
            get = attrgetter(*flags)
            tests.append(lambda facts: True in get(facts))
        elif flags:
            tests.append(attrgetter(flags[0]))
        if len(tests) == 1:
            return tests[0]
        if len(tests) == 2:
            a, b = tests
            return lambda facts: a(facts) or b(facts)
        if len(tests) == 3:
            a, b, c = tests
            return lambda facts: a(facts) or b(facts) or c(facts)

        def any_of(facts: Facts) -> bool:
            for test in tests:  # noqa: SIM110 - see all_of
                if test(facts):
                    return True
            return False

        return any_of

    def trace(self, facts: Facts, risk: RiskIndex) -> Traced:
        results = [item.trace(facts, risk) for item in self.items]
        ok = any(matched for matched, _ in results)
        # One part held: those parts are the reason. None held: every part explains it.
        return ok, tuple(r for matched, rs in results if matched or not ok for r in rs)


@dataclass(frozen=True, slots=True)
class NotOf(Condition):
    key: ClassVar[str] = "not"
    item: Condition

    def reads(self) -> frozenset[str]:
        return self.item.reads()

    def compile(self, risk: RiskIndex) -> Test:
        test = self.item.compile(risk)
        return lambda facts: not test(facts)

    def trace(self, facts: Facts, risk: RiskIndex) -> Traced:
        # Reasons state facts ("no symptoms declared"), so they explain the negation as well.
        matched, reasons = self.item.trace(facts, risk)
        return not matched, reasons


# --- facts about the person ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TemperatureAtLeast(Condition):
    """Any temperature reading at or above the threshold (°C)."""

    key: ClassVar[str] = "temperature_at_least"
    READS: ClassVar[tuple[str, ...]] = ("max_temperature",)
    celsius: float

    def compile(self, risk: RiskIndex) -> Test:
        threshold = self.celsius

        def fever(facts: Facts) -> bool:
            highest = facts.max_temperature
            return highest is not None and highest >= threshold

        return fever

    def trace(self, facts: Facts, risk: RiskIndex) -> Traced:
        highest = facts.max_temperature
        if highest is None:
            return False, (Reason("temperature_missing", {"threshold": self.celsius}),)
        ok = highest >= self.celsius
        code = "temperature_at_least" if ok else "temperature_below"
        return ok, (Reason(code, {"highest": highest, "threshold": self.celsius}),)


@dataclass(frozen=True, slots=True)
class FlagIs(Condition):
    """A yes/no answer of the declaration or screening: symptoms, contact with cases,
    pregnant, severe condition, unaccompanied minor."""

    # One class serves several document keys; see FLAG_FIELDS.
    key: ClassVar[str] = "<flag>"
    field: str
    value: bool

    def reads(self) -> frozenset[str]:
        return frozenset((self.field,))

    def compile(self, risk: RiskIndex) -> Test:
        get = attrgetter(self.field)
        if self.value:
            return get
        return lambda facts: not get(facts)

    def trace(self, facts: Facts, risk: RiskIndex) -> Traced:
        actual = bool(getattr(facts, self.field))
        code = "flag_yes" if actual else "flag_no"
        return actual == self.value, (Reason(code, {"flag": self.field}),)


FLAG_FIELDS = ("symptoms", "contact_with_cases", "pregnant", "severe_condition")
FLAG_FIELDS += ("unaccompanied_minor",)


@dataclass(frozen=True, slots=True)
class LabResultIn(Condition):
    key: ClassVar[str] = "test_result"
    READS: ClassVar[tuple[str, ...]] = ("test_result",)
    # Values of LabResult, "pending" standing for "no result yet".
    results: frozenset[str]

    def compile(self, risk: RiskIndex) -> Test:
        wanted = frozenset(None if r == LabResult.PENDING else r for r in self.results)
        return lambda facts: facts.test_result in wanted

    def trace(self, facts: Facts, risk: RiskIndex) -> Traced:
        actual = facts.test_result or LabResult.PENDING.value
        return actual in self.results, (Reason("test_result", {"result": actual}),)


@dataclass(frozen=True, slots=True)
class AgeAtLeast(Condition):
    key: ClassVar[str] = "age_at_least"
    READS: ClassVar[tuple[str, ...]] = ("age",)
    years: int

    def compile(self, risk: RiskIndex) -> Test:
        years = self.years

        def old_enough(facts: Facts) -> bool:
            age = facts.age
            return age is not None and age >= years

        return old_enough

    def trace(self, facts: Facts, risk: RiskIndex) -> Traced:
        if facts.age is None:
            return False, (Reason("age_unknown"),)
        ok = facts.age >= self.years
        code = "age_at_least" if ok else "age_below"
        return ok, (Reason(code, {"age": facts.age, "years": self.years}),)


@dataclass(frozen=True, slots=True)
class AgeBelow(Condition):
    key: ClassVar[str] = "age_below"
    READS: ClassVar[tuple[str, ...]] = ("age",)
    years: int

    def compile(self, risk: RiskIndex) -> Test:
        years = self.years

        def young(facts: Facts) -> bool:
            age = facts.age
            return age is not None and age < years

        return young

    def trace(self, facts: Facts, risk: RiskIndex) -> Traced:
        if facts.age is None:
            return False, (Reason("age_unknown"),)
        ok = facts.age < self.years
        code = "age_below" if ok else "age_at_least"
        return ok, (Reason(code, {"age": facts.age, "years": self.years}),)


@dataclass(frozen=True, slots=True)
class CategoryIn(Condition):
    key: ClassVar[str] = "category"
    READS: ClassVar[tuple[str, ...]] = ("category",)
    categories: frozenset[str]

    def compile(self, risk: RiskIndex) -> Test:
        categories = self.categories
        return lambda facts: facts.category in categories

    def trace(self, facts: Facts, risk: RiskIndex) -> Traced:
        ok = facts.category in self.categories
        return ok, (Reason("category", {"category": facts.category}),)


@dataclass(frozen=True, slots=True)
class HasAccreditation(Condition):
    key: ClassVar[str] = "has_accreditation"
    READS: ClassVar[tuple[str, ...]] = ("accreditation_number",)
    value: bool

    def compile(self, risk: RiskIndex) -> Test:
        if self.value:
            return lambda facts: facts.accreditation_number is not None
        return lambda facts: facts.accreditation_number is None

    def trace(self, facts: Facts, risk: RiskIndex) -> Traced:
        number = facts.accreditation_number
        if number is None:
            return not self.value, (Reason("accreditation_missing"),)
        return self.value, (Reason("accreditation_present", {"number": number}),)


# --- where the traveler goes ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DestinationIs(Condition):
    key: ClassVar[str] = "destination"
    READS: ClassVar[tuple[str, ...]] = ("destination_kind",)
    kind: str

    def compile(self, risk: RiskIndex) -> Test:
        kind = self.kind
        return lambda facts: facts.destination_kind == kind

    def trace(self, facts: Facts, risk: RiskIndex) -> Traced:
        ok = facts.destination_kind == self.kind
        return ok, (Reason("destination", {"kind": facts.destination_kind}),)


@dataclass(frozen=True, slots=True)
class JurisdictionIn(Condition):
    key: ClassVar[str] = "destination_jurisdiction"
    READS: ClassVar[tuple[str, ...]] = ("destination_jurisdiction",)
    jurisdictions: frozenset[str]

    def compile(self, risk: RiskIndex) -> Test:
        jurisdictions = self.jurisdictions
        return lambda facts: facts.destination_jurisdiction in jurisdictions

    def trace(self, facts: Facts, risk: RiskIndex) -> Traced:
        actual = facts.destination_jurisdiction
        reason = Reason("jurisdiction", {"jurisdiction": actual or ""})
        return actual in self.jurisdictions, (reason,)


@dataclass(frozen=True, slots=True)
class DepartsWithinHours(Condition):
    """The onward departure is known and at most this many hours after arrival."""

    key: ClassVar[str] = "departs_within_hours"
    READS: ClassVar[tuple[str, ...]] = ("onward_departure_hours",)
    hours: float

    def compile(self, risk: RiskIndex) -> Test:
        limit = self.hours

        def soon(facts: Facts) -> bool:
            hours = facts.onward_departure_hours
            return hours is not None and hours <= limit

        return soon

    def trace(self, facts: Facts, risk: RiskIndex) -> Traced:
        hours = facts.onward_departure_hours
        if hours is None:
            return False, (Reason("departure_unknown"),)
        ok = hours <= self.hours
        code = "departure_within" if ok else "departure_after"
        return ok, (Reason(code, {"hours": hours, "limit": self.hours}),)


# --- where the traveler has been -----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Visited(Condition):
    """A stay (or, if asked, a transit) in a country of interest within ``within_days``.

    The window is the arrival day and the ``within_days`` days before it: a stay counts when
    its last day is on or after ``arrival_date - within_days``. With ``risk_at_least`` a stay
    only counts for the days on which the country was listed at that level or higher — having
    left Italy before it was listed does not count. With ``countries`` only those countries
    count. With both, both must hold.
    """

    key: ClassVar[str] = "visited"
    READS: ClassVar[tuple[str, ...]] = ("arrival_date", "history", "transits")
    within_days: int
    risk_at_least: RiskLevel | None = None
    countries: frozenset[str] | None = None
    include_transit: bool = False

    def _periods(self, risk: RiskIndex) -> dict[str, tuple[RiskPeriod, ...] | None]:
        """Countries of interest → the periods in which they count (None: any time)."""
        if self.risk_at_least is None:
            assert self.countries is not None  # the document validator requires one of them
            return dict.fromkeys(self.countries)
        listed = risk.at_least(self.risk_at_least)
        if self.countries is None:
            return dict(listed)
        return {c: ps for c, ps in listed.items() if c in self.countries}

    def compile(self, risk: RiskIndex) -> Test:
        always = ((date.min, date.max),)
        spans = {
            country: always if ps is None else tuple((p.date_from, p.last_day) for p in ps)
            for country, ps in self._periods(risk).items()
        }
        window = timedelta(days=self.within_days)
        include_transit = self.include_transit

        def visited(facts: Facts) -> bool:
            arrival = facts.arrival_date
            start = arrival - window
            for stay in facts.history:
                periods = spans.get(stay.country)
                if periods is None or stay.date_to < start or stay.date_from > arrival:
                    continue
                first = stay.date_from if stay.date_from > start else start
                last = stay.date_to if stay.date_to < arrival else arrival
                for p_from, p_to in periods:
                    if p_from <= last and first <= p_to:
                        return True
            if include_transit:
                for transit in facts.transits:
                    periods = spans.get(transit.country)
                    if periods is None or not start <= transit.on <= arrival:
                        continue
                    for p_from, p_to in periods:
                        if p_from <= transit.on <= p_to:
                            return True
            return False

        return visited

    def trace(self, facts: Facts, risk: RiskIndex) -> Traced:
        interest = self._periods(risk)
        arrival = facts.arrival_date
        start = arrival - timedelta(days=self.within_days)
        hits: list[Reason] = []
        misses: list[Reason] = []
        for country, first_day, last_day, transit in visits(facts, self.include_transit):
            if country not in interest:
                continue
            periods = interest[country]
            common = {"country": country, "within_days": self.within_days, "transit": transit}
            if last_day < start or first_day > arrival:
                misses.append(
                    Reason(
                        "visit_outside_window",
                        {**common, "date_to": last_day.isoformat(), "cutoff": start.isoformat()},
                    )
                )
                continue
            first = max(first_day, start)
            last = min(last_day, arrival)
            if periods is None:
                hits.append(Reason("visited_country", {**common, "day": last.isoformat()}))
                continue
            overlapping = [p for p in periods if p.date_from <= last and first <= p.last_day]
            if overlapping:
                # The most recent listed period, and the last day in it the traveler was there.
                period = overlapping[-1]
                params = {
                    **common,
                    "level": period.level.value,
                    "since": period.date_from.isoformat(),
                    "until": period.date_to.isoformat() if period.date_to else None,
                    "day": min(last, period.last_day).isoformat(),
                }
                hits.append(Reason("visited_at_risk", params))
            else:
                params = {
                    **common,
                    "level": self.risk_at_least.value if self.risk_at_least else None,
                    "date_from": first_day.isoformat(),
                    "date_to": last_day.isoformat(),
                    "listed": [
                        [p.date_from.isoformat(), p.date_to.isoformat() if p.date_to else None]
                        for p in periods
                    ],
                }
                misses.append(Reason("visit_not_at_risk", params))
        if hits:
            return True, tuple(hits)
        summary = Reason(
            "no_visit",
            {
                "within_days": self.within_days,
                "level": self.risk_at_least.value if self.risk_at_least else None,
                "countries": sorted(self.countries) if self.countries else None,
                "visited": sorted({v[0] for v in visits(facts, self.include_transit)}),
            },
        )
        return False, (summary, *misses)


# The condition keys a policy document may use (document.py builds the nodes; a test checks
# that schema.json lists exactly these).
LEAF_KEYS: tuple[str, ...] = (
    "temperature_at_least",
    *FLAG_FIELDS,
    "test_result",
    "age_at_least",
    "age_below",
    "category",
    "has_accreditation",
    "destination",
    "destination_jurisdiction",
    "departs_within_hours",
    "visited",
)
COMBINATOR_KEYS: tuple[str, ...] = ("all", "any", "not")


def fever_thresholds(condition: Condition, *, negated: bool = False) -> Iterator[float]:
    """The thresholds (°C) of every ``temperature_at_least`` that can make ``condition`` hold.

    One under a ``not`` is left out: it holds *below* its threshold, so it names no fever.
    """
    if isinstance(condition, TemperatureAtLeast):
        if not negated:
            yield condition.celsius
    elif isinstance(condition, AllOf | AnyOf):
        for item in condition.items:
            yield from fever_thresholds(item, negated=negated)
    elif isinstance(condition, NotOf):
        yield from fever_thresholds(condition.item, negated=not negated)
