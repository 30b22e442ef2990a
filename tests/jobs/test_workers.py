"""Real worker processes (``manage.py run_jobs``, django-q2's cluster) on the test's database, on
SQLite and on PostgreSQL (scripts/with-postgres.sh): two workers run a due schedule once, two
one-turn workers started together run it once, and a worker killed in the middle of a job leaves
the run to the next worker, whose run finds the effect made and does not make it twice.

Each test bounds its processes in time and kills them at the end; the jobs are in
tests/jobs/sample_jobs.py, registered only in the workers."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone
from django_q.models import OrmQ, Schedule, Task
from django_q.tasks import async_task

from liaison.jobs.queue import EXECUTE

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db(transaction=True)
LAUNCH = (
    "import sys, django; django.setup(); import tests.jobs.sample_jobs; "
    "from django.core.management import call_command; call_command('run_jobs', *sys.argv[1:])"
)


class Workers:
    def __init__(self, tmp_path: Path):
        self.tmp = tmp_path
        self.trace = tmp_path / "trace.txt"
        self.trace.touch()
        self.processes: list[subprocess.Popen] = []

    def start(self, *args: str, retry: int = 6, pause: float = 0) -> subprocess.Popen:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.jobs.worker_settings",
            "LIAISON_WORKER_DB": connection.settings_dict["NAME"],
            "LIAISON_WORKER_TRACE": str(self.trace),
            "LIAISON_WORKER_PAUSE": str(pause),
            "LIAISON_JOB_RETRY_SECONDS": str(retry),
            "LIAISON_JOB_TIMEOUT_SECONDS": str(retry - 1),
            "LIAISON_JOB_POLL_SECONDS": "0.2",
            "PYTHONPATH": str(ROOT),
        }
        log = open(self.tmp / f"worker-{len(self.processes)}.log", "wb")  # noqa: SIM115
        process = subprocess.Popen(  # noqa: S603 - our interpreter, our code
            [sys.executable, "-c", LAUNCH, *args],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: a kill reaches its children too
        )
        self.processes.append(process)
        return process

    def lines(self) -> list[str]:
        return self.trace.read_text(encoding="utf-8").splitlines()

    def wait_for(self, done, *, seconds: float, what: str) -> None:
        deadline = time.monotonic() + seconds
        while not done(self.lines()):
            if time.monotonic() > deadline:
                pytest.fail(f"no {what} within {seconds} s; trace {self.lines()}\n{self.logs()}")
            time.sleep(0.2)

    def logs(self) -> str:
        return "\n".join(p.read_text(errors="replace")[-3000:] for p in self.tmp.glob("*.log"))

    @staticmethod
    def kill(process: subprocess.Popen) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(10)

    def stop_all(self) -> None:
        for process in self.processes:
            self.kill(process)


@pytest.fixture
def workers(tmp_path):
    started = Workers(tmp_path)
    yield started
    started.stop_all()


def wait_for_schedule(name: str, seconds: float = 60) -> Schedule:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = Schedule.objects.filter(name=name).first()
        if found:
            return found
        time.sleep(0.2)
    pytest.fail(f"no worker wrote the schedule {name}")


def test_two_workers_run_a_due_schedule_once(workers):
    started = time.monotonic()
    workers.start()
    workers.start()
    schedule = wait_for_schedule("sample.minutely")
    # Due now: each cluster's scheduler looks at the schedules 30 s after it started.
    due = timezone.now().replace(second=0, microsecond=0)
    Schedule.objects.filter(pk=schedule.pk).update(next_run=due)
    workers.wait_for(lambda lines: len(lines) >= 1, seconds=60, what="run")
    # Both schedulers have looked by now (and the next due time is ahead of both).
    time.sleep(max(0.0, started + 40 - time.monotonic()))
    # Each due time ran once. On a slow machine the test may cross a minute, and the next due
    # time then runs too, once, as it should.
    due_times = Counter(line.split()[1] for line in workers.lines() if line.startswith("ran"))
    assert due_times[due.isoformat()] == 1, due_times
    assert set(due_times.values()) == {1}, due_times
    assert Task.objects.filter(group="sample.minutely", success=True).count() == len(due_times)
    assert Schedule.objects.get(pk=schedule.pk).next_run > due


def test_two_one_turn_workers_started_together_run_a_due_schedule_once(workers):
    # Written by a first turn; then due, and two workers take their turn at the same moment.
    workers.start("--once").wait(60)
    schedule = Schedule.objects.get(name="sample.minutely")
    due = timezone.now().replace(second=0, microsecond=0) - timedelta(minutes=1)
    Schedule.objects.filter(pk=schedule.pk).update(next_run=due)
    turns = [workers.start("--once"), workers.start("--once")]
    assert [turn.wait(60) for turn in turns] == [0, 0], workers.logs()
    assert [line.split(" in ")[0] for line in workers.lines()] == [f"ran {due.isoformat()}"]
    assert Task.objects.filter(group="sample.minutely").count() == 1
    assert not OrmQ.objects.exists()


def test_a_worker_killed_mid_job_leaves_the_run_to_the_next_whose_effect_is_not_repeated(
    workers, administrator
):
    from liaison.notifications.models import Notification

    async_task(
        EXECUTE,
        job="sample.slow_effect",
        kwargs={"user_id": administrator.pk, "key": "sample:1"},
        q_options={"group": "sample.slow_effect", "task_name": "sample.slow_effect 1"},
    )
    first = workers.start(pause=30)
    workers.wait_for(lambda lines: "effect" in lines, seconds=60, what="effect")
    workers.kill(first)  # SIGKILL to the worker and its cluster, mid-job
    assert workers.lines() == ["start", "effect"]
    assert OrmQ.objects.count() == 1  # not acknowledged: still queued, locked for the retry wait

    workers.start()
    workers.wait_for(lambda lines: "done" in lines, seconds=60, what="second run")
    assert workers.lines() == ["start", "effect", "start", "effect", "done"]
    assert Notification.objects.filter(user=administrator, kind="sample.effect").count() == 1
    deadline = time.monotonic() + 20
    while OrmQ.objects.exists() and time.monotonic() < deadline:
        time.sleep(0.2)  # the result monitor acknowledges just after the run
    assert not OrmQ.objects.exists()
    assert Task.objects.get(group="sample.slow_effect").success
