"""Benchmark of the what-if preview: 100,000 current travelers, on SQLite and on PostgreSQL.

    python bench/policy_preview.py            # SQLite, and PostgreSQL when it can start one
    python bench/policy_preview.py --no-write # prints only
    python bench/policy_preview.py --sqlite-only

Each database is a throwaway one: SQLite in a temporary folder, PostgreSQL 15 through
scripts/with-postgres.sh (a fresh cluster, removed afterwards). In each, the script migrates,
loads the default city's reference data (which publishes the default policy), bulk-inserts
100,000 current travelers with varied facts (and 5,000 released ones the preview must skip),
drafts a risk list that adds Thailand as high risk, and times ``services.preview`` on it.

The floor is reading the same 100,000 facts rows from the same database in the same run
(``values_list("id", "facts")``, JSON decoded, nothing else): the preview cannot be faster than
reading its input. Goal: the preview under 10 s on each database.
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
TRAVELERS = 100_000
RELEASED = 5_000
REPEATS = 3
GOAL_SECONDS = 10.0
DRAFT_NOTE = "Thailand high risk from 2020-03-01 (benchmark)"


def _child() -> dict:
    """Runs inside one database's environment; returns the measurements as a dict."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "liaison.settings")
    import django

    django.setup()
    from datetime import date, timedelta

    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from bench.policy_engine import synthetic_facts
    from liaison.arrivals.models import Arrival, Flight
    from liaison.arrivals.states import ENDS, ArrivalState
    from liaison.core import audit, reference
    from liaison.core.models import PortOfEntry
    from liaison.policy import selectors, services
    from liaison.policy.engine import facts_to_record

    call_command("migrate", verbosity=0)
    with audit.acting_as(username="bench"):
        reference.load(settings.LIAISON_REFERENCE_DIR / "chongqing")
    port = PortOfEntry.objects.order_by("code").first()

    started = time.perf_counter()
    flights = Flight.objects.bulk_create(
        Flight(number=f"BN {n:04d}", date=date(2020, 3, 1) + timedelta(days=n % 45), port=port)
        for n in range(200)
    )
    now = timezone.now()
    total = TRAVELERS + RELEASED
    facts = synthetic_facts(total, seed=20200401)
    batch: list[Arrival] = []
    for n, fact in enumerate(facts):
        batch.append(
            Arrival(
                state=ArrivalState.RELEASED if n >= TRAVELERS else ArrivalState.DECLARED,
                code=f"B{n:07d}",
                status_token=f"bench-{n}",
                surname_latin="TRAVELER",
                given_names_latin=str(n),
                sex="X",
                date_of_birth=date(1980, 1, 1),
                nationality="TH",
                document_type="passport",
                document_number=f"P{n:08d}",
                phone="+8613800000000",
                language="en",
                flight=flights[n % len(flights)],
                arrival_date=fact.arrival_date,
                category="tourist",
                destination_kind=fact.destination_kind,
                consented_at=now,
                source="api",
                facts=facts_to_record(fact),
            )
        )
        if len(batch) == 5_000:
            Arrival.objects.bulk_create(batch)
            batch = []
    if batch:
        Arrival.objects.bulk_create(batch)
    insert_seconds = time.perf_counter() - started
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

    rules, risk, _policy = selectors.policy_in_force()
    text = risk.source.replace('version: "2020-03-20"', 'version: "bench-what-if"')
    text += "  - {country: TH, level: high, from: 2020-03-01, note: Thailand (benchmark)}\n"
    draft = services.create_draft(
        kind="risk_list", text=text, author=None, note=DRAFT_NOTE, effective_from=now
    )

    def read_floor() -> int:
        rows = (
            Arrival.objects.exclude(state__in=list(ENDS))
            .order_by()
            .values_list("id", "facts")
            .iterator(chunk_size=2000)
        )
        return sum(1 for _ in rows)

    floor_best = preview_best = float("inf")
    moves = travelers = 0
    for _ in range(REPEATS):
        start = time.perf_counter()
        read = read_floor()
        floor_best = min(floor_best, time.perf_counter() - start)
        assert read == TRAVELERS, read
        start = time.perf_counter()
        result = services.preview(draft=draft)
        preview_best = min(preview_best, time.perf_counter() - start)
        moves, travelers = len(result.moves), result.travelers
    assert travelers == TRAVELERS, travelers

    start = time.perf_counter()
    published = services.publish(version=draft, by=None)
    publish_seconds = time.perf_counter() - start
    assert published.flagged == moves

    return {
        "vendor": connection.vendor,
        # pg_version is an integer: 150018 is 15.18.
        "version": f"{connection.pg_version // 10000}.{connection.pg_version % 10000}"
        if connection.vendor == "postgresql"
        else __import__("sqlite3").sqlite_version,
        "travelers": travelers,
        "moves": moves,
        "floor": floor_best,
        "preview": preview_best,
        "publish": publish_seconds,
        "insert": insert_seconds,
    }


