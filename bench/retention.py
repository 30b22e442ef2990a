"""Benchmark of the retention run: anonymizing N due arrivals, on SQLite and on PostgreSQL.

    python bench/retention.py            # SQLite, and PostgreSQL when it can start one
    python bench/retention.py --no-write # prints only
    python bench/retention.py --sqlite-only
    BENCH_RETENTION_ARRIVALS=100000 python bench/retention.py

Each database is a throwaway one (SQLite in a temporary folder, PostgreSQL 15 through
scripts/with-postgres.sh). The script migrates, loads the default city's reference data and
inserts N arrivals that left the city 60 days ago (due under ``arrival.not_quarantined``) with
one INSERT … SELECT per flight, then:

- the floor: one bare ``UPDATE SET <the anonymizer's columns, same values>`` of the same rows,
  committed — the least any anonymization costs — on a copy of the arrivals table (same rows,
  indexes, constraints) so that the rows stay due; and the same UPDATE rolled back, reported
  beside it;
- the run: ``retention.runs.run`` — batches of 5,000, each one transaction that finds the due
  rows (not anonymized, not held), blanks the arrival and its related tables, writes the marks
  and one audit entry naming the batch's records, and updates the receipt.

The ratio is the run over the floor, in the same process on the same rows. Goal: <= 3x.
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

ARRIVALS = int(os.environ.get("BENCH_RETENTION_ARRIVALS", "1000000"))
FLIGHTS = 100
GOAL = 3.0
WHAT_IT_WRITES = (
    "What the run writes beyond the floor's one UPDATE: a mark per record (one indexed INSERT"
    " each, multi-row), one audit entry per batch naming its records, the related tables'"
    " UPDATEs per batch (the bench has no related rows: each finds none), and a commit per"
    " batch, synced."
)


def _child() -> dict:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "liaison.settings")
    import django

    django.setup()
    from datetime import date, timedelta

    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.db.models.sql import UpdateQuery
    from django.utils import timezone

    from liaison.arrivals.models import Arrival
    from liaison.core import audit, reference
    from liaison.core.models import AuditEntry, PortOfEntry
    from liaison.retention import runs
    from liaison.retention.kinds import arrival_values
    from liaison.retention.models import Anonymized
    from liaison.retention.rules import rule

    call_command("migrate", verbosity=0)
    with audit.acting_as(username="bench"):
        reference.load(settings.LIAISON_REFERENCE_DIR / "chongqing")
    port = PortOfEntry.objects.order_by("code").first()
    today = timezone.localdate()
    landed = today - timedelta(days=60)
    started = time.perf_counter()
    (flights,) = _arrivals.flights(port, landed, days=1, per_day=FLIGHTS, prefix="RT")
    # Personal data in the columns a traveler's record usually fills, for the run to blank.
    total = _arrivals.insert(
        [[flight] for flight in flights],  # one INSERT … SELECT a flight
        ARRIVALS // FLIGHTS,
        at=timezone.now(),
        state="left_city",
        given_names_latin="ONE",
        surname_native="旅客",
        sex="F",
        date_of_birth=date(1980, 6, 15),
        email="traveler@example.com",
        seat="12A",
        address="1 Example Road",
        language="ko",
        destination_kind="onward",
        onward_destination="Chengdu",
        history=[{"country": "KR", "city": "Seoul", "date_from": "2020-03-01"}],
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    setup = time.perf_counter() - started
    applied = rule("arrival.not_quarantined")
    assert runs.due_records(applied, today).count() == total

    class Rollback(Exception):
        pass

    # The floor runs on a copy of the table (same rows, columns, indexes and constraints), so
    # that it can commit, as an anonymization must, and leave the rows the run anonymizes due.
    copy = _copy_table(connection, Arrival._meta.db_table, "bench_floor")
    # The anonymizer's ORM UPDATE of the due rows, compiled, aimed at the copy.
    query = Arrival.objects.filter(
        state="left_city", arrival_date__lte=applied.cutoff(today)
    ).query.chain(UpdateQuery)
    query.add_update_values(arrival_values(applied))
    sql, params = query.get_compiler(connection=connection).as_sql()
    quote = connection.ops.quote_name
    sql = sql.replace(quote(Arrival._meta.db_table), quote(copy))

    def bare_update() -> int:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.rowcount

    # The UPDATE alone, rolled back: never committed, on SQLite never checkpointed.
    start = time.perf_counter()
    try:
        with transaction.atomic():
            updated = bare_update()
            uncommitted = time.perf_counter() - start
            raise Rollback
    except Rollback:
        pass
    assert updated == total, updated
    _settle(connection, copy)
    # The floor: the same UPDATE committed (on SQLite that includes its checkpoint).
    start = time.perf_counter()
    with transaction.atomic():
        updated = bare_update()
    floor = time.perf_counter() - start
    assert updated == total, updated
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE {copy}")
    _settle(connection, Arrival._meta.db_table)

    start = time.perf_counter()
    (receipt,) = runs.run(today=today, only="arrival.not_quarantined")
    run = time.perf_counter() - start
    assert receipt.anonymized == total, receipt.anonymized
    assert Anonymized.objects.count() == total
    assert not Arrival.objects.exclude(surname_latin="").exists()
    entries = AuditEntry.objects.filter(note="retention arrival.not_quarantined").count()
    return {
        "uncommitted": uncommitted,
        "vendor": connection.vendor,
        "version": connection.pg_version
        if connection.vendor == "postgresql"
        else __import__("sqlite3").sqlite_version,
        "arrivals": total,
        "floor": floor,
        "run": run,
        "batches": receipt.batches,
        "audit": entries,
        "setup": setup,
    }


def _copy_table(connection, source: str, target: str) -> str:
    """``target``: a copy of ``source`` with its rows, indexes and constraints."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"CREATE TABLE {target} (LIKE {source} INCLUDING ALL)")
        else:
            cursor.execute(
                "SELECT type, sql FROM sqlite_master WHERE tbl_name = %s AND sql IS NOT NULL "
                "ORDER BY type = 'index'",
                [source],
            )
            for kind, sql in cursor.fetchall():
                sql = sql.replace(f'"{source}"', f'"{target}"')
                if kind == "index":  # index names are the database's, not the table's
                    sql = sql.replace('INDEX "', f'INDEX "{target}_', 1)
                cursor.execute(sql)
        cursor.execute(f"INSERT INTO {target} SELECT * FROM {source}")
    _settle(connection, target)
    return target


