"""The arrivals the database benchmarks insert: flights, then rows of one template with one
INSERT … SELECT over a generated series per group of flights — a million rows through the ORM
would take longer than most of what is measured, and setup speed is not what a bench measures.

Call it inside a bench's child, after ``django.setup()`` (it imports the models when called)::

    days = _arrivals.flights(port, first_day, days=DAYS, per_day=FLIGHTS_PER_DAY)
    total = _arrivals.insert(days, ARRIVALS // DAYS, at=now, states=_arrivals.STATES)
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from liaison.arrivals.models import Flight
    from liaison.core.models import PortOfEntry

# Share of arrivals per state, in percent, in the pipeline's order (older days are mostly
# received or released): a bench that counts the board spreads its rows over every state.
STATES = [
    ("declared", 3),
    ("screened", 2),
    ("sampled", 3),
    ("result", 2),
    ("disposition", 4),
    ("in_handover", 4),
    ("received", 37),
    ("released", 30),
    ("in_hospital", 7),
    ("left_city", 8),
]
# Every inserted arrival's constant columns, unless a bench names others (``insert``'s fields).
TEMPLATE = {
    "surname_latin": "TRAVELER",
    "sex": "X",
    "date_of_birth": date(1980, 1, 1),
    "nationality": "KR",
    "document_type": "passport",
    "phone": "+8613800000000",
    "language": "en",
    "category": "tourist",
    "destination_kind": "city",
    "source": "api",
}


def flights(
    port: PortOfEntry, first_day: date, *, days: int, per_day: int, prefix: str = "BN"
) -> list[list[Flight]]:
    """``days`` × ``per_day`` flights from ``first_day``, numbered across the days (``BN0000``
    on), one list a day: the groups ``insert`` spreads its rows over."""
    from liaison.arrivals.models import Flight

    made = Flight.objects.bulk_create(
        Flight(number=f"{prefix}{n:04d}", date=first_day + timedelta(days=n // per_day), port=port)
        for n in range(days * per_day)
    )
    return [made[day * per_day : (day + 1) * per_day] for day in range(days)]


def insert(
    groups: Sequence[Sequence[Flight]],
    per_group: int,
    *,
    at: datetime,
    states: Sequence[tuple[str, int]] = (),
    **fields: object,
) -> int:
    """``per_group`` arrivals on each group of flights, one INSERT … SELECT a group, all in one
    transaction; the number inserted.

    Row ``i`` of a group is on the group's flight ``i % len(group)`` and arrives on its date;
    its code and status token (``B…``, ``T…``) are numbered across the groups, so they stay
    unique, its document number (``P<i>``) within the group. ``states`` (state, share in
    percent) spreads the rows by ``i % 100``; without it every row has the template's state.
    ``at`` is the rows' consent, creation and update time; ``fields`` replace or add to
    ``TEMPLATE``.
    """
    from django.db import connection, transaction

    from liaison.arrivals.models import Arrival

    # One template row gives every constant column its database value.
    template = Arrival(**{**TEMPLATE, **fields}, consented_at=at, created_at=at, updated_at=at)
    varying = {"code", "status_token", "document_number", "flight", "arrival_date"}
    state_column = state = ""
    if states:
        varying.add("state")
        state_column, state = ", state", ", " + _state_case(states)
    constants = [
        f for f in Arrival._meta.concrete_fields if not f.primary_key and f.name not in varying
    ]
    values = [f.get_db_prep_save(getattr(template, f.attname), connection) for f in constants]
    if connection.vendor == "postgresql":
        series = "SELECT i FROM generate_series(0, %s - 1) AS i"
    else:
        series = (
            "WITH RECURSIVE s(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM s WHERE i + 1 < %s) "
            "SELECT i FROM s"
        )
    columns = ", ".join(connection.ops.quote_name(f.column) for f in constants)
    placeholders = ", ".join(["%s"] * len(constants))
    with transaction.atomic(), connection.cursor() as cursor:
        for n, group in enumerate(groups):
            offset = n * per_group
            cursor.execute(
                f"INSERT INTO arrivals_arrival ({columns}{state_column}, code, status_token, "
                "document_number, flight_id, arrival_date) "
                f"SELECT {placeholders}{state}, "
                f"'B' || CAST(i + {offset} AS text), 'T' || CAST(i + {offset} AS text), "
                f"'P' || CAST(i AS text), {_flight(group)}, %s "
                f"FROM ({series}) AS n",
                [*values, _day(group), per_group],
            )
    return per_group * len(groups)


def _state_case(states: Sequence[tuple[str, int]]) -> str:
    """SQL: row ``i``'s state, the first whose running share passes ``i % 100``."""
    case, bound = "CASE", 0
    for state, share in states:
        bound += share
        case += f" WHEN i %% 100 < {bound} THEN '{state}'"
    return case + " END"


def _flight(group: Sequence[Flight]) -> str:
    """SQL: row ``i``'s flight id — the group's ids must run on without a gap, as
    ``bulk_create`` gives them to a fresh table."""
    first = group[0].pk
    assert [f.pk for f in group] == list(range(first, first + len(group))), "flight ids"
    return f"{first} + i %% {len(group)}" if len(group) > 1 else f"{first}"


def _day(group: Sequence[Flight]) -> date:
    """The group's arrival date: its flights'."""
    (day,) = {f.date for f in group}
    return day
