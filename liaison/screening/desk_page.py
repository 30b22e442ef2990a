"""What the desk page shows of one traveler, in the reader's language: the declared symptoms
and contact with cases, the travel history with country names, every temperature taken with
the highest marked when the rules in force call it a fever."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from liaison.arrivals.forms import SYMPTOMS
from liaison.arrivals.models import Arrival
from liaison.core.normalize import country_name
from liaison.screening.models import TemperatureReading


@dataclass(frozen=True)
class Reading:
    reading: TemperatureReading
    highest: bool  # the first of the highest readings
    fever: bool  # the highest, at or above the rules' threshold


def readings(arrival: Arrival, threshold: Decimal | None) -> list[Reading]:
    """Every reading in the order taken; the highest one (the policy looks at it) flagged."""
    taken = list(arrival.temperatures.select_related("officer"))
    top = max(taken, key=lambda r: r.celsius, default=None)
    return [
        Reading(
            reading=r,
            highest=r is top,
            fever=r is top and threshold is not None and r.celsius >= threshold,
        )
        for r in taken
    ]


def symptom_labels(arrival: Arrival) -> list[str]:
    """The declared symptoms by their translated labels (an unknown code as it is)."""
    labels = dict(SYMPTOMS)
    return [str(labels.get(code, code)) for code in arrival.symptoms or []]


def history_rows(arrival: Arrival) -> list[dict]:
    """The stays, each with its country's name (and code) in the reader's language."""
    return [
        {**row, "country_name": country_name(row.get("country", ""))} for row in arrival.history
    ]


def transit_rows(arrival: Arrival) -> list[dict]:
    return [
        {**row, "country_name": country_name(row.get("country", ""))} for row in arrival.transits
    ]
