"""Benchmark of the closed-loop board at 1,000,000 arrivals, on SQLite and on PostgreSQL.

    python bench/board.py            # SQLite, and PostgreSQL when it can start one
    python bench/board.py --no-write # prints only
    python bench/board.py --sqlite-only
    BENCH_BOARD_ARRIVALS=10000 python bench/board.py

Each database is a throwaway one: SQLite in a temporary folder, PostgreSQL 15 through
scripts/with-postgres.sh. In each, the script migrates, loads the default city's reference data,
makes 30 days × 40 flights and inserts 1,000,000 arrivals spread over them and over every state
with one INSERT … SELECT per day (a generated series: setup speed, not the ORM, is not what is
measured here), then times ``handover.selectors.board`` over the whole table and over one day.

The floor is ``SELECT flight_id, state, COUNT(*) FROM arrivals_arrival GROUP BY flight_id, state``
on the same table in the same run: the board cannot count faster than the database can.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import _harness  # noqa: E402

ARRIVALS = int(os.environ.get("BENCH_BOARD_ARRIVALS", "1000000"))
DAYS = 25
FLIGHTS_PER_DAY = 40
REPEATS = 5
# Share of arrivals per state, in percent (older days are mostly received or released).
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
NOTE = (
    "The board's query is the floor's own `GROUP BY flight_id, state` (a flight is one flight"
    " on one day, so the day comes from the flights, read once); what it adds is building the"
    " per-flight and per-day tallies in Python. No index was added: a covering index on "
    "`arrivals_arrival (flight_id, state)` would make both index-only scans on SQLite, and "
    "belongs to the arrivals app if the all-days board is ever asked for often (the page asks"
    " for seven days: tens of milliseconds)."
)
VARYING = {"state", "code", "status_token", "document_number", "flight", "arrival_date"}


def _child() -> dict:
    """Runs inside one database's environment; returns the measurements as a dict."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "liaison.settings")
    import django

    django.setup()
    from datetime import date, timedelta

    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.db.models import Count
    from django.utils import timezone

    from liaison.arrivals.models import Arrival, Flight
    from liaison.core import audit, reference
    from liaison.core.models import PortOfEntry, User
    from liaison.core.roles import Role
    from liaison.handover import selectors

    call_command("migrate", verbosity=0)
    with audit.acting_as(username="bench"):
        reference.load(settings.LIAISON_REFERENCE_DIR / "chongqing")
    port = PortOfEntry.objects.order_by("code").first()
    first_day = date(2020, 3, 1)
    started = time.perf_counter()
    flights = Flight.objects.bulk_create(
        Flight(
            number=f"BN{n:04d}", date=first_day + timedelta(days=n // FLIGHTS_PER_DAY), port=port
        )
        for n in range(DAYS * FLIGHTS_PER_DAY)
    )
    # One template row gives every constant column its database value.
    now = timezone.now()
    template = Arrival(
        surname_latin="TRAVELER",
        sex="X",
        date_of_birth=date(1980, 1, 1),
        nationality="KR",
        document_type="passport",
        phone="+8613800000000",
        language="en",
        category="tourist",
        destination_kind="city",
        consented_at=now,
        source="api",
        created_at=now,
        updated_at=now,
    )
    constants = [
        f for f in Arrival._meta.concrete_fields if not f.primary_key and f.name not in VARYING
    ]
    values = [f.get_db_prep_save(getattr(template, f.attname), connection) for f in constants]
    state_case = "CASE"
    bound = 0
    for state, share in STATES:
        bound += share
        state_case += f" WHEN i %% 100 < {bound} THEN '{state}'"
    state_case += " END"
    per_day = ARRIVALS // DAYS
    if connection.vendor == "postgresql":
        series = "SELECT i FROM generate_series(0, %s - 1) AS i"
        text = "CAST(i AS text)"
    else:
        series = (
            "WITH RECURSIVE s(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM s WHERE i + 1 < %s) "
            "SELECT i FROM s"
        )
        text = "CAST(i AS text)"
    columns = ", ".join(connection.ops.quote_name(f.column) for f in constants)
    placeholders = ", ".join(["%s"] * len(constants))
    with transaction.atomic(), connection.cursor() as cursor:
        for day in range(DAYS):
            first = flights[day * FLIGHTS_PER_DAY].pk
            offset = day * per_day
            cursor.execute(
                f"INSERT INTO arrivals_arrival ({columns}, state, code, status_token, "
                "document_number, flight_id, arrival_date) "
                f"SELECT {placeholders}, {state_case}, "
                f"'B' || CAST(i + {offset} AS text), 'T' || CAST(i + {offset} AS text), "
                f"'P' || {text}, {first} + i %% {FLIGHTS_PER_DAY}, %s "
                f"FROM ({series}) AS n",
                [*values, first_day + timedelta(days=day), per_day],
            )
    insert_seconds = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    assert Arrival.objects.count() == per_day * DAYS

    leader = User(username="bench-leader", role=Role.LEADERSHIP, is_active=True)
    last_day = first_day + timedelta(days=DAYS - 1)

    def floor() -> int:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT flight_id, state, COUNT(*) FROM arrivals_arrival GROUP BY flight_id, state"
            )
            return sum(row[2] for row in cursor.fetchall())

    def board_all() -> int:
        days = selectors.board(leader)
        assert all(d.tally.reconciles for d in days)
        return sum(d.tally.arrived for d in days)

    def board_day() -> int:
        (day,) = selectors.board(leader, since=last_day, until=last_day)
        return day.tally.arrived

    def best(work, expected) -> float:
        work()  # warm the cache: every measure starts from the same pages in memory
        fastest = float("inf")
        for _ in range(REPEATS):
            start = time.perf_counter()
            assert work() == expected
            fastest = min(fastest, time.perf_counter() - start)
        return fastest

    total = per_day * DAYS
    results = {
        "floor": best(floor, total),
        "board": best(board_all, total),
        "board_day": best(board_day, per_day),
    }
    plan = ""
    with connection.cursor() as cursor:
        sql, params = (
            Arrival.objects.order_by()
            .values_list("flight_id", "state")
            .annotate(n=Count("*"))
            .query.sql_with_params()
        )
        explain = "EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN "
        cursor.execute(explain + sql, params)
        plan = " / ".join(str(row[-1]) for row in cursor.fetchall())[:300]
    return {
        "vendor": connection.vendor,
        "version": connection.pg_version
        if connection.vendor == "postgresql"
        else __import__("sqlite3").sqlite_version,
        "arrivals": total,
        "insert": insert_seconds,
        "plan": plan,
        **results,
    }


