"""Run every benchmark in this folder, one after another: `make bench`.

Each benchmark is a script here that prints its own table of results and ratios against a floor
measured in the same run (and, but for --no-write, updates its section of bench/README.md); this
runs every one of them, whatever the one before did, and ends with what each came to. Exit codes
(bench/_harness.py): 0 ran and met its goal (or states none), 2 ran and missed its goal, any
other failed. This exits 1 if any failed, else 2 if any missed its goal, else 0.

    python bench/run.py [--no-write]
"""

import argparse
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from bench._harness import FAILED, GOAL_MISSED, OK  # noqa: E402

WORDS = {OK: "ok", GOAL_MISSED: "GOAL NOT MET"}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-write", action="store_true", help="do not update bench/README.md")
    args = parser.parse_args()
    scripts = sorted(
        p for p in HERE.glob("*.py") if p.name != "run.py" and not p.name.startswith("_")
    )
    outcomes = []
    for script in scripts:
        print(f"\n=== {script.name}", flush=True)
        started = time.monotonic()
        command = [sys.executable, str(script), *(["--no-write"] if args.no_write else [])]
        code = subprocess.run(command, cwd=HERE.parent).returncode
        outcomes.append((script.name, code, time.monotonic() - started))
    print("\n=== make bench")
    for name, code, seconds in outcomes:
        word = WORDS.get(code, f"FAILED (exit code {code})")
        print(f"{name:<20} {word:<24} {seconds:6.0f} s")
    codes = {code for _name, code, _seconds in outcomes}
    if codes - {OK, GOAL_MISSED}:
        return FAILED
    return GOAL_MISSED if GOAL_MISSED in codes else OK


if __name__ == "__main__":
    sys.exit(main())
