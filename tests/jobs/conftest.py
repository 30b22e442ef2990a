"""Jobs registered for one test only, and the clock the scheduler and the queue read."""

from datetime import UTC, datetime

import pytest
import time_machine

from liaison.jobs import registry

# A Monday morning, on a due time of every job registered in these tests.
NOW = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)


@pytest.fixture
def register():
    """``register(decorator, func)``: the job exists for this test, and is gone afterwards."""
    added = []

    def _register(decorator, func):
        decorator(func)
        added.append(next(name for name, job in registry.JOBS.items() if job.func is func))
        return func

    yield _register
    for name in added:
        registry.JOBS.pop(name, None)


@pytest.fixture
def alone():
    """Only the jobs this test registers: the other apps' jobs neither run nor interfere."""
    saved = dict(registry.JOBS)
    registry.JOBS.clear()
    yield
    registry.JOBS.clear()
    registry.JOBS.update(saved)


def at(moment: datetime):
    """The clock goes from ``moment`` (for django-q's scheduler and broker as for Liaison). It
    ticks: the broker takes a queued run only once its lock time is past."""
    return time_machine.travel(moment, tick=True)
