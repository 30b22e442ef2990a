"""What the leadership desk adds to home pages: the situation in numbers for leadership and the
duty desk, with the way to the dashboard; the drafts waiting for a leader's approval."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from liaison.core.access import Area, can
from liaison.core.waiting import Panel, Waiting, item
from liaison.leadership import figures, present
from liaison.leadership.models import Briefing, BriefingStatus


def situation_panel(user) -> Panel | None:
    if not can(user, Area.LEADERSHIP):
        return None
    now = timezone.now()
    numbers = figures.situation(day=timezone.localdate(now), cutoff=now)
    snap = {"sections": [{"key": "pipeline", "tables": [numbers]}]}
    (section,) = present.sections(snap, user)
    return Panel("leadership/_situation_panel.html", {"table": section["tables"][0]})


def briefings_waiting(user) -> list[Waiting]:
    drafts = Briefing.objects.filter(status=BriefingStatus.DRAFT).count()
    return [item(_("Daily briefings waiting for approval"), drafts, "leadership:briefings")]
