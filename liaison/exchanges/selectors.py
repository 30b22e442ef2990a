"""Reads of the exchanges desk: what a user may see (deny by default) and the conference list."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from liaison.core.access import Area, can
from liaison.exchanges.models import Conference, Material, Participant, Visibility


def conferences_visible_to(user) -> QuerySet[Conference]:
    """Every conference for the exchange officer and leadership; nothing for anyone else."""
    if not can(user, Area.EXCHANGES_READ):
        return Conference.objects.none()
    return Conference.objects.select_related("arranged_by")


WHEN = ("upcoming", "past", "all")


def conference_list(
    user,
    *,
    when: str = "all",
    country: str = "",
    status: str = "",
    query: str = "",
    ended_from: date | None = None,
    ended_until: date | None = None,
) -> list[Conference]:
    """Upcoming conferences first (soonest first), then past ones (latest first); those that
    ended on ``ended_from`` … ``ended_until`` (office days) when given."""
    found = conferences_visible_to(user).prefetch_related("countries")
    now = timezone.now()
    if ended_from:
        found = found.filter(ends_at__gte=_day_starts(ended_from))
    if ended_until:
        found = found.filter(ends_at__lt=_day_starts(ended_until + timedelta(days=1)))
    if when == "upcoming":
        found = found.filter(ends_at__gte=now)
    elif when == "past":
        found = found.filter(ends_at__lt=now)
    if country:
        found = found.filter(countries__country=country)
    if status:
        found = found.filter(status=status)
    if query:
        found = found.filter(
            Q(title_zh__icontains=query)
            | Q(title_en__icontains=query)
            | Q(organizations__name_zh__icontains=query)
            | Q(organizations__name_en__icontains=query)
        )
    found = list(found.distinct())
    upcoming = sorted((c for c in found if c.ends_at >= now), key=lambda c: (c.starts_at, c.pk))
    past = sorted((c for c in found if c.ends_at < now), key=lambda c: (c.starts_at, c.pk))
    return upcoming + past[::-1]


def conference_detail(user, pk: int) -> Conference:
    """One conference with everything its page and minutes show; ``DoesNotExist`` if unseen."""
    return (
        conferences_visible_to(user)
        .prefetch_related(
            "countries",
            "organizations",
            Prefetch(
                "participants",
                Participant.objects.select_related("person", "person__organization"),
            ),
            "agenda__presenter",
            "questions__asked_by__organization",
            "questions__answered_by__organization",
            "materials__shared_by",
            "events__actor",
        )
        .get(pk=pk)
    )


def people_shown(conference: Conference) -> list[int]:
    """The directory people a conference's page names (for the read audit)."""
    return [p.person_id for p in conference.participants.all()]


def printed_materials(conference: Conference) -> list[Material]:
    """The minutes list what was shared with the counterparts or is public, never internal files."""
    return [m for m in conference.materials.all() if m.visibility != Visibility.INTERNAL]


def _day_starts(day: date) -> datetime:
    """The office's midnight that starts ``day``."""
    return timezone.make_aware(datetime.combine(day, time.min))