def _run(db: str) -> dict | None:
    """Run the measurements in a child process against a fresh database of kind ``db``."""
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
        rows.append(
            (
                f"{name} {r['version']}",
                f"{r['preview']:.2f} s",
                f"{r['floor']:.2f} s",
                f"{r['preview'] / r['floor']:.1f}x",
                f"{r['travelers'] / r['preview']:,.0f}/s",
                f"{r['moves']:,}",
                f"{r['publish']:.2f} s",
            )
        )
    table = _table(
        (
            "database",
            "preview",
            "floor: read facts",
            "preview / floor",
            "travelers",
            "would move",
            "publish + flag",
        ),
        rows,
    )
    print(table)
    ok = all(r["preview"] < GOAL_SECONDS for r in results) and len(results) == (
        1 if args.sqlite_only else 2
    )
    if not args.no_write:
        _write_readme(table)
    print("\nGOALS MET" if ok else "\nGOALS NOT MET")
    return 0 if ok else 1


def _table(head: tuple[str, ...], rows: list[tuple[str, ...]]) -> str:
    widths = [max(len(row[i]) for row in [head, *rows]) for i in range(len(head))]

    def line(cells):
        return "| " + " | ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)) + " |"

    return "\n".join(
        [line(head), "|" + "|".join("-" * (w + 2) for w in widths) + "|", *map(line, rows)]
    )


def _write_readme(table: str) -> None:
    """Replace (or append) the "Policy preview" section of bench/README.md."""
    section = (
        "## Policy preview\n\n"
        "`python bench/policy_preview.py` — the what-if preview (`liaison.policy.services."
        f"preview`) of a draft risk list that adds Thailand as high risk, over {TRAVELERS:,} "
        f"current travelers with varied facts (and {RELEASED:,} released ones it must skip), on "
        "a throwaway SQLite database and a throwaway PostgreSQL 15 (`scripts/with-postgres.sh`)"
        f", best of {REPEATS} runs. The floor is reading the same facts rows from the same "
        'database in the same run. Goal: preview under 10 s on each. "publish + flag" is one '
        "publish of the same draft, writing a review for every traveler it would move.\n\n"
        f"Last run: {time.strftime('%Y-%m-%d')}, Python {platform.python_version()}, "
        f"{platform.machine()}, {os.cpu_count()} cores, load average "
        f"{os.getloadavg()[0]:.1f} at the end (other work on the machine slows every column).\n\n"
        f"{table}\n"
    )
    text = README.read_text(encoding="utf-8") if README.exists() else "# Benchmarks\n"
    start = text.find("## Policy preview")
    if start == -1:
        text = text.rstrip("\n") + "\n\n" + section
    else:
        end = text.find("\n## ", start + 1)
        text = text[:start] + section + (text[end + 1 :] if end != -1 else "")
    README.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
