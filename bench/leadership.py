"""Benchmark of the leadership dashboard and the daily briefing, on SQLite and on PostgreSQL.

    python bench/leadership.py            # SQLite, and PostgreSQL when it can start one
    python bench/leadership.py --no-write # prints only
    python bench/leadership.py --sqlite-only
    BENCH_LEADERSHIP_ARRIVALS=200000 BENCH_LEADERSHIP_OTHERS=20000 python bench/leadership.py

Each database is a throwaway one (as bench/board.py). The script migrates, loads the default
city's reference data, inserts ``BENCH_LEADERSHIP_ARRIVALS`` (1,000,000) arrivals over 25 days ×
40 flights and every state with one INSERT … SELECT per day, and ``BENCH_LEADERSHIP_OTHERS``
(100,000) records of the other desks — assistance cases, incidents, contacts, commitments,
donations, conferences, in equal parts — with ``bulk_create``. Then it times

- the dashboard: ``leadership.selectors.live`` (every desk's figures now), and
- the briefing: ``leadership.services.draft`` of the last day (every figure at its cut-off,
  stored as the JSON snapshot),

against the floor: the bare aggregate queries of the same tables in the same run — the
``GROUP BY`` a person would write by hand for each table of the briefing.
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

ARRIVALS = int(os.environ.get("BENCH_LEADERSHIP_ARRIVALS", "1000000"))
OTHERS = int(os.environ.get("BENCH_LEADERSHIP_OTHERS", "100000"))
DAYS = 25
FLIGHTS_PER_DAY = 40
REPEATS = 3
GOAL = 2.0  # dashboard and briefing, each over the floor


def _insert_others(first_day, created_at, officer) -> None:
    """The other desks' records, ``OTHERS`` in all, spread over their statuses."""
    from datetime import timedelta

    from liaison.aid.models import Donation
    from liaison.assistance.models import AssistanceCase
    from liaison.assistance.models.cases import Category, Priority, Status
    from liaison.contacts.models import Commitment, Contact
    from liaison.directory.models import Organization
    from liaison.exchanges.models import Conference
    from liaison.incidents.models import Incident

    each = OTHERS // 6
    categories, priorities = Category.values, Priority.values
    statuses = Status.values
    AssistanceCase.objects.bulk_create(
        (
            AssistanceCase(
                kind="foreigner_in_city",
                category=categories[i % len(categories)],
                priority=priorities[i % len(priorities)],
                status=statuses[i % len(statuses)],
                summary="bench",
                person_name="bench",
                nationality="KR",
                location_country="",
                requester="self",
                opened_at=created_at,
                due_at=created_at + timedelta(days=3),
            )
            for i in range(each)
        ),
        batch_size=2000,
    )
    Incident.objects.bulk_create(
        (
            Incident(
                kind="other",
                severity=1 + i % 5,
                title="bench",
                status=("open", "acknowledged", "in_progress", "closed")[i % 4],
                reported_at=created_at,
                ack_due_at=created_at + timedelta(minutes=30),
            )
            for i in range(each)
        ),
        batch_size=2000,
    )
    Contact.objects.bulk_create(
        (
            Contact(
                kind="call",
                starts_at=created_at + timedelta(days=i % DAYS),
                logged_by=officer,
                logged_at=created_at,
            )
            for i in range(each)
        ),
        batch_size=2000,
    )
    Commitment.objects.bulk_create(
        (
            Commitment(
                side="ours",
                description="bench",
                due_on=first_day + timedelta(days=i % (DAYS + 5)),
                status=("open", "done", "dropped")[i % 3],
                made_by=officer,
                made_at=created_at,
                owner_user=officer,
                source_kind="bench",
                source_id=i + 1,
            )
            for i in range(each)
        ),
        batch_size=2000,
    )
    donor, recipient = Organization.objects.order_by("pk")[:2]
    Donation.objects.bulk_create(
        (
            Donation(
                direction=("outbound", "inbound")[i % 2],
                status=("pledged", "committed", "shipped_in_part", "shipped", "delivered")[i % 5],
                donor=donor,
                recipient=recipient,
                occasion="bench",
                pledged_on=first_day,
                recorded_by=officer,
                recorded_at=created_at,
            )
            for i in range(each)
        ),
        batch_size=2000,
    )
    Conference.objects.bulk_create(
        (
            Conference(
                title_zh="基准",
                title_en="bench",
                starts_at=created_at + timedelta(days=i % DAYS),
                ends_at=created_at + timedelta(days=i % DAYS, hours=2),
                platform="zoom",
                created_by=officer,
            )
            for i in range(each)
        ),
        batch_size=2000,
    )


