"""The leadership desk's reads: the live figures, the briefings and their comparison."""

from __future__ import annotations

from datetime import date

from django.db.models import QuerySet
from django.utils import timezone

from liaison.core.access import Area, can
from liaison.leadership import figures, labels
from liaison.leadership.models import Briefing


def briefings_visible_to(user) -> QuerySet[Briefing]:
    if not can(user, Area.LEADERSHIP):
        return Briefing.objects.none()
    return Briefing.objects.select_related("drafted_by", "highlights_by", "approved_by")


def briefing(user, pk: int) -> Briefing | None:
    return briefings_visible_to(user).filter(pk=pk).first()


def latest(user) -> Briefing | None:
    return briefings_visible_to(user).first()


def pair(user, a: int, b: int) -> tuple[Briefing | None, Briefing | None]:
    return briefing(user, a), briefing(user, b)


def live(user, *, day: date | None = None) -> dict:
    """The dashboard: every desk's figures now, for today (or ``day``) and the 14 days before."""
    if not can(user, Area.LEADERSHIP):
        return {}
    now = timezone.now()
    today = timezone.localdate(now)
    day = min(day or today, today)
    cutoff = now if day == today else figures.cutoff_of(day)
    return figures.snapshot(day=day, cutoff=cutoff)


def compare(a: Briefing, b: Briefing) -> list[dict]:
    """Two briefings figure by figure: every figure of either, its value in each and the change
    (a figure only one of them has — a flight, a nationality — is missing in the other)."""
    first, second = figures.flat(a.snapshot), figures.flat(b.snapshot)
    rows = []
    for key in list(first) + [k for k in second if k not in first]:
        x = first.get(key, {}).get("value")
        y = second.get(key, {}).get("value")
        change = (y - x) if x is not None and y is not None else None
        where = first.get(key) or second[key]
        rows.append(
            {
                "key": key,
                "table": labels.title(labels.TABLES, where["table"]),
                "row": labels.both(where["row"]),
                "col": labels.both(where["col"]),
                "a": x,
                "b": y,
                "change": change,
            }
        )
    return rows
