"""The job worker: django-q2's cluster (scheduler, workers, result monitor), until stopped.

``make run`` starts one beside gunicorn (liaison/gunicorn_conf.py) and stops it with the server;
``--parent`` stops it by itself when the server is gone. Any number may run, on one machine or
several against one PostgreSQL: each queued run is taken by one, each schedule queued once.
``--once`` does one turn in this process instead (liaison/jobs/inline.py).
"""

import os
import signal
import time

from django.core.management.base import BaseCommand
from django_q.cluster import Cluster

from liaison.jobs import inline, queue


class Command(BaseCommand):
    help = "Run scheduled and queued background jobs (Ctrl-C or SIGTERM stops it)."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="One turn here, then stop.")
        parser.add_argument(
            "--parent", type=int, default=0, help="Stop when the process with this id is gone."
        )

    def handle(self, *args, once=False, parent=0, **options):
        queue.sync_schedules()
        if once:
            ran = inline.run_due()
            self.stdout.write(f"{ran} job run(s).")
            return
        stopping = False

        def stop(signum, frame):
            nonlocal stopping
            stopping = True

        cluster = Cluster()
        # The cluster installs its own handlers; ours only end the watch below, which stops it.
        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        cluster.start()
        self.stdout.write(f"Job worker {os.getpid()} started.")
        self.stdout.flush()
        while not stopping and not (parent and os.getppid() != parent):
            if not cluster.sentinel.is_alive():
                raise SystemExit("the job cluster stopped by itself")
            time.sleep(0.5)
        cluster.stop()
