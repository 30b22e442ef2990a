"""Reads of the duty desk: who holds a post at an instant (for every desk, the incidents'
escalation chain among them), what a user may see of the roster and the log (deny by default),
and the roster's week with its coverage gaps.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Prefetch, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone

from liaison.core.access import Area, can
from liaison.core.models import User
from liaison.duty.models import LogEntry, OfficerLanguage, Post, Shift, ShiftTemplate, Swap


def shifts_at(at: datetime, *, post: str | None = None) -> QuerySet[Shift]:
    """The shifts running at ``at`` (start included, end excluded), of one post or all."""
    found = Shift.objects.filter(starts_at__lte=at, ends_at__gt=at).select_related("officer")
    if post:
        found = found.filter(post=post)
    return found.order_by("starts_at", "pk")


def on_duty(at: datetime, *, post: str) -> list[User]:
    """The officers holding ``post`` (a ``Post`` value: airport desk, liaison, duty officer,
    duty chief) at the instant ``at``: an empty list when nobody does (a coverage gap).

    Not filtered by the asking user: the duty chain is what other desks (incidents, the home
    page) need to know in order to reach someone. Each officer appears once, in shift order.
    """
    officers: dict[int, User] = {}
    for shift in shifts_at(at, post=post):
        officers.setdefault(shift.officer_id, shift.officer)
    return list(officers.values())


def current_shift(user: User, at: datetime) -> Shift | None:
    """The shift ``user`` holds at ``at`` (any post), or ``None`` when off duty. Should two
    posts' shifts ever meet at that instant, the earlier-started one."""
    return (
        Shift.objects.filter(officer=user, starts_at__lte=at, ends_at__gt=at)
        .order_by("starts_at", "pk")
        .first()
    )


# --- What a user may see -------------------------------------------------------------------------


def shifts_visible_to(user) -> QuerySet[Shift]:
    """The whole roster for the duty desk and leadership; nothing for anyone else."""
    if not can(user, Area.DUTY_READ):
        return Shift.objects.none()
    return Shift.objects.select_related("officer", "template")


def templates_visible_to(user) -> QuerySet[ShiftTemplate]:
    if not can(user, Area.DUTY_READ):
        return ShiftTemplate.objects.none()
    return ShiftTemplate.objects.all()


def languages_visible_to(user) -> QuerySet[OfficerLanguage]:
    if not can(user, Area.DUTY_READ):
        return OfficerLanguage.objects.none()
    return OfficerLanguage.objects.select_related("officer")


def log_visible_to(user) -> QuerySet[LogEntry]:
    if not can(user, Area.DUTY_READ):
        return LogEntry.objects.none()
    return LogEntry.objects.select_related("author", "arrival", "batch", "case", "organization")


def shift_detail(user, pk: int) -> Shift:
    """One shift with its swaps; ``Shift.DoesNotExist`` if the user may not see it."""
    return (
        shifts_visible_to(user)
        .prefetch_related(
            Prefetch(
                "swaps", Swap.objects.select_related("from_officer", "to_officer", "recorded_by")
            )
        )
        .get(pk=pk)
    )


def shifts_between(user, start: datetime, end: datetime, *, post: str = "") -> list[Shift]:
    found = shifts_visible_to(user).filter(starts_at__lt=end, ends_at__gt=start)
    if post:
        found = found.filter(post=post)
    return list(found.order_by("starts_at", "post", "pk"))


# --- Coverage gaps -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Gap:
    post: str
    starts_at: datetime
    ends_at: datetime

    @property
    def post_label(self) -> str:
        return str(Post(self.post).label)


def gaps(shifts: list[Shift], start: datetime, end: datetime) -> list[Gap]:
    """Each post's stretches between ``start`` and ``end`` with nobody on it (pure: from the
    shifts given, which must cover the span asked)."""
    found: list[Gap] = []
    for post in Post.values:
        covered_until = start
        for shift in sorted((s for s in shifts if s.post == post), key=lambda s: s.starts_at):
            if shift.starts_at > covered_until:
                found.append(Gap(post, covered_until, min(shift.starts_at, end)))
            covered_until = max(covered_until, shift.ends_at)
            if covered_until >= end:
                break
        if covered_until < end:
            found.append(Gap(post, covered_until, end))
    return sorted((g for g in found if g.ends_at > g.starts_at), key=lambda g: g.starts_at)


