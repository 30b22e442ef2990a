"""Where a declaration's time goes, in one process: no gunicorn, no wrk, no network.

    export LIAISON_VAR_DIR=/tmp/d DATABASE_URL=sqlite:////tmp/d/x.sqlite3
    .venv/bin/python bench/_declarations_in_process.py
    unset DATABASE_URL; scripts/with-postgres.sh .venv/bin/python bench/_declarations_in_process.py
    PROFILE=1 … (adds a cProfile of the app, sorted by cumulative time or by PROFILE_SORT)

Runs N declarations (``N``, default 1,500) through the app's WSGI application
(``liaison.wsgi.application``: its intake middleware, ninja, validation, the write, the answer),
then through ``application_app_write`` (the app's own write of an already validated declaration)
and ``application`` (the one-row floor) of ``bench/_declarations_floor.py``, twice, and prints
the microseconds per declaration of each and their ratios. Single-threaded, so it shows the
Python each one costs; ``bench/declarations.py`` measures them under load. Not run by
``make bench`` (a helper: its name starts with an underscore); it migrates the database it is
given.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.chdir(ROOT)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "liaison.settings")
os.environ["LIAISON_DECLARATION_RATE"] = ""  # the rate limit lifted, as in the bench

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402

N = int(os.environ.get("N", "1500"))


def main() -> None:
    for command in ("migrate", "createcachetable", "load_reference"):
        call_command(command, verbosity=0)
    from bench import _declarations_floor as floors
    from bench._wsgi_request import wsgi_environ
    from bench.declarations import payload
    from liaison.wsgi import application

    template = json.dumps(payload(), ensure_ascii=False)
    answers: dict[str, int] = {}

    def start_response(status, headers, exc_info=None):
        answers[status] = answers.get(status, 0) + 1

    def environ(document: str) -> dict:
        return wsgi_environ(template, document)

    def per_declaration(app, prefix: str, n: int) -> float:
        start = time.perf_counter()
        for i in range(n):
            out = app(environ(f"{prefix}{i:07d}"), start_response)
            b"".join(out)
            getattr(out, "close", lambda: None)()
        return (time.perf_counter() - start) / n * 1e6

    for app, prefix in ((application, "W"), (floors.application_app_write, "V")):
        per_declaration(app, prefix, 100)  # warm
    per_declaration(floors.application, "U", 100)
    for round_ in range(2):
        app = per_declaration(application, f"A{round_}", N)
        write = per_declaration(floors.application_app_write, f"B{round_}", N)
        floor = per_declaration(floors.application, f"C{round_}", N)
        print(
            f"app {app:.0f} us, its write {write:.0f} us, one-row floor {floor:.0f} us: "
            f"app / its write {write / app:.2f}, app / floor {floor / app:.2f}"
        )
    print("answers:", answers)
    if os.environ.get("PROFILE"):
        import cProfile
        import pstats

        profile = cProfile.Profile()
        profile.enable()
        per_declaration(application, "P", N)
        profile.disable()
        order = os.environ.get("PROFILE_SORT", "cumulative")
        pstats.Stats(profile).sort_stats(order).print_stats(60)


if __name__ == "__main__":
    main()