FLOOR_QUERIES = [
    # The pipeline: per day and state to the day; the day's flights; the 14 days' breakdowns.
    "SELECT arrival_date, state, COUNT(*) FROM arrivals_arrival WHERE created_at <= %(cutoff)s"
    " AND arrival_date <= %(day)s GROUP BY arrival_date, state",
    "SELECT flight_id, state, COUNT(*) FROM arrivals_arrival WHERE created_at <= %(cutoff)s"
    " AND arrival_date = %(day)s GROUP BY flight_id, state",
    "SELECT nationality, COUNT(*) FROM arrivals_arrival WHERE created_at <= %(cutoff)s"
    " AND arrival_date BETWEEN %(since)s AND %(day)s GROUP BY nationality",
    "SELECT jurisdiction_id, COUNT(*) FROM arrivals_arrival WHERE created_at <= %(cutoff)s"
    " AND arrival_date BETWEEN %(since)s AND %(day)s GROUP BY jurisdiction_id",
    "SELECT d.disposition, COUNT(*) FROM screening_disposition d JOIN arrivals_arrival a"
    " ON a.id = d.arrival_id WHERE d.is_current AND a.arrival_date BETWEEN %(since)s"
    " AND %(day)s GROUP BY d.disposition",
    # The other desks.
    "SELECT kind, category, priority, COUNT(*) FROM assistance_assistancecase WHERE"
    " opened_at <= %(cutoff)s AND status IN ('new', 'assigned', 'in_progress', 'waiting',"
    " 'reopened') GROUP BY kind, category, priority",
    "SELECT status, COUNT(*) FROM assistance_consularnotification GROUP BY status",
    "SELECT COUNT(*) FROM contacts_contact WHERE starts_at >= %(since_at)s"
    " AND starts_at < %(cutoff)s",
    "SELECT status, due_on < %(today)s, COUNT(*) FROM contacts_commitment"
    " WHERE made_at <= %(cutoff)s GROUP BY status, due_on < %(today)s",
    "SELECT direction, status, COUNT(*) FROM aid_donation WHERE recorded_at <= %(cutoff)s"
    " GROUP BY direction, status",
    "SELECT severity, COUNT(*) FROM incidents_incident WHERE status <> 'closed'"
    " AND NOT exercise AND reported_at <= %(cutoff)s GROUP BY severity",
    "SELECT COUNT(*) FROM exchanges_conference WHERE ends_at < %(cutoff)s",
]


