"""Retention's jobs. Daily: anonymize what is due and sweep the orphaned files (``runs.run``), at
02:00 in Beijing.

Idempotent: a record and its mark are written in one transaction, so a second run of the same day
finds nothing left to do but an empty receipt. Hourly: delete the rate limit's counts per client
whose windows have passed (``core.rate_limit``), so that none outlives its use.
"""

from datetime import datetime, timedelta

from django.utils import timezone

from liaison.core import rate_limit
from liaison.jobs.registry import scheduled
from liaison.retention import runs


@scheduled("retention.anonymize", every=timedelta(days=1), at=timedelta(hours=18))
def anonymize(*, due_at: datetime) -> None:
    """Anonymize the personal data past its retention period, in batches, with receipts."""
    runs.run(today=timezone.localdate(due_at))


@scheduled("retention.forget_rate_counts", every=timedelta(hours=1))
def forget_rate_counts(*, due_at: datetime) -> None:
    """Delete the rate limit's counts per client whose windows have passed."""
    rate_limit.forget_stale(now=due_at.timestamp())
