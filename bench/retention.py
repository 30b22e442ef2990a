"""Benchmark of the retention run: anonymizing N due arrivals, on SQLite and on PostgreSQL.

    python bench/retention.py            # SQLite, and PostgreSQL when it can start one
    python bench/retention.py --no-write # prints only
    python bench/retention.py --sqlite-only
    BENCH_RETENTION_ARRIVALS=100000 python bench/retention.py

Each database is a throwaway one (SQLite in a temporary folder, PostgreSQL 15 through
scripts/with-postgres.sh). The script migrates, loads the default city's reference data and
inserts N arrivals that left the city 60 days ago (due under ``arrival.not_quarantined``) with
one INSERT … SELECT per flight, then:

- the floor: one bare ``UPDATE arrivals_arrival SET <the anonymizer's columns, same values>``
  of the same rows, in a transaction rolled back — the least any anonymization costs;
- the run: ``retention.runs.run`` — batches of 5,000, each one transaction that finds the due
  rows (not anonymized, not held), blanks the arrival and its related tables, writes the marks
  and one audit entry naming the batch's records, and updates the receipt.

The ratio is the run over the floor, in the same process on the same rows. Goal: <= 3x.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

README = ROOT / "bench" / "README.md"
ARRIVALS = int(os.environ.get("BENCH_RETENTION_ARRIVALS", "1000000"))
FLIGHTS = 100
VARYING = {"code", "status_token", "document_number", "flight"}
GOAL = 3.0
WHAT_IT_WRITES = (
    "What the run writes beyond the floor's one UPDATE: a mark per record (one indexed INSERT"
    " each, multi-row), one audit entry per batch naming its records, the related tables'"
    " UPDATEs per batch, and a commit per batch."
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

    from liaison.arrivals.models import Arrival, Flight
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
    flights = Flight.objects.bulk_create(
        Flight(number=f"RT{n:04d}", date=landed, port=port) for n in range(FLIGHTS)
    )
    now = timezone.now()
    template = Arrival(
        state="left_city",
        surname_latin="TRAVELER",
        given_names_latin="ONE",
        surname_native="旅客",
        sex="F",
        date_of_birth=date(1980, 6, 15),
        nationality="KR",
        document_type="passport",
        phone="+8613800000000",
        email="traveler@example.com",
        seat="12A",
        address="1 Example Road",
        language="ko",
        category="tourist",
        destination_kind="onward",
        onward_destination="Chengdu",
        history=[{"country": "KR", "city": "Seoul", "date_from": "2020-03-01"}],
        arrival_date=landed,
        consented_at=now,
        source="api",
        created_at=now,
        updated_at=now,
    )
    constants = [
        f for f in Arrival._meta.concrete_fields if not f.primary_key and f.name not in VARYING
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
    per_flight = ARRIVALS // FLIGHTS
    with transaction.atomic(), connection.cursor() as cursor:
        for n, flight in enumerate(flights):
            offset = n * per_flight
            cursor.execute(
                f"INSERT INTO arrivals_arrival ({columns}, code, status_token, document_number, "
                f"flight_id) SELECT {placeholders}, 'B' || CAST(i + {offset} AS text), "
                f"'T' || CAST(i + {offset} AS text), 'P' || CAST(i AS text), {flight.pk} "
                f"FROM ({series}) AS n",
                [*values, per_flight],
            )
        cursor.execute("ANALYZE")
    setup = time.perf_counter() - started
    total = per_flight * FLIGHTS
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


def _run(db: str) -> dict | None:
    env = dict(os.environ)
    with tempfile.TemporaryDirectory(prefix="liaison-bench-") as var:
        env["LIAISON_VAR_DIR"] = var
        env["LIAISON_LOG_LEVEL"] = "WARNING"
        command = [sys.executable, str(Path(__file__).resolve()), "--child"]
        if db == "sqlite":
            env["DATABASE_URL"] = f"sqlite:///{var}/bench.sqlite3"
        else:
            env.pop("DATABASE_URL", None)
            command = [str(ROOT / "scripts" / "with-postgres.sh"), *command]
        done = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True)
    if done.returncode != 0:
        print(f"{db}: failed\n{done.stdout[-2000:]}\n{done.stderr[-4000:]}", file=sys.stderr)
        return None
    return json.loads(done.stdout.strip().splitlines()[-1])


def _table(head: tuple[str, ...], rows: list[tuple[str, ...]]) -> str:
    widths = [max(len(row[i]) for row in [head, *rows]) for i in range(len(head))]

    def line(cells):
        return "| " + " | ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)) + " |"

    return "\n".join(
        [line(head), "|" + "|".join("-" * (w + 2) for w in widths) + "|", *map(line, rows)]
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-write", action="store_true", help="do not update bench/README.md")
    parser.add_argument("--sqlite-only", action="store_true", help="skip PostgreSQL")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(_child()))
        return 0
    results = [r for r in [_run("sqlite")] if r]
    if not args.sqlite_only:
        postgres = _run("postgres")
        if postgres:
            results.append(postgres)
    if not results:
        return 1
    rows = []
    for r in results:
        name = "SQLite" if r["vendor"] == "sqlite" else "PostgreSQL"
        version = r["version"]
        if isinstance(version, int):
            version = f"{version // 10000}.{version % 10000}"
        rows.append(
            (
                f"{name} {version}",
                f"{r['arrivals']:,}",
                f"{r['floor']:.2f} s",
                f"{r['run']:.2f} s",
                f"{r['run'] / r['floor']:.2f}x",
                f"{r['arrivals'] / r['run']:,.0f}/s",
                f"{r['batches']:,}",
                f"{r['audit']:,}",
                f"{r['setup']:.0f} s",
            )
        )
    head = (
        "database",
        "arrivals",
        "floor: bare UPDATE",
        "retention run",
        "run / floor",
        "arrivals",
        "batches",
        "audit entries",
        "setup",
    )
    table = _table(head, rows)
    print(table)
    if not args.no_write:
        _write_readme(table, results)
    return 0 if len(results) == (1 if args.sqlite_only else 2) else 1


def _write_readme(table: str, results: list[dict]) -> None:
    worst = max(r["run"] / r["floor"] for r in results)
    verdict = (
        f"Within the goal: at most {worst:.2f}x."
        if worst <= GOAL
        else f"Not within the goal: {worst:.2f}x at worst."
    )
    section = (
        "## Retention\n\n"
        "`python bench/retention.py` — `liaison.retention.runs.run` anonymizing "
        f"{ARRIVALS:,} due arrivals (left the city 60 days ago, rule `arrival.not_quarantined`) "
        "in batches of 5,000, each one transaction (due rows found, the arrival and its related "
        "tables blanked, marks, one audit entry per batch, the receipt), on a throwaway SQLite "
        "database and a throwaway PostgreSQL 15. The floor is one bare UPDATE of the same "
        "columns to the same values on the same rows in the same run (rolled back). "
        "On PostgreSQL the floor's rolled-back row versions are vacuumed before the run. "
        "Goal: run <= 3x the floor.\n\n"
        f"Last run: {time.strftime('%Y-%m-%d')}, Python {platform.python_version()}, "
        f"{platform.machine()}, {os.cpu_count()} cores, load average "
        f"{os.getloadavg()[0]:.1f} at the end.\n\n"
        f"{table}\n\n{verdict} {WHAT_IT_WRITES}\n"
    )
    text = README.read_text(encoding="utf-8") if README.exists() else "# Benchmarks\n"
    start = text.find("## Retention")
    if start == -1:
        text = text.rstrip("\n") + "\n\n" + section
    else:
        end = text.find("\n## ", start + 1)
        text = text[:start] + section + (text[end + 1 :] if end != -1 else "")
    README.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
