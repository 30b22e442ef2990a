"""django-q2's database broker with a growing wait between a failed run's attempts.

django-q2 locks a queued run for ``retry`` seconds when a worker takes it; a run that failed (or
whose worker died) is taken again when its lock has passed. Here the lock grows with the attempts
already recorded for the run: ``retry``, then twice, four times … that, up to
``LIAISON_JOB_RETRY_MAX_SECONDS``. A gateway that is down for a while is not hammered every
minute, and a run whose worker was killed still comes back after the first wait.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.core.signing import BadSignature
from django.utils import timezone
from django_q.brokers.orm import ORM
from django_q.conf import Conf
from django_q.models import OrmQ, Task
from django_q.signing import SignedPackage


def retry_wait(attempts_done: int) -> timedelta:
    """How long a run stays locked once taken, after ``attempts_done`` recorded attempts."""
    first = Conf.RETRY
    ceiling = max(first, settings.LIAISON_JOB_RETRY_MAX_SECONDS)
    return timedelta(seconds=min(first * 2 ** min(attempts_done, 20), ceiling))


class BackoffORM(ORM):
    def timeout(self, task: OrmQ) -> datetime:
        try:
            run_id = SignedPackage.loads(task.payload)["id"]
        except (BadSignature, KeyError, TypeError):
            return super().timeout(task)
        done = Task.objects.filter(id=run_id).values_list("attempt_count", flat=True).first()
        return timezone.now() + retry_wait(done or 0)
