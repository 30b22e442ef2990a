"""Where a declaration's time goes, in one process: no gunicorn, no wrk, no network.

    export LIAISON_VAR_DIR=/tmp/d DATABASE_URL=sqlite:////tmp/d/x.sqlite3
    .venv/bin/python bench/_declarations_in_process.py
    unset DATABASE_URL; scripts/with-postgres.sh .venv/bin/python bench/_declarations_in_process.py
    PROFILE=1 … (adds a cProfile of the app, sorted by cumulative time or by PROFILE_SORT)

Runs N declarations (``N``, default 1,500) through the app's WSGI application
(``liaison.wsgi.application``: its intake middleware, ninja, validation, the write, the answer),
then through the decided stack alone (``bench/_declarations_stack.py``: Django's handler and a
ninja operation around the app's write, with and without the form's validation),
``application_app_write`` (the app's own write of an already validated declaration) and
``application`` (the one-row floor) of ``bench/_declarations_floor.py``, twice, and prints the
microseconds per declaration of each and their ratios. Single-threaded, so it shows the
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
    from bench import _declarations_stack as stack
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

    # name -> (WSGI application, the first letter of its document numbers)
    servers = {
        "app": (application, "A"),
        "Django + ninja + form + write": (stack.application_validated, "D"),
        "Django + ninja + write": (stack.application_written, "E"),
        "its write": (floors.application_app_write, "B"),
        "one-row floor": (floors.application, "C"),
    }
    for app, letter in servers.values():
        per_declaration(app, f"W{letter}", 100)  # warm
    for round_ in range(2):
        took = {
            name: per_declaration(app, f"{letter}{round_}", N)
            for name, (app, letter) in servers.items()
        }
        write, floor = took["its write"], took["one-row floor"]
        print(
            "; ".join(
                f"{name} {us:.0f} us (its write / it {write / us:.2f}, floor / it {floor / us:.2f})"
                for name, us in took.items()
            )
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
