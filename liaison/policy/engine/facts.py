"""The facts of one arrival, as the policy sees them.

Facts are built once per arrival by the caller (the Django side maps a declaration, its
screening, sample and result onto them) and are immutable, so a decision can keep a reference
to the facts it was made on and explain itself later.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from .vocabulary import DestinationKind, LabResult

_TEST_RESULTS = frozenset(r.value for r in LabResult if r is not LabResult.PENDING)
_DESTINATIONS = frozenset(d.value for d in DestinationKind)
_FLAGS = ("symptoms", "contact_with_cases", "pregnant", "severe_condition", "unaccompanied_minor")


@dataclass(frozen=True, slots=True)
class Stay:
    """One row of the residence/travel history: a country (ISO 3166 alpha-2) between two days,
    both inclusive."""

    country: str
    date_from: date
    date_to: date
    city: str = ""

    def __post_init__(self) -> None:
        if self.date_from > self.date_to:
            raise ValueError(f"stay in {self.country} ends before it starts")


@dataclass(frozen=True, slots=True)
class Transit:
    """A change of planes: one country on one day."""

    country: str
    on: date
    city: str = ""


@dataclass(frozen=True, slots=True)
class Facts:
    arrival_date: date
    history: tuple[Stay, ...] = ()
    transits: tuple[Transit, ...] = ()
    temperatures: tuple[float, ...] = ()
    symptoms: bool = False
    contact_with_cases: bool = False
    # None while no result is known (the policy calls that "pending").
    test_result: str | None = None
    age: int | None = None
    pregnant: bool = False
    severe_condition: bool = False
    unaccompanied_minor: bool = False
    category: str = "ordinary"
    accreditation_number: str | None = None
    destination_kind: str = DestinationKind.CITY.value
    destination_jurisdiction: str | None = None
    onward_departure_hours: float | None = None
    # Derived once here rather than on every rule that looks at temperatures.
    max_temperature: float | None = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # Accept lists and mappings for convenience, but store tuples of value objects so the
        # facts stay hashable and nobody can change them under a decision.
        _set = object.__setattr__
        _set(self, "history", tuple(_stay(s) for s in self.history))
        _set(self, "transits", tuple(_transit(t) for t in self.transits))
        _set(self, "temperatures", tuple(float(t) for t in self.temperatures))
        _set(self, "max_temperature", max(self.temperatures) if self.temperatures else None)
        for flag in _FLAGS:
            # Compiled policies test several flags at once with `True in (...)`.
            _set(self, flag, bool(getattr(self, flag)))
        if self.test_result is not None and self.test_result not in _TEST_RESULTS:
            raise ValueError(f"unknown test result {self.test_result!r}")
        if self.destination_kind not in _DESTINATIONS:
            raise ValueError(f"unknown destination kind {self.destination_kind!r}")
        if self.accreditation_number is not None and not self.accreditation_number.strip():
            # A blank accreditation field on a form is no accreditation.
            _set(self, "accreditation_number", None)


def _stay(value: Stay | Mapping[str, Any]) -> Stay:
    return value if isinstance(value, Stay) else Stay(**value)


def _transit(value: Transit | Mapping[str, Any]) -> Transit:
    return value if isinstance(value, Transit) else Transit(**value)


def visits(facts: Facts, include_transit: bool) -> Iterable[tuple[str, date, date, bool]]:
    """Every (country, first day, last day, is_transit) the traveler spent, in declared order."""
    for stay in facts.history:
        yield stay.country, stay.date_from, stay.date_to, False
    if include_transit:
        for transit in facts.transits:
            yield transit.country, transit.on, transit.on, True


def facts_to_record(facts: Facts) -> dict[str, Any]:
    """A JSON-ready dict of ``facts`` (dates as ISO strings), for storing beside an arrival."""
    return {
        "arrival_date": facts.arrival_date.isoformat(),
        "history": [
            [s.country, s.date_from.isoformat(), s.date_to.isoformat(), s.city]
            for s in facts.history
        ],
        "transits": [[t.country, t.on.isoformat(), t.city] for t in facts.transits],
        "temperatures": list(facts.temperatures),
        **{flag: getattr(facts, flag) for flag in _FLAGS},
        "test_result": facts.test_result,
        "age": facts.age,
        "category": facts.category,
        "accreditation_number": facts.accreditation_number,
        "destination_kind": facts.destination_kind,
        "destination_jurisdiction": facts.destination_jurisdiction,
        "onward_departure_hours": facts.onward_departure_hours,
    }


def facts_from_record(record: Mapping[str, Any]) -> Facts:
    """The inverse of ``facts_to_record``."""
    day = date.fromisoformat
    return Facts(
        arrival_date=day(record["arrival_date"]),
        history=tuple(Stay(c, day(f), day(t), city) for c, f, t, city in record["history"]),
        transits=tuple(Transit(c, day(on), city) for c, on, city in record["transits"]),
        temperatures=tuple(record["temperatures"]),
        **{flag: record[flag] for flag in _FLAGS},
        test_result=record["test_result"],
        age=record["age"],
        category=record["category"],
        accreditation_number=record["accreditation_number"],
        destination_kind=record["destination_kind"],
        destination_jurisdiction=record["destination_jurisdiction"],
        onward_departure_hours=record["onward_departure_hours"],
    )
