"""What a declaration sets on an arrival: its fields as declared and the policy engine's facts.

Shared by the traveler's own declaration (``services``) and the staff's amendment (``conflicts``).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, time, timedelta
from typing import Any

from django.utils import timezone

from liaison.arrivals.models import Arrival, Category, DestinationKind
from liaison.arrivals.reference_cache import active_jurisdictions
from liaison.core.models import Jurisdiction
from liaison.policy.engine import Facts, facts_to_record

_ENGINE_CATEGORY = {
    Category.CREW: "crew",
    Category.DIPLOMAT: "diplomat",
    Category.CONSULAR: "consular",
}
# Fields of a declaration copied onto the arrival as they are.
PLAIN_FIELDS = (
    "surname_native",
    "given_names_native",
    "surname_latin",
    "given_names_latin",
    "sex",
    "nationality",
    "document_type",
    "document_number",
    "mrz",
    "phone",
    "email",
    "language",
    "seat",
    "category",
    "accreditation_number",
    "purpose",
    "history",
    "transits",
    "symptoms",
    "contact_with_cases",
    "pregnant",
    "severe_condition",
    "unaccompanied_minor",
    "destination_kind",
    "address",
    "onward_destination",
)
# What identifies a traveler's arrival (its unique constraint): an amendment cannot change it.
IDENTITY_FIELDS = ("document_type", "document_number", "flight_number", "arrival_date")


def apply(arrival: Arrival, data: dict[str, Any], *, now: datetime) -> None:
    """Set the declared fields of ``arrival`` from a validated declaration (not saved)."""
    for name in PLAIN_FIELDS:
        setattr(arrival, name, data[name])
    arrival.date_of_birth = date.fromisoformat(data["date_of_birth"])
    arrival.onward_departure = (
        datetime.fromisoformat(data["onward_departure"]) if data["onward_departure"] else None
    )
    arrival.jurisdiction = jurisdiction_of(data["jurisdiction"])
    arrival.consented_at = now
    arrival.updated_at = now
    arrival.facts = facts_to_record(facts_of(arrival, keep=arrival.facts or None))


def facts_of(arrival: Arrival, *, keep: Mapping[str, Any] | None = None) -> Facts:
    """The policy engine's facts of an arrival's declaration.

    Screening and the laboratory add temperatures and the test result later; a new version of the
    declaration must not forget them, so they are carried over from ``keep`` (the stored facts).
    """
    keep = keep or {}
    age = None
    if arrival.date_of_birth:
        born, on = arrival.date_of_birth, arrival.arrival_date
        age = on.year - born.year - ((on.month, on.day) < (born.month, born.day))
    hours = None
    if arrival.destination_kind == DestinationKind.ONWARD and arrival.onward_departure:
        start = datetime.combine(
            arrival.arrival_date, time.min, tzinfo=timezone.get_current_timezone()
        )
        reference = (
            max(start, timezone.now()) if arrival.arrival_date == timezone.localdate() else start
        )
        hours = round((arrival.onward_departure - reference) / timedelta(hours=1), 1)
    return Facts(
        arrival_date=arrival.arrival_date,
        history=[
            {
                "country": row["country"],
                "date_from": date.fromisoformat(row["date_from"]),
                "date_to": date.fromisoformat(row["date_to"]),
                "city": row.get("city", ""),
            }
            for row in arrival.history
        ],
        transits=[
            {
                "country": row["country"],
                "on": date.fromisoformat(row["on"]),
                "city": row.get("city", ""),
            }
            for row in arrival.transits
        ],
        temperatures=tuple(keep.get("temperatures", ())),
        symptoms=bool(arrival.symptoms),
        contact_with_cases=arrival.contact_with_cases,
        test_result=keep.get("test_result"),
        age=age,
        pregnant=arrival.pregnant,
        severe_condition=arrival.severe_condition,
        unaccompanied_minor=arrival.unaccompanied_minor,
        category=_ENGINE_CATEGORY.get(arrival.category, "ordinary"),
        accreditation_number=arrival.accreditation_number or None,
        destination_kind=arrival.destination_kind,
        destination_jurisdiction=arrival.jurisdiction.code if arrival.jurisdiction_id else None,
        onward_departure_hours=hours,
    )


def jurisdiction_of(code: str) -> Jurisdiction | None:
    if not code:
        return None
    return active_jurisdictions().get(code) or Jurisdiction.objects.get(code=code)


def identity_of(arrival: Arrival) -> dict[str, str]:
    """The identity fields of ``arrival`` as a declaration's data holds them."""
    return {
        "document_type": arrival.document_type,
        "document_number": arrival.document_number,
        "flight_number": arrival.flight.number,
        "arrival_date": arrival.arrival_date.isoformat(),
    }
