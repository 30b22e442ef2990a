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

from bench import _arrivals, _harness  # noqa: E402

ARRIVALS = int(os.environ.get("BENCH_BOARD_ARRIVALS", "1000000"))
DAYS = 25
FLIGHTS_PER_DAY = 40
REPEATS = 5
NOTE = (
    "The board's query is the floor's own `GROUP BY flight_id, state` (a flight is one flight"
    " on one day, so the day comes from the flights, read once); what it adds is building the"
    " per-flight and per-day tallies in Python. No index was added: a covering index on "
    "`arrivals_arrival (flight_id, state)` would make both index-only scans on SQLite, and "
    "belongs to the arrivals app if the all-days board is ever asked for often (the page asks"
    " for seven days: tens of milliseconds)."
)


def _child() -> dict:
    """Runs inside one database's environment; returns the measurements as a dict."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "liaison.settings")
    import django

    django.setup()
    from datetime import date, timedelta

    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Count
    from django.utils import timezone

    from liaison.arrivals.models import Arrival
    from liaison.core import audit, reference
    from liaison.core.models import PortOfEntry, User
    from liaison.core.roles import Role
    from liaison.handover import selectors

    call_command("migrate", verbosity=0)
    with audit.acting_as(username="bench"):
        reference.load(settings.LIAISON_REFERENCE_DIR / "chongqing")
    port = PortOfEntry.objects.order_by("code").first()
    first_day = date(2020, 3, 1)
    per_day = ARRIVALS // DAYS
    started = time.perf_counter()
    days = _arrivals.flights(port, first_day, days=DAYS, per_day=FLIGHTS_PER_DAY)
    total = _arrivals.insert(days, per_day, at=timezone.now(), states=_arrivals.STATES)
    insert_seconds = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    assert Arrival.objects.count() == total

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