def _settle(connection, table: str) -> None:
    """Before a timing: PostgreSQL's dead row versions vacuumed, SQLite's WAL checkpointed, so
    that nothing timed pays for what came before it."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"VACUUM ANALYZE {table}")
        else:
            cursor.execute("ANALYZE")
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")


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
            f"{r['run']:.2f} s",
            f"{r['run'] / r['floor']:.2f}x",
            f"{r['uncommitted']:.2f} s ({r['run'] / r['uncommitted']:.2f}x)",
            f"{r['arrivals'] / r['run']:,.0f}/s",
            f"{r['batches']:,}",
            f"{r['audit']:,}",
            f"{r['setup']:.0f} s",
        )
        for r in results.rows
    ]
    head = (
        "database",
        "arrivals",
        "floor: bare UPDATE, committed",
        "retention run",
        "run / floor",
        "UPDATE rolled back (run / it)",
        "arrivals",
        "batches",
        "audit entries",
        "setup",
    )
    table = _harness.table(head, rows)
    worst = max(r["run"] / r["floor"] for r in results.rows)
    goal = _harness.Goal(
        met=worst <= GOAL,
        verdict=f"Within the goal: at most {worst:.2f}x."
        if worst <= GOAL
        else f"Not within the goal: {worst:.2f}x at worst.",
    )

    def section() -> str:
        return (
            "`python bench/retention.py` — `liaison.retention.runs.run` anonymizing "
            f"{ARRIVALS:,} due arrivals (left the city 60 days ago, rule "
            "`arrival.not_quarantined`) in batches of 5,000, each one transaction (due rows "
            "found, the arrival and its related tables blanked, marks, one audit entry per "
            "batch, the receipt), on a throwaway SQLite database and a throwaway PostgreSQL 15. "
            "The floor is one bare UPDATE of the same columns to the same values on the same "
            "rows in the same run, committed (an anonymization must be; on SQLite the commit "
            "includes its checkpoint), on a copy of the arrivals table made in the run with the "
            "same rows, indexes and constraints, so that the rows stay due for the run. Beside "
            "it, the same UPDATE rolled back, the floor of earlier runs (never committed, on "
            "SQLite never copied back into the database file). Before each timing PostgreSQL's "
            "dead row versions are vacuumed and SQLite's WAL checkpointed. SQLite runs with "
            "synchronous=FULL, as the app does. Goal: run <= 3x the floor.\n\n"
            f"{_harness.machine_line()}\n\n{table}\n\n{goal.verdict} {WHAT_IT_WRITES}\n"
        )

    return _harness.finish(
        args, results, table=table, heading="Retention", section=section, goal=goal
    )


if __name__ == "__main__":
    sys.exit(main())
