"""The job worker: plans scheduled runs and runs what waits, until stopped.

``make run`` starts one beside gunicorn (liaison/gunicorn_conf.py) and stops it with the server.
Any number may run, on one machine or several against one PostgreSQL: each run is taken by one.
"""

import os
import signal
import time

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import close_old_connections

from liaison.jobs import runner


class Command(BaseCommand):
    help = "Run scheduled and queued background jobs (Ctrl-C or SIGTERM stops it between runs)."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="One turn, then stop.")
        parser.add_argument(
            "--parent", type=int, default=0, help="Stop when the process with this id is gone."
        )

    def handle(self, *args, once=False, parent=0, **options):
        stopping = False

        def stop(signum, frame):
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        poll = settings.LIAISON_JOB_POLL_SECONDS
        if not once:
            self.stdout.write(f"Job worker {os.getpid()} started (every {poll:g} s).")
            self.stdout.flush()
        while not stopping:
            close_old_connections()
            runner.work_once()
            if once or (parent and os.getppid() != parent):
                break
            # Sleep in short steps so that a stop signal is answered within a second.
            deadline = time.monotonic() + poll
            while not stopping and time.monotonic() < deadline:
                time.sleep(min(0.5, poll))
