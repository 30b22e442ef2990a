"""Two workers (threads, each with its own database connection) at the same due time: the
scheduled job runs once. Run on SQLite and on PostgreSQL (scripts/with-postgres.sh)."""

import threading
from datetime import timedelta

import pytest
from django.db import connection

from liaison.jobs import runner
from liaison.jobs.models import JobRun, RunState
from liaison.jobs.registry import scheduled
from tests.jobs.conftest import NOW

WORKERS = 4
pytestmark = pytest.mark.usefixtures("alone")


@pytest.mark.django_db(transaction=True)
def test_a_scheduled_job_runs_once_with_several_workers(register):
    calls = []
    finished = threading.Semaphore(0)

    def job(*, due_at):
        calls.append(threading.get_ident())
        # Stay inside until another worker has planned and looked for work and given up: it
        # met the run while this one held it.
        assert finished.acquire(timeout=20)
        finished.release()

    register(scheduled("test.once", every=timedelta(minutes=5)), job)
    start = threading.Barrier(WORKERS)
    errors = []

    def worker():
        try:
            start.wait()
            runner.work_once(NOW)
        except BaseException as error:  # noqa: BLE001 - reported to the test below
            errors.append(error)
        finally:
            finished.release()
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(WORKERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    assert len(calls) == 1
    run = JobRun.objects.get(job="test.once")
    assert (run.state, run.attempts) == (RunState.DONE, 1)
