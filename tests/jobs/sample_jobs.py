"""Jobs that only the worker processes of tests/jobs/test_workers.py register. Each writes what it
does, line by line, to the file LIAISON_WORKER_TRACE names, so the test sees every execution,
including those of a process it killed."""

import os
import time
from datetime import datetime, timedelta

from liaison.core.models import User
from liaison.jobs.registry import background, scheduled
from liaison.notifications.kinds import register_kind
from liaison.notifications.services import notify

EFFECT = register_kind("sample.effect", "The effect")


def trace(line: str) -> None:
    with open(os.environ["LIAISON_WORKER_TRACE"], "a", encoding="utf-8") as out:
        out.write(line + "\n")
        out.flush()
        os.fsync(out.fileno())


@scheduled("sample.minutely", every=timedelta(minutes=1))
def minutely(*, due_at: datetime) -> None:
    """Say that it ran, and for which due time; stay a little, as real work does."""
    trace(f"ran {due_at.isoformat()} in {os.getpid()}")
    time.sleep(1)


@background("sample.slow_effect")
def slow_effect(*, user_id: int, key: str) -> None:
    """Make a keyed effect, then take long (the test kills the worker here)."""
    trace("start")
    notify(users=[User.objects.get(pk=user_id)], kind=EFFECT.code, once_key=key)
    trace("effect")
    time.sleep(float(os.environ.get("LIAISON_WORKER_PAUSE", "0")))
    trace("done")
