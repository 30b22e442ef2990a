"""Declarations per second through HTTP, on SQLite and on PostgreSQL, against a floor.

    .venv/bin/python bench/declarations.py [--seconds 10] [--workers 4] [--connections 16]

For each database: a fresh database (SQLite: a temporary file; PostgreSQL: a throwaway cluster
through scripts/with-postgres.sh), migrated and loaded with the reference data; the real app
served by gunicorn as `make run` does (rate limit lifted); wrk on loopback POSTs distinct valid
declarations (unique Idempotency-Key and document number) to /api/v1/declarations. The floor is
bench/_declarations_floor.py on the same gunicorn and database: read the body, INSERT the same
arrival row with the ORM, answer 201; a second floor writes the five rows a declaration must
write. Results go into bench/README.md under "Declarations".
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
GUNICORN = str(Path(PY).parent / "gunicorn")

LUA = r"""
local threads = {}
local counter = 0
function setup(thread)
  counter = counter + 1
  thread:set("id", counter)
end
function init(args)
  prefix = args[1]
  body_template = args[2]
  n = 0
end
function request()
  n = n + 1
  local doc = string.format("%s%d%07d", prefix, id, n)
  local body = string.gsub(body_template, "DOCUMENT", doc)
  local headers = {}
  headers["Content-Type"] = "application/json"
  headers["Idempotency-Key"] = "bench-" .. doc
  return wrk.format("POST", "/api/v1/declarations", headers, body)