def main() -> int:
    args = _harness.arguments(__doc__)
    if args.child:
        return _harness.child(_child)
    results = _harness.measure(__file__, args)
    if not results.rows:
        return _harness.FAILED
    rows = [
        (
            _harness.database(r),
            f"{r['arrivals']:,}",
            f"{r['floor']:.2f} s",
            f"{r['board']:.2f} s",
            f"{r['board'] / r['floor']:.2f}x",
            f"{r['board_day'] * 1000:.0f} ms",
            f"{r['insert']:.0f} s",
        )
        for r in results.rows
    ]
    table = _harness.table(
        (
            "database",
            "arrivals",
            "floor: GROUP BY flight, state",
            "board, all days",
            "board / floor",
            "board, one day",
            "setup",
        ),
        rows,
    )
    plans = "\n".join(f"- {r['vendor']}: `{r['plan']}`" for r in results.rows)

    def section() -> str:
        return (
            "`python bench/board.py` — `liaison.handover.selectors.board` (per day and per "
            f"flight: arrived and every group, with the invariant checked) over {ARRIVALS:,} "
            f"arrivals ({DAYS} days × {FLIGHTS_PER_DAY} flights, every state), on a throwaway "
            "SQLite database and a throwaway PostgreSQL 15 (`scripts/with-postgres.sh`), best of "
            f"{REPEATS} runs. The floor is the bare `SELECT flight_id, state, COUNT(*) FROM "
            "arrivals_arrival GROUP BY flight_id, state` on the same table in the same run. "
            '"board, one day" is the page\'s usual question (one day\'s flights). "setup" is '
            "the bulk insert.\n\n"
            f"{_harness.machine_line()}\n\n"
            f"{table}\n\n{NOTE}\n\nQuery plans of the board's GROUP BY:\n\n{plans}\n"
        )

    code = _harness.finish(args, results, table=table, heading="Closed-loop board", section=section)
    for r in results.rows:
        print(f"{r['vendor']} plan: {r['plan']}")
    return code


if __name__ == "__main__":
    sys.exit(main())
