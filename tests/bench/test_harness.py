"""bench/_harness.py with a tiny fake benchmark: its own throwaway database, its JSON back, and
its own README section replaced in place."""

import json
import subprocess
import sys
from pathlib import Path

from bench import _harness

FAKE = """
import os, sqlite3, sys
sys.path.insert(0, {root!r})
from pathlib import Path
from bench import _harness

def _child():
    var = os.environ["LIAISON_VAR_DIR"]
    path = os.environ["DATABASE_URL"].removeprefix("sqlite:///")
    fresh = not Path(path).exists()
    sqlite3.connect(path).execute("CREATE TABLE t (x)")  # fails if the database were reused
    return {{"vendor": "sqlite", "version": "3", "var": var, "path": path, "fresh": fresh,
            "ratio": float(os.environ["FAKE_RATIO"])}}

def main():
    args = _harness.arguments("A fake bench.")
    if args.child:
        return _harness.child(_child)
    results = _harness.measure(__file__, args)
    if not results.rows:
        return _harness.FAILED
    r = results.rows[0]
    print("RESULT", __import__("json").dumps(r))
    table = _harness.table(("database", "ratio"), [(_harness.database(r), f"{{r['ratio']}}x")])
    goal = _harness.Goal(met=r["ratio"] <= 2, verdict=f"ratio {{r['ratio']}}x, goal 2x")
    return _harness.finish(args, results, table=table, heading="Fake", goal=goal,
                           section=lambda: f"{{table}}\\n\\n{{goal.verdict}}",
                           readme=Path(os.environ["FAKE_README"]))

sys.exit(main())
"""

README = """# Benchmarks

## Before

Kept as it is.

## Fake: notes

Not the fake's section.

## Fake

Old numbers.

## After

Kept too.
"""


def run_fake(tmp_path: Path, ratio: float) -> tuple[subprocess.CompletedProcess, Path]:
    script = tmp_path / "fake.py"
    if not script.exists():
        script.write_text(FAKE.format(root=str(_harness.ROOT)))
    readme = tmp_path / "README.md"
    if not readme.exists():
        readme.write_text(README)
    env = {"PATH": "/usr/bin:/bin", "FAKE_RATIO": str(ratio), "FAKE_README": str(readme)}
    done = subprocess.run(
        [sys.executable, str(script), "--sqlite-only"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    return done, readme


def test_the_child_measures_in_its_own_throwaway_database_and_its_section_is_replaced(tmp_path):
    done, readme = run_fake(tmp_path, 1.5)
    assert done.returncode == _harness.OK, done.stderr
    result = json.loads(done.stdout.split("RESULT ", 1)[1].splitlines()[0])
    assert result["fresh"] and result["path"] == f"{result['var']}/bench.sqlite3"
    assert not Path(result["var"]).exists()  # removed with its database after the child
    assert "GOAL MET. ratio 1.5x" in done.stdout
    section = (
        "| database | ratio |\n|----------|-------|\n| SQLite 3 | 1.5x  |\n\nratio 1.5x, goal 2x"
    )
    assert readme.read_text() == README.replace("Old numbers.", section)

    again, _ = run_fake(tmp_path, 1.0)
    second = json.loads(again.stdout.split("RESULT ", 1)[1].splitlines()[0])
    assert second["fresh"] and second["var"] != result["var"]
    assert readme.read_text().count("## Fake\n") == 1 and "1.0x" in readme.read_text()


def test_a_missed_goal_exits_2_and_says_so_in_the_section(tmp_path):
    done, readme = run_fake(tmp_path, 3.0)
    assert done.returncode == _harness.GOAL_MISSED
    assert "GOAL NOT MET. ratio 3.0x, goal 2x" in done.stdout
    assert "ratio 3.0x, goal 2x" in readme.read_text()


def test_a_failed_child_exits_1_and_leaves_the_readme_as_it_was(tmp_path):
    (tmp_path / "fake.py").write_text(
        FAKE.format(root=str(_harness.ROOT)).replace("def _child():", "def _child():\n    1 / 0")
    )
    done, readme = run_fake(tmp_path, 1.0)
    assert done.returncode == _harness.FAILED
    assert "sqlite: failed" in done.stderr and "ZeroDivisionError" in done.stderr
    assert readme.read_text() == README


SHOW_FSYNC = """
import json, os, psycopg
with psycopg.connect(os.environ["DATABASE_URL"]) as connection:
    said = {name: connection.execute(f"SHOW {name}").fetchone()[0]
            for name in ("fsync", "synchronous_commit")}
print(json.dumps(said))
"""


def test_postgres_runs_fast_for_the_tests_and_durable_when_a_bench_asks(tmp_path, monkeypatch):
    script = tmp_path / "show.py"
    script.write_text(SHOW_FSYNC)
    monkeypatch.setenv("LIAISON_PG_DURABLE", "1")  # the harness decides, not the caller's shell
    assert _harness.run_child(script, "postgres") == {"fsync": "off", "synchronous_commit": "off"}
    assert _harness.run_child(script, _harness.POSTGRES_DURABLE) == {
        "fsync": "on",
        "synchronous_commit": "on",
    }
