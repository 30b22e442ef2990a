"""Benchmark of the handover manifest PDF (``liaison.handover.manifest.manifest_pdf``).

    python bench/manifest_pdf.py              # 300 travelers
    BENCH_MANIFEST_TRAVELERS=600 python bench/manifest_pdf.py

The travelers are unsaved model instances (no database: what is measured is the layout), their
names in Chinese, Korean, Japanese, Persian, Arabic, Russian and Latin letters in turn. The floor
is WeasyPrint printing a bare table of the same rows in Latin letters only (no style sheet, one
font) in the same run: what the manifest adds is its styles and the other scripts' fonts. Best of
3 runs, after one run that warms fontconfig and WeasyPrint's caches.
"""

from __future__ import annotations

import os
import platform
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

TRAVELERS = int(os.environ.get("BENCH_MANIFEST_TRAVELERS", "300"))
REPEATS = 3
NAMES = [
    ("张", "伟", "ZHANG", "WEI", "CN"),
    ("김", "민준", "KIM", "MINJUN", "KR"),
    ("佐藤", "花子", "SATO", "HANAKO", "JP"),
    ("رضایی", "محمد", "REZAEI", "MOHAMMAD", "IR"),
    ("الحسن", "عمر", "ALHASSAN", "OMAR", "JO"),
    ("Петров", "Иван", "PETROV", "IVAN", "RU"),
    ("", "", "MÜLLER", "JÖRG", "DE"),
]


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "liaison.settings")
    os.environ.setdefault("LIAISON_LOG_LEVEL", "WARNING")
    # Production's static files: collected, with hashed names (the PDF loads them by those).
    static = tempfile.TemporaryDirectory(prefix="liaison-bench-static-")
    os.environ["LIAISON_STATIC_ROOT"] = static.name
    import django

    django.setup()
    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0)
    from weasyprint import HTML

    from liaison.arrivals.models import Arrival, Flight
    from liaison.core.models import Jurisdiction
    from liaison.handover.manifest import manifest_pdf
    from liaison.handover.models import Batch, BatchMember

    now = datetime(2026, 12, 1, 6, 0, tzinfo=UTC)
    flight = Flight(number="KE147", date=date(2026, 12, 1))
    members = []
    for n in range(TRAVELERS):
        surname, given, latin_surname, latin_given, country = NAMES[n % len(NAMES)]
        arrival = Arrival(
            code=f"K7QM{n:04d}",
            surname_native=surname,
            given_names_native=given,
            surname_latin=latin_surname,
            given_names_latin=latin_given,
            nationality=country,
            document_number=f"M{n:08d}",
            flight=flight,
        )
        members.append(BatchMember(arrival=arrival, confirmed_at=now if n % 2 else None))
    batch = Batch(
        pk=42,
        destination_jurisdiction=Jurisdiction(name_zh="渝北区", name_en="Yubei District"),
        disposition="centralized_quarantine",
        status="departed",
        vehicle="渝A·12345",
        escort="刘警官 · Officer Liu",
        planned_departure=now,
        departed_at=now,
    )
    cells = "".join(
        f"<tr><td>{n}</td><td>{m.arrival.code}</td><td>{m.arrival.name_latin}</td>"
        f"<td>{m.arrival.nationality.code}</td><td>M••••{n:04d}</td><td>KE147</td><td></td></tr>"
        for n, m in enumerate(members, 1)
    )
    bare = f"<table>{cells}</table>"

    def best(work) -> tuple[float, bytes]:
        result = work()
        fastest = float("inf")
        for _ in range(REPEATS):
            started = time.perf_counter()
            result = work()
            fastest = min(fastest, time.perf_counter() - started)
        return fastest, result

    floor, _ = best(lambda: HTML(string=bare).write_pdf())
    manifest, pdf = best(lambda: manifest_pdf(batch, members))
    load = os.getloadavg()[0]
    print(f"Python {platform.python_version()}, {platform.machine()}, load average {load:.1f}")
    print("| travelers | manifest PDF | floor: bare table | manifest / floor | size    |")
    print("|-----------|--------------|-------------------|------------------|---------|")
    print(
        f"| {TRAVELERS:>9} | {manifest:>10.2f} s | {floor:>15.2f} s | "
        f"{manifest / floor:>15.1f}x | {len(pdf) // 1024:>4} KB |"
    )
    static.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