end
"""


def payload() -> dict:
    today = date.today()
    return {
        "surname_native": "김",
        "given_names_native": "민준",
        "surname_latin": "KIM",
        "given_names_latin": "MINJUN",
        "sex": "M",
        "date_of_birth": "1990-01-31",
        "nationality": "KR",
        "document_type": "passport",
        "document_number": "DOCUMENT",
        "phone": "+82 10-2345-6789",
        "email": "minjun@example.org",
        "language": "ko",
        "flight_number": "KE 147",
        "seat": "32A",
        "arrival_date": today.isoformat(),
        "category": "tourist",
        "history": [
            {
                "country": "KR",
                "city": "Seoul",
                "date_from": (today - timedelta(days=13)).isoformat(),
                "date_to": today.isoformat(),
            }
        ],
        "transits": [],
        "symptoms": [],
        "contact_with_cases": False,
        "destination_kind": "city",
        "jurisdiction": "500112",
        "address": "渝北区 1 号",
        "consent": True,
    }


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(port: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise RuntimeError(f"server on port {port} did not start")


def run_wrk(port: int, prefix: str, args, env) -> dict:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(LUA)
    body = json.dumps(payload(), ensure_ascii=False)
    # Warm up the workers (imports, connections, caches) before measuring.
    subprocess.run(
        [
            "wrk",
            "-t2",
            "-c4",
            "-d5s",
            "--timeout",
            "30s",
            "-s",
            script.name,
            f"http://127.0.0.1:{port}",
            "--",
            "W" + prefix,  # warm-up documents of their own (numbers are upper-cased)
            body,
        ],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    out = subprocess.run(
        [
            "wrk",
            "-t2",
            f"-c{args.connections}",
            f"-d{args.seconds}s",
            "--timeout",
            "10s",
            "--latency",
            "-s",
            script.name,
            f"http://127.0.0.1:{port}",
            "--",
            prefix,
            body,
        ],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    ).stdout
    os.unlink(script.name)
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    total = int(re.search(r"(\d+) requests in", out).group(1))
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"Socket errors: (.*)", out)
    if errors:
        print(f"wrk: socket errors: {errors.group(1)}", file=sys.stderr)
    p99 = re.search(r"99%\s+([\d.]+\w+)", out)
    return {
        "rate": rate,
        "requests": total,
        "non_2xx": int(bad.group(1)) if bad else 0,
        "p99": p99.group(1) if p99 else "?",
    }


def serve(app: str, port: int, args, env) -> subprocess.Popen:
    return subprocess.Popen(
        [
            GUNICORN,
            app,
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(args.workers),
            "--preload",
            "--graceful-timeout",
            "5",
            "--timeout",
            "60",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        # A file, not a pipe: a full pipe nobody reads would stall the server.
        stderr=open(Path(env["LIAISON_VAR_DIR"]) / f"gunicorn-{port}.log", "w"),  # noqa: SIM115
    )


def measure_here(args) -> dict:
    """Both servers on the database named by DATABASE_URL (or a fresh SQLite file)."""
    var = Path(tempfile.mkdtemp(prefix="liaison-bench-"))
    env = {
        **os.environ,
        "LIAISON_VAR_DIR": str(var),
        "LIAISON_DECLARATION_RATE": "",
        "LIAISON_LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(ROOT),
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    manage = [PY, "manage.py"]
    for command in (["migrate", "--noinput", "-v0"], ["createcachetable"], ["load_reference"]):
        subprocess.run(manage + command, cwd=ROOT, env=env, check=True, capture_output=True)
    results = {}
    try:
        for name, app, prefix in (
            ("floor", "bench._declarations_floor:application", "F"),
            ("floor_rows", "bench._declarations_floor:application_same_rows", "R"),
            ("app", "liaison.wsgi", "A"),
        ):
            port = free_port()
            server = serve(app, port, args, env)
            try:
                wait_for(port)
                results[name] = run_wrk(port, prefix, args, env)
            finally:
                server.terminate()
                server.wait(timeout=20)
        count = (
            subprocess.run(
                manage
                + [
                    "shell",
                    "-c",
                    "from liaison.arrivals.models import Arrival, DeclarationRevision as R; "
                    "print('COUNT', Arrival.objects.filter(document_number__startswith='A')"
                    ".count(), R.objects.count())",
                ],
                cwd=ROOT,
                env=env,
                check=True,
                capture_output=True,
                text=True,
            )
            .stdout.strip()
            .splitlines()[-1]
            .split()
        )
        results["stored_app"], results["revisions"] = int(count[-2]), int(count[-1])
    finally:
        shutil.rmtree(var, ignore_errors=True)
    return results


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--here", help="measure on DATABASE_URL and write JSON to this file")
    parser.add_argument("--no-readme", action="store_true")
    args = parser.parse_args()
    if args.here:
        Path(args.here).write_text(json.dumps(measure_here(args)))
        return 0
    if not shutil.which("wrk"):
        subprocess.run([str(ROOT / "scripts/system-packages.sh"), "wrk"], check=True)
    results = {}
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    os.environ.pop("DATABASE_URL", None)
    results["SQLite"] = measure_here(args)
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as out:
        pass
    subprocess.run(
        [
            str(ROOT / "scripts/with-postgres.sh"),
            PY,
            __file__,
            "--here",
            out.name,
            "--seconds",
            str(args.seconds),
            "--workers",
            str(args.workers),
            "--connections",
            str(args.connections),
        ],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    results["PostgreSQL"] = json.loads(Path(out.name).read_text())
    os.unlink(out.name)
    print(json.dumps(results), file=sys.stderr)
    report(results, args)
    return 0


def report(results: dict, args) -> None:
    rows = [
        (
            "database",
            "declarations/s (app)",
            "floor: 1 row/s",
            "app / floor",
            "floor: 5 rows/s",
            "app / 5-row floor",
            "app p99",
            "non-2xx",
            "stored / answered",
        )
    ]
    for db, r in results.items():
        app, floor, floor_rows = r["app"], r["floor"], r["floor_rows"]
        rows.append(
            (
                db,
                f"{app['rate']:,.0f}",
                f"{floor['rate']:,.0f}",
                f"{app['rate'] / floor['rate']:.2f}",
                f"{floor_rows['rate']:,.0f}",
                f"{app['rate'] / floor_rows['rate']:.2f}",
                app["p99"],
                str(app["non_2xx"] + floor["non_2xx"] + floor_rows["non_2xx"]),
                # wrk stops counting at its deadline; requests in flight are still stored.
                f"{r['stored_app']} / {app['requests'] - app['non_2xx']}",
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = [
        "| " + " | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) + " |"
        for row in rows
    ]
    lines.insert(1, "|" + "|".join("-" * (w + 2) for w in widths) + "|")
    table = "\n".join(lines)
    print(table)
    pg, lite = results["PostgreSQL"], results["SQLite"]
    goal = (
        f"Goals: app >= 0.5 x floor on both databases, >= 1,000/s on PostgreSQL. "
        f"PostgreSQL: {pg['app']['rate']:,.0f}/s, {pg['app']['rate'] / pg['floor']['rate']:.2f} x "
        f"floor; SQLite: {lite['app']['rate'] / lite['floor']['rate']:.2f}"
        " x floor."
    )
    print(goal)
    if args.no_readme:
        return
    section = (
        "## Declarations\n\n"
        "`python bench/declarations.py` — POST /api/v1/declarations through gunicorn "
        f"({args.workers} sync workers, as `make run`) with wrk on loopback ({args.connections} "
        f"connections, {args.seconds} s after a 5 s warm-up), distinct valid declarations (unique "
        "Idempotency-Key and document), rate limit lifted. Each declaration is validated (forms), "
        "written with its first version, first event, audit entry and idempotency record in one "
        "write (`liaison/core/rows.py`: one statement on PostgreSQL). Floors, from "
        "`bench/_declarations_floor.py` on the same server and database, bare WSGI handlers with "
        "no middleware and no validation: **1 row** inserts the same arrival row with the ORM "
        "(the floor issue 3 names); **5 rows** writes the five rows a declaration must write, "
        "one ORM INSERT each in one transaction. PostgreSQL is the throwaway cluster of "
        "`scripts/with-postgres.sh` (fsync off, as in the tests).\n\n"
        f"Last run: {date.today().isoformat()}, Python {platform.python_version()}, "
        f"{platform.machine()}, {os.cpu_count()} cores (wrk shares them with the server), "
        f"load average {os.getloadavg()[0]:.1f} when it ended.\n\n"
        f"{table}\n\n{goal}\n"
    )
    readme = ROOT / "bench" / "README.md"
    text = readme.read_text(encoding="utf-8")
    text = re.sub(r"\n## Declarations\n.*?(?=\n## |\Z)", "", text, flags=re.S).rstrip() + "\n"
    readme.write_text(text + "\n" + section, encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