def _child() -> dict:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "liaison.settings")
    import django

    django.setup()
    from datetime import datetime, timedelta

    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from liaison.core import audit, reference
    from liaison.core.models import PortOfEntry, User
    from liaison.core.roles import Role
    from liaison.leadership import figures, selectors, services
    from liaison.leadership.models import Briefing

    call_command("migrate", verbosity=0)
    with audit.acting_as(username="bench"):
        reference.load(settings.LIAISON_REFERENCE_DIR / "chongqing")
    today = timezone.localdate()
    first_day = today - timedelta(days=DAYS - 1)
    created_at = figures.office_midnight(first_day) - timedelta(days=1)
    leader = User.objects.create(username="bench-leader", role=Role.LEADERSHIP, is_active=True)
    started = time.perf_counter()
    port = PortOfEntry.objects.order_by("code").first()
    days = _arrivals.flights(port, first_day, days=DAYS, per_day=FLIGHTS_PER_DAY)
    _arrivals.insert(days, ARRIVALS // DAYS, at=created_at, states=_arrivals.STATES)
    _insert_others(first_day, created_at, leader)
    setup = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")

    day = today - timedelta(days=1)  # the briefing of yesterday, drafted today
    cutoff = figures.cutoff_of(day)
    params = {
        "cutoff": cutoff,
        "day": day,
        "since": day - timedelta(days=figures.DAYS - 1),
        "since_at": figures.office_midnight(day - timedelta(days=figures.DAYS - 1)),
        "today": today,
    }
    adapted = {
        k: connection.ops.adapt_datetimefield_value(v)
        if isinstance(v, datetime)
        else connection.ops.adapt_datefield_value(v)
        for k, v in params.items()
    }

    def floor() -> int:
        rows = 0
        with connection.cursor() as cursor:
            for sql in FLOOR_QUERIES:
                cursor.execute(sql, adapted)
                rows += len(cursor.fetchall())
        return rows

    def dashboard() -> int:
        return figures.flat(selectors.live(leader))["pipeline.total.arrived"]["value"]

    def briefing() -> int:
        Briefing.objects.all().delete()
        made = services.draft(day=day, by=leader)
        return figures.flat(made.snapshot)["pipeline.total.arrived"]["value"]

    def best(work, expected=None) -> float:
        work()
        fastest = float("inf")
        for _ in range(REPEATS):
            start = time.perf_counter()
            got = work()
            fastest = min(fastest, time.perf_counter() - start)
            assert expected is None or got == expected, (got, expected)
        return fastest

    per_day = ARRIVALS // DAYS
    with audit.acting_as(user=leader):
        results = {
            "floor": best(floor),
            "dashboard": best(dashboard, per_day * DAYS),
            "briefing": best(briefing, per_day * (DAYS - 1)),
        }
    return {
        "vendor": connection.vendor,
        "version": connection.pg_version
        if connection.vendor == "postgresql"
        else __import__("sqlite3").sqlite_version,
        "arrivals": per_day * DAYS,
        "others": (OTHERS // 6) * 6,
        "setup": setup,
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
            f"{r['others']:,}",
            f"{r['floor']:.2f} s",
            f"{r['dashboard']:.2f} s",
            f"{r['dashboard'] / r['floor']:.2f}x",
            f"{r['briefing']:.2f} s",
            f"{r['briefing'] / r['floor']:.2f}x",
            f"{r['setup']:.0f} s",
        )
        for r in results.rows
    ]
    head = (
        "database",
        "arrivals",
        "other desks",
        "floor: bare aggregates",
        "dashboard",
        "dashboard / floor",
        "briefing drafted",
        "briefing / floor",
        "setup",
    )
    table = _harness.table(head, rows)
    worst = max(max(r["dashboard"], r["briefing"]) / r["floor"] for r in results.rows)
    goal = _harness.Goal(
        met=worst <= GOAL,
        verdict=f"Within the goal: at most {worst:.2f}x."
        if worst <= GOAL
        else f"Not within the goal: {worst:.2f}x at worst.",
    )

    def section() -> str:
        return (
            "`python bench/leadership.py` — the dashboard (`leadership.selectors.live`: every "
            "desk's figures now) and the daily briefing (`leadership.services.draft`: every "
            f"figure at the cut-off, stored) over {ARRIVALS:,} arrivals ({DAYS} days × "
            f"{FLIGHTS_PER_DAY} flights, every state) and {OTHERS:,} records of the other desks "
            "(cases, incidents, contacts, commitments, donations, conferences), on throwaway "
            f"SQLite and PostgreSQL 15 databases, best of {REPEATS} runs. The floor is the bare "
            "aggregate queries of the same tables in the same run (`FLOOR_QUERIES` in the "
            "script). Goal: ≤ 2× the floor.\n\n"
            f"{_harness.machine_line()}\n\n{table}\n\n{goal.verdict}\n"
        )

    return _harness.finish(
        args,
        results,
        table=table,
        heading="Leadership dashboard and briefing",
        section=section,
        goal=goal,
    )


if __name__ == "__main__":
    sys.exit(main())
