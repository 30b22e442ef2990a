"""The audit page's search by record over a large audit table: the index of ``core/0006``.

    unset DATABASE_URL; scripts/with-postgres.sh .venv/bin/python bench/_audit_search.py
    export LIAISON_VAR_DIR=/tmp/a DATABASE_URL=sqlite:////tmp/a/x.sqlite3
    .venv/bin/python bench/_audit_search.py        # SQLite: no index of a list, for contrast

Fills the audit table with ``ENTRIES`` entries (default 1,000,000; nine in ten name one record,
one in ten names 50, as list pages and bulk writes do), then times the first page (50 entries)
of ``selectors.filter_audit_entries(object_id=…)`` for records named once, best of 5:

- **now**: ``object_id = … OR object_ids holds …`` (``core/lookups.py``), answered on PostgreSQL
  by the btree index of ``object_id`` and the GIN index of ``object_ids``;
- **before 0006**: the same search as it was, ``object_ids`` as text containing the quoted id
  (``icontains``), which reads every entry;
- **floor**: the btree lookup of ``object_id`` alone, the least a search by record can cost.

Not run by ``make bench`` (a helper: its name starts with an underscore); it migrates the
database it is given.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.chdir(ROOT)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "liaison.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Q  # noqa: E402

ENTRIES = int(os.environ.get("ENTRIES", "1000000"))
MANY = 50  # records named by one entry of ten


def fill() -> None:
    single, lists = ENTRIES - ENTRIES // 10, ENTRIES // 10
    common = "now(), 'bench', 'read', 'arrivals.arrival', '[]', '', ''"
    columns = "at, actor_username, action, object_type, fields, path, note, object_id, object_ids"
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"INSERT INTO core_auditentry ({columns}) SELECT {common}, g::text, "  # noqa: S608
                "jsonb_build_array(g::text) FROM generate_series(1, %s) g",
                [single],
            )
            cursor.execute(
                f"INSERT INTO core_auditentry ({columns}) SELECT {common}, '', "  # noqa: S608
                "(SELECT jsonb_agg((%s + g * %s + k)::text) FROM generate_series(0, %s) k) "
                "FROM generate_series(0, %s) g",
                [single + 1, MANY, MANY - 1, lists - 1],
            )
            cursor.execute("ANALYZE core_auditentry")
        else:
            cursor.execute(
                "WITH RECURSIVE g(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM g WHERE n < %s) "
                f"INSERT INTO core_auditentry ({columns}) SELECT datetime('now'), "  # noqa: S608
                "'bench', 'read', 'arrivals.arrival', '[]', '', '', CAST(n AS TEXT), "
                "json_array(CAST(n AS TEXT)) FROM g",
                [single],
            )
            cursor.execute(
                "WITH RECURSIVE g(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM g WHERE n < %s), "
                "k(m) AS (SELECT 0 UNION ALL SELECT m + 1 FROM k WHERE m < %s) "
                f"INSERT INTO core_auditentry ({columns}) SELECT datetime('now'), "  # noqa: S608
                "'bench', 'read', 'arrivals.arrival', '[]', '', '', '', "
                "(SELECT json_group_array(CAST(%s + n * %s + m AS TEXT)) FROM k) FROM g",
                [lists - 1, MANY - 1, single + 1, MANY],
            )
            cursor.execute("ANALYZE")


def best(search) -> float:
    search()
    fastest = float("inf")
    for _ in range(5):
        started = time.perf_counter()
        search()
        fastest = min(fastest, time.perf_counter() - started)
    return fastest


def main() -> None:
    call_command("migrate", verbosity=0)
    from liaison.core.models import AuditEntry
    from liaison.core.selectors import filter_audit_entries

    started = time.perf_counter()
    fill()
    print(
        f"{connection.vendor}: {AuditEntry.objects.count():,} entries in "
        f"{time.perf_counter() - started:.0f} s"
    )
    single = ENTRIES - ENTRIES // 10
    record_in_a_list = str(single + 1 + 7 * MANY + 3)  # named by the eighth entry of 50
    everything = AuditEntry.objects.all()

    def page(entries, expected: int):
        def run():
            found = list(entries[:50])
            assert len(found) == expected, len(found)

        return run

    for label, record, expected in (
        ("a record named alone", str(single // 2), 1),
        ("a record named in a list", record_in_a_list, 1),
    ):
        now = best(page(filter_audit_entries(everything, object_id=record), expected))
        before = everything.filter(Q(object_id=record) | Q(object_ids__icontains=f'"{record}"'))
        was = best(page(before, expected))
        floor = best(
            page(everything.filter(object_id=record), 1 if record != record_in_a_list else 0)
        )
        print(
            f"  {label}: now {now * 1e3:,.1f} ms, before 0006 {was * 1e3:,.1f} ms "
            f"({was / now:,.1f}x now), floor (object_id alone) {floor * 1e3:,.2f} ms "
            f"(now / floor {now / floor:,.1f}x)"
        )


if __name__ == "__main__":
    main()
