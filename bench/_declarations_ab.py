"""Two trees' declaration path side by side: is a change faster, on a machine whose speed drifts?

    .venv/bin/python bench/_declarations_ab.py /path/to/main /path/to/change [--turns 30]
                                               [--chunk 100] [--server app|write]
                                               [--rate 60/min]

Make a worktree of the commit to compare against with ``git worktree add /tmp/main main``
(and ``ln -s $PWD/.venv /tmp/main/.venv``). Each tree runs in a process of its own, in-process
as ``bench/_declarations_in_process.py`` does (the app's WSGI application, no gunicorn, no
network), on a fresh SQLite database of its own (in /dev/shm where there is one) with
``synchronous=NORMAL`` (the disk's noise out: this compares Python), the rate limit lifted
unless ``--rate`` sets it (each declaration then from an address of its own). The two take turns,
``--chunk`` declarations each, first one then the other, so that a slower minute of the machine
slows both; the result is the median of the turns' ratios B/A, with its quartiles. The same
tree against itself gives about 1.00 (2026-12-02: 1.02, quartiles 0.95-1.04): a change inside
that band is not measured. Not run by ``make bench`` (a helper: its name starts with an
underscore).
"""

from __future__ import annotations

import argparse
import importlib.util
import io
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def worker() -> None:
    """Serve "app N" / "write N" requests on stdin: run N declarations, print µs per one."""
    root = os.environ["AB_ROOT"]
    sys.path.insert(0, root)
    os.chdir(root)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "liaison.settings")
    os.environ["LIAISON_DECLARATION_RATE"] = os.environ.get("AB_RATE", "")
    import django

    django.setup()
    from django.core.management import call_command

    for command in ("migrate", "createcachetable", "load_reference"):
        call_command(command, verbosity=0, stdout=io.StringIO())
    from bench import _declarations_floor as floors
    from bench.declarations import payload  # the tree's own declaration

    # The request is made the same way for both trees: by this script's folder, not the tree's.
    spec = importlib.util.spec_from_file_location("_wsgi_request", HERE / "_wsgi_request.py")
    request = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(request)
    wsgi_environ = request.wsgi_environ
    from liaison.wsgi import application

    template = json.dumps(payload(), ensure_ascii=False)
    servers = {"app": application, "write": floors.application_app_write}
    counter = 0

    def start_response(status, headers, exc_info=None):
        if not status.startswith("201"):
            raise RuntimeError(f"answered {status}")

    print("ready", flush=True)
    for line in sys.stdin:
        name, count = line.split()
        app, started = servers[name], time.perf_counter()
        for _ in range(int(count)):
            counter += 1
            environ = wsgi_environ(template, f"Q{counter:08d}")
            # Every declaration from an address of its own: under --rate, none is refused.
            environ["REMOTE_ADDR"] = (
                f"10.{counter >> 16 & 255}.{counter >> 8 & 255}.{counter & 255}"
            )
            b"".join(app(environ, start_response))
        print((time.perf_counter() - started) / int(count) * 1e6, flush=True)


class Tree:
    def __init__(self, root: str, tag: str, rate: str = ""):
        # In memory where there is /dev/shm: mkdtemp makes a private directory, removed at the end.
        shm = "/dev/shm"  # noqa: S108
        base = shm if os.path.isdir(shm) else None
        self.var = var = tempfile.mkdtemp(prefix=f"liaison-ab-{tag}-", dir=base)
        env = {
            **os.environ,
            "AB_ROOT": root,
            "AB_RATE": rate,
            "LIAISON_VAR_DIR": var,
            "DATABASE_URL": f"sqlite:///{var}/db.sqlite3",
            "LIAISON_SQLITE_SYNCHRONOUS": "NORMAL",
            "PYTHONPATH": root,
        }
        self.process = subprocess.Popen(
            [os.path.join(root, ".venv/bin/python"), __file__, "--worker"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env=env,
            cwd=root,
        )
        while (line := self.process.stdout.readline()) and line.strip() != "ready":
            pass
        if not line:
            raise SystemExit(f"{root}: the worker did not start")

    def run(self, server: str, count: int) -> float:
        self.process.stdin.write(f"{server} {count}\n")
        self.process.stdin.flush()
        return float(self.process.stdout.readline())

    def close(self) -> None:
        self.process.stdin.close()
        self.process.wait(timeout=30)
        shutil.rmtree(self.var, ignore_errors=True)


def main() -> None:
    if "--worker" in sys.argv:
        return worker()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("a")
    parser.add_argument("b")
    parser.add_argument("--turns", type=int, default=30)
    parser.add_argument("--chunk", type=int, default=100)
    parser.add_argument("--server", choices=("app", "write"), default="app")
    parser.add_argument(
        "--rate", default="", help="the rate limit on, as deployed (e.g. 60/min); default: lifted"
    )
    args = parser.parse_args()
    a, b = Tree(args.a, "a", args.rate), Tree(args.b, "b", args.rate)
    try:
        for tree in (a, b):
            tree.run(args.server, 200)  # warm: imports, caches, the first flight
        times_a, times_b = [], []
        for turn in range(args.turns):
            first, second = (a, b) if turn % 2 == 0 else (b, a)
            took = {id(first): first.run(args.server, args.chunk)}
            took[id(second)] = second.run(args.server, args.chunk)
            times_a.append(took[id(a)])
            times_b.append(took[id(b)])
    finally:
        a.close()
        b.close()
    ratios = [tb / ta for ta, tb in zip(times_a, times_b, strict=True)]
    q1, _median, q3 = statistics.quantiles(ratios)
    a_us, b_us = statistics.median(times_a), statistics.median(times_b)
    print(
        f"{args.server}: A {a_us:,.0f} µs, B {b_us:,.0f} µs per declaration; "
        f"B / A {statistics.median(ratios):.3f} (quartiles {q1:.3f}-{q3:.3f}, "
        f"{args.turns} turns of {args.chunk})"
    )


if __name__ == "__main__":
    main()
