"""One turn of a worker in this process: queue what the schedules say is due, run what waits.

The cluster (``manage.py run_jobs``) does this in its own processes, for ever; this is the same
turn once, in the caller's process, for tests and for ``run_jobs --once``. It goes through
django-q2's own scheduler, broker and result store; only the worker's process around the call
is left out (a job that raises is recorded and stays queued for its retry, as in the cluster).

It needs autocommit, as a worker has: django-q closes stale connections between runs, which
would end a test's transaction (use ``django_db(transaction=True)``).
"""

from __future__ import annotations

import pydoc
import traceback

from django.db import connection
from django.utils import timezone
from django_q.brokers import get_broker
from django_q.monitor import save_task
from django_q.scheduler import scheduler
from django_q.signing import SignedPackage


def run_due(*, limit: int = 100) -> int:
    """Queue the due schedules, then run queued runs until none is due; how many ran."""
    if connection.in_atomic_block:
        raise RuntimeError("run_due needs autocommit, as a worker has")
    broker = get_broker()
    scheduler(broker=broker)
    ran = 0
    while ran < limit and broker.queue_size():
        taken = broker.dequeue() or []
        if not taken:
            break
        for ack_id, payload in taken:
            _run(SignedPackage.loads(payload), ack_id, broker)
            ran += 1
    return ran


def _run(task: dict, ack_id, broker) -> None:
    """As django_q.worker.worker and django_q.monitor.monitor do for one task."""
    func = task["func"] if callable(task["func"]) else pydoc.locate(task["func"])
    try:
        if func is None:
            raise ValueError(f"Function {task['func']} is not defined")
        task["result"], task["success"] = func(*task["args"], **task["kwargs"]), True
    except Exception as error:
        task["result"], task["success"] = f"{error} : {traceback.format_exc()}", False
    task["stopped"] = timezone.now()
    task["ack_id"] = ack_id
    save_task(task, broker)  # also acknowledges a failure whose attempts are spent
    if task["success"] or task.get("ack_failure", False):
        broker.acknowledge(ack_id)
