"""The liaison desk's scheduled jobs (liaison/jobs/registry.py)."""

from datetime import datetime, timedelta

from django.utils import timezone

from liaison.contacts.reminders import send_reminders
from liaison.jobs.registry import scheduled


@scheduled("contacts.commitment_reminders", every=timedelta(hours=1))
def commitment_reminders(*, due_at: datetime) -> None:
    """Remind owners of commitments due soon or overdue."""
    send_reminders(today=timezone.localdate(due_at))
