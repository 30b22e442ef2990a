"""The daily briefing drafted by the job runner at its set time: the cut-off itself, 24:00 in
the office's time zone, so that every desk's figures are taken at the cut-off. Idempotent: a day
already drafted (by an officer, or by a run before this one) is left as it is."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

from liaison.core.refusals import Refused
from liaison.jobs.registry import scheduled
from liaison.leadership import services
from liaison.leadership.models import Briefing


def _local_midnight_in_utc() -> timedelta:
    """Midnight of the office's time zone as an offset into the UTC day (16:00 for Beijing)."""
    offset = datetime(2020, 1, 1, tzinfo=ZoneInfo(settings.TIME_ZONE)).utcoffset() or timedelta()
    return -offset % timedelta(days=1)


@scheduled("leadership.draft_briefing", every=timedelta(days=1), at=_local_midnight_in_utc())
def draft_briefing(*, due_at: datetime) -> None:
    """Drafts yesterday's daily briefing at its cut-off (24:00 office time)."""
    day = timezone.localtime(due_at).date() - timedelta(days=1)
    if Briefing.objects.filter(day=day).exists():
        return
    try:
        services.draft(day=day)
    except Refused:  # drafted meanwhile, or run early by a clock a little behind
        return