def day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


@dataclass(frozen=True)
class RosterDay:
    day: date
    shifts: list[Shift]
    gaps: list[Gap]


def roster_week(user, monday: date) -> list[RosterDay]:
    """Seven days from ``monday``: each day's shifts and coverage gaps, per post."""
    start = day_start(monday)
    shifts = shifts_between(user, start, day_start(monday + timedelta(days=7)))
    days = []
    for offset in range(7):
        day = monday + timedelta(days=offset)
        begin, end = day_start(day), day_start(day + timedelta(days=1))
        running = [s for s in shifts if s.starts_at < end and s.ends_at > begin]
        days.append(RosterDay(day, running, gaps(running, begin, end)))
    return days


def gaps_ahead(user, *, days: int = 7, now: datetime | None = None) -> list[Gap]:
    """Coverage gaps from now to ``days`` days ahead (the duty home page's warning)."""
    now = now or timezone.now()
    end = now + timedelta(days=days)
    if not can(user, Area.DUTY_READ):
        return []
    return gaps(shifts_between(user, now, end), now, end)


@dataclass(frozen=True)
class OnDutyLine:
    post: str
    officer: User
    phone: str
    ends_at: datetime

    @property
    def post_label(self) -> str:
        return str(Post(self.post).label)


def on_duty_now(*, now: datetime | None = None, posts: tuple[str, ...] = tuple(Post.values)):
    """Who holds each post now, with the shift's phone: the "on duty now" page and the home
    page's line (the duty officer and duty chief, shown to every staff role)."""
    now = now or timezone.now()
    return [
        OnDutyLine(s.post, s.officer, s.phone, s.ends_at)
        for s in shifts_at(now).filter(post__in=posts)
    ]


def shifts_now(user, *, now: datetime | None = None) -> list[Shift]:
    """The shifts running now, every post (the "on duty now" page)."""
    now = now or timezone.now()
    return list(
        shifts_visible_to(user).filter(starts_at__lte=now, ends_at__gt=now).order_by("post")
    )


def template_list(user) -> list[ShiftTemplate]:
    return list(templates_visible_to(user).filter(active=True))


def template_detail(user, pk: int) -> ShiftTemplate | None:
    return templates_visible_to(user).filter(pk=pk).first()


def officers(user) -> list[User]:
    """Who can be put on the roster: active staff with a role (for the forms' choices)."""
    if not can(user, Area.DUTY_READ):
        return []
    return list(User.objects.filter(is_active=True).exclude(role="").order_by("username"))


def languages_by_officer(user) -> list[tuple[User, list[str]]]:
    spoken: dict[int, list[str]] = {}
    for row in languages_visible_to(user):
        spoken.setdefault(row.officer_id, []).append(row.language)
    return [(officer, spoken.get(officer.pk, [])) for officer in officers(user)]


# --- The duty log ------------------------------------------------------------------------------

LINKS = ("arrival", "batch", "case", "organization", "incident")


@dataclass(frozen=True)
class LogFilter:
    since: date | None = None
    until: date | None = None
    author: int | None = None
    q: str = ""
    linked: str = ""  # one of LINKS: entries linked to such a record
    incident: int | None = None


def log_list(user, filters: LogFilter = LogFilter(), *, limit: int = 1000) -> list[LogEntry]:
    """The log, latest first, each correction right after the entry it corrects."""
    found = log_visible_to(user)
    if filters.since:
        found = found.filter(at__gte=day_start(filters.since))
    if filters.until:
        found = found.filter(at__lt=day_start(filters.until + timedelta(days=1)))
    if filters.author:
        found = found.filter(author_id=filters.author)
    if filters.q:
        found = found.filter(text__icontains=filters.q)
    if filters.linked in LINKS:
        found = found.filter(**{f"{filters.linked}_id__isnull": False})
    if filters.incident:
        found = found.filter(incident_id=filters.incident)
    return list(
        found.annotate(thread=Coalesce("corrects_id", "id")).order_by("-thread", "pk")[:limit]
    )


def log_entry(user, pk: int) -> LogEntry:
    """One entry with its corrections; ``LogEntry.DoesNotExist`` if unseen."""
    return log_visible_to(user).prefetch_related("corrections__author").get(pk=pk)
