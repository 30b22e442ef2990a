"""What the database benchmarks share: a throwaway database per vendor, the child process that
measures in it, its JSON back, the markdown table and the bench's own section of bench/README.md.

A benchmark's ``main`` reads::

    args = _harness.arguments(__doc__)
    if args.child:
        return _harness.child(_child)       # inside one database: measure, print the JSON
    results = _harness.measure(__file__, args)
    ...                                     # rows, the table, the verdict, the section
    return _harness.finish(args, results, table=table, heading="Retention", section=..., goal=...)

The parent re-runs the script with ``--child`` once per database: SQLite in a temporary
``LIAISON_VAR_DIR`` (the folder and the database gone afterwards), PostgreSQL 15 through
scripts/with-postgres.sh (a fresh cluster, removed afterwards). The child's last line of output
is its measurements as JSON; everything else it prints is shown only when it fails.

Exit codes, read by bench/run.py: 0 every database ran and the goal (if the bench states one) is
met; 1 something failed (the README is then left as it was); 2 every database ran and the goal is
missed (said in the output and in the README's section).
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
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "bench" / "README.md"
WITH_POSTGRES = ROOT / "scripts" / "with-postgres.sh"
VENDORS = ("sqlite", "postgres")
# PostgreSQL with its durable defaults (fsync, synchronous_commit on), as a deployment runs it;
# "postgres" is the tests' fast cluster (fsync off). A bench opts in: ``measure(vendors=…)``.
POSTGRES_DURABLE = "postgres-durable"

OK, FAILED, GOAL_MISSED = 0, 1, 2


@dataclass(frozen=True)
class Goal:
    """A bench's goal and whether this run met it, in the words the README and the output use."""

    met: bool
    verdict: str


def arguments(
    doc: str, add: Callable[[argparse.ArgumentParser], None] | None = None
) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--no-write", action="store_true", help="do not update bench/README.md")
    parser.add_argument("--sqlite-only", action="store_true", help="skip PostgreSQL")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    if add:
        add(parser)
    return parser.parse_args()


def child(measure: Callable[[], dict]) -> int:
    """Inside one database's environment: the measurements, as the last line of output."""
    print(json.dumps(measure()), flush=True)
    return OK


def run_child(script: str | Path, vendor: str, child_args: Sequence[str] = ()) -> dict | None:
    """``script --child`` on a fresh database of ``vendor``; its JSON, or None if it failed."""
    env = dict(os.environ)
    with tempfile.TemporaryDirectory(prefix="liaison-bench-") as var:
        env["LIAISON_VAR_DIR"] = var
        env["LIAISON_LOG_LEVEL"] = "WARNING"
        command = [sys.executable, str(Path(script).resolve()), "--child", *child_args]
        if vendor == "sqlite":
            env["DATABASE_URL"] = f"sqlite:///{var}/bench.sqlite3"
        else:
            env.pop("DATABASE_URL", None)
            env.pop("LIAISON_PG_DURABLE", None)
            if vendor == POSTGRES_DURABLE:
                env["LIAISON_PG_DURABLE"] = "1"
            command = [str(WITH_POSTGRES), *command]
        done = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True)
    lines = done.stdout.strip().splitlines()
    if done.returncode == 0 and lines:
        try:
            return json.loads(lines[-1])
        except json.JSONDecodeError:
            pass
    print(
        f"{vendor}: failed (exit code {done.returncode})\n"
        f"{done.stdout[-2000:]}\n{done.stderr[-4000:]}",
        file=sys.stderr,
    )
    return None


@dataclass
class Results:
    """Each database's measurements, in the order run; ``complete`` when none failed."""

    rows: list[dict]
    complete: bool


def measure(
    script: str | Path,
    args: argparse.Namespace,
    child_args: Sequence[str] = (),
    vendors: Sequence[str] = VENDORS,
):
    vendors = vendors[:1] if args.sqlite_only else vendors
    rows = [run_child(script, vendor, child_args) for vendor in vendors]
    return Results(rows=[r for r in rows if r], complete=all(rows))


def database(result: dict) -> str:
    """The database's name and version, "SQLite 3.40.1" (PostgreSQL's may come as 150018)."""
    name = "SQLite" if result["vendor"] == "sqlite" else "PostgreSQL"
    version = result["version"]
    if isinstance(version, int):
        version = f"{version // 10000}.{version % 10000}"
    return f"{name} {version}"


def vendor_version(connection) -> str:
    """The version a child reports for its database, as ``database`` shows it."""
    if connection.vendor == "postgresql":
        return f"{connection.pg_version // 10000}.{connection.pg_version % 10000}"
    import sqlite3

    return sqlite3.sqlite_version


def table(head: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    widths = [max(len(row[i]) for row in [head, *rows]) for i in range(len(head))]

    def line(cells):
        return "| " + " | ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)) + " |"

    return "\n".join(
        [line(head), "|" + "|".join("-" * (w + 2) for w in widths) + "|", *map(line, rows)]
    )


def machine_line(*, cores: str = "", load: str = "at the end") -> str:
    """The section's "Last run" line: date, Python, machine, cores and the load average (the
    machine is shared: other work slows every column)."""
    return (
        f"Last run: {time.strftime('%Y-%m-%d')}, Python {platform.python_version()}, "
        f"{platform.machine()}, {os.cpu_count()} cores{cores}, load average "
        f"{os.getloadavg()[0]:.1f} {load}."
    )


def write_section(heading: str, body: str, readme: Path = README) -> None:
    """Replace the section ``## heading`` of ``readme`` in place (or append it); every other
    section, including one whose heading only starts the same way, is left as it is."""
    section = f"## {heading}\n\n{body.strip()}\n"
    text = readme.read_text(encoding="utf-8") if readme.exists() else "# Benchmarks\n"
    lines = text.splitlines(keepends=True)
    start = next((i for i, line in enumerate(lines) if line.rstrip("\n") == f"## {heading}"), None)
    if start is None:
        text = text.rstrip("\n") + "\n\n" + section
    else:
        end = next(
            (i for i in range(start + 1, len(lines)) if lines[i].startswith("## ")), len(lines)
        )
        before, after = "".join(lines[:start]), "".join(lines[end:])
        text = before + section + ("\n" + after if after else "")
    readme.write_text(text, encoding="utf-8")


def finish(
    args: argparse.Namespace,
    results: Results,
    *,
    table: str,
    heading: str,
    section: Callable[[], str],
    goal: Goal | None = None,
    readme: Path = README,
) -> int:
    """Print the table and the verdict; write the README's section when every database ran."""
    print(table)
    if goal:
        print(f"\n{'GOAL MET' if goal.met else 'GOAL NOT MET'}. {goal.verdict}")
    if not results.complete:
        print("\nA database failed (above): bench/README.md is left as it was.", file=sys.stderr)
        return FAILED
    if not args.no_write:
        write_section(heading, section(), readme)
    return OK if goal is None or goal.met else GOAL_MISSED
