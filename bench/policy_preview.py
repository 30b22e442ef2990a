"""Benchmark of the what-if preview: 100,000 current travelers, on SQLite and on PostgreSQL.

    python bench/policy_preview.py            # SQLite, and PostgreSQL when it can start one
    python bench/policy_preview.py --no-write # prints only
    python bench/policy_preview.py --sqlite-only
    BENCH_PREVIEW_TRAVELERS=2000 python bench/policy_preview.py

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

import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import _harness  # noqa: E402

TRAVELERS = int(os.environ.get("BENCH_PREVIEW_TRAVELERS", "100000"))
RELEASED = TRAVELERS // 20
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
            f"{r['preview']:.2f} s",
            f"{r['floor']:.2f} s",
            f"{r['preview'] / r['floor']:.1f}x",
            f"{r['travelers'] / r['preview']:,.0f}/s",
            f"{r['moves']:,}",
            f"{r['publish']:.2f} s",
        )
        for r in results.rows
    ]
    table = _harness.table(
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
    slowest = max(r["preview"] for r in results.rows)
    goal = _harness.Goal(
        met=slowest < GOAL_SECONDS,
        verdict=f"Within the goal: {slowest:.2f} s at the slowest."
        if slowest < GOAL_SECONDS
        else f"Not within the goal: {slowest:.2f} s at the slowest.",
    )

    def section() -> str:
        machine = _harness.machine_line(
            load="at the end (other work on the machine slows every column)"
        )
        return (
            "`python bench/policy_preview.py` — the what-if preview (`liaison.policy.services."
            f"preview`) of a draft risk list that adds Thailand as high risk, over "
            f"{TRAVELERS:,} current travelers with varied facts (and {RELEASED:,} released ones "
            "it must skip), on a throwaway SQLite database and a throwaway PostgreSQL 15 "
            f"(`scripts/with-postgres.sh`), best of {REPEATS} runs. The floor is reading the "
            "same facts rows from the same database in the same run. Goal: preview under 10 s "
            'on each. "publish + flag" is one publish of the same draft, writing a review for '
            "every traveler it would move.\n\n"
            f"{machine}\n\n{table}\n\n{goal.verdict}\n"
        )

    return _harness.finish(
        args, results, table=table, heading="Policy preview", section=section, goal=goal
    )


if __name__ == "__main__":
    sys.exit(main())
