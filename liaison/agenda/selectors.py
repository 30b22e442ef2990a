"""What the calendar shows: the contacts, conferences and commitments due of a range, read
through each desk's own selectors (``contacts_visible_to``, ``conferences_visible_to``,
``commitments_visible_to``). The calendar adds no access of its own: a user sees here exactly
what those desks show them. One query per kind (and one per prefetched relation), never one per
item.

"Mine" is what the user takes part in or owns: a contact they took part in, a conference they
planned (a conference's participants are people of the directory, not accounts), a commitment
they own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Prefetch, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from liaison.agenda.models import FeedToken
from liaison.agenda.ranges import Range
from liaison.contacts.models import Participant, Side
from liaison.contacts.selectors import commitments_visible_to, contacts_visible_to
from liaison.core import audit
from liaison.core.access import Area, can
from liaison.core.models import AuditEntry
from liaison.exchanges.selectors import conferences_visible_to
from liaison.exchanges.time_zones import local_times

CONTACT, CONFERENCE, COMMITMENT = "contact", "conference", "commitment"
# What the audit trail calls each kind's records.
RECORD_TYPES = {
    CONTACT: "contacts.contact",
    CONFERENCE: "exchanges.conference",
    COMMITMENT: "contacts.commitment",
}
# How far back and ahead a feed reaches: calendar applications keep what they fetched.
FEED_BACK, FEED_AHEAD = timedelta(days=92), timedelta(days=366)


@dataclass(frozen=True)
class Item:
    kind: str
    pk: int
    title: str
    url: str
    day: date  # the office's day it falls on (a commitment's due date)
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    hours: str = ""  # "15:00–15:40", in the office's zone
    their_times: tuple[str, ...] = ()  # "Europe/Kyiv 09:00–12:00", one per counterpart zone
    # Organizations, place, side: nothing of anyone's phone, e-mail or address (the feed's
    # DESCRIPTION too).
    detail: str = ""
    owner: str = ""  # a commitment's owner, for the page
    overdue: bool = False


@dataclass
class Calendar:
    range: Range
    mine: bool
    overdue: list[Item]
    days: list[tuple[date, list[Item]]] = field(default_factory=list)

    @property
    def items(self) -> list[Item]:
        return [*self.overdue, *(item for _day, items in self.days for item in items)]


def _office() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=_office())


def _hours(starts: datetime, ends: datetime | None, zone: ZoneInfo) -> str:
    start = starts.astimezone(zone)
    if ends is None:
        return f"{start:%H:%M}"
    end = ends.astimezone(zone)
    if end.date() == start.date():
        return f"{start:%H:%M}–{end:%H:%M}"
    return f"{start:%H:%M}–{end:%m-%d %H:%M}"  # past midnight there


def _contact_items(user, first: date, last: date, mine: bool) -> list[Item]:
    found = (
        contacts_visible_to(user)
        .standing()
        .filter(starts_at__gte=_day_start(first), starts_at__lt=_day_start(last + timedelta(1)))
    )
    if mine:
        found = found.filter(participants__user=user).distinct()
    found = found.order_by("starts_at", "id").prefetch_related(
        Prefetch("participants", Participant.objects.select_related("organization"))
    )
    items = []
    for contact in found:
        theirs = list(
            dict.fromkeys(
                p.organization.name
                for p in contact.participants.all()
                if p.side == Side.THEIRS and p.organization_id
            )
        )
        their_times = ()
        if contact.counterpart_start is not None:
            zone = ZoneInfo(contact.counterpart_time_zone)
            their_times = (
                f"{contact.counterpart_time_zone} "
                f"{_hours(contact.starts_at, contact.ends_at, zone)}",
            )
        title = contact.get_kind_display()
        if theirs:
            title = _("%(kind)s: %(with)s") % {
                "kind": title,
                "with": pgettext("list separator", ", ").join(theirs),
            }
        items.append(
            Item(
                kind=CONTACT,
                pk=contact.pk,
                title=title,
                url=reverse("contacts:contact", args=[contact.pk]),
                day=contact.starts_at.astimezone(_office()).date(),
                starts_at=contact.starts_at,
                ends_at=contact.ends_at,
                hours=_hours(contact.starts_at, contact.ends_at, _office()),
                their_times=their_times,
                detail=" · ".join(part for part in (contact.place, contact.medium) if part),
            )
        )
    return items


def _conference_items(user, first: date, last: date, mine: bool) -> list[Item]:
    found = conferences_visible_to(user).filter(
        starts_at__gte=_day_start(first), starts_at__lt=_day_start(last + timedelta(1))
    )
    if mine:
        found = found.filter(created_by=user)
    found = found.order_by("starts_at", "id").prefetch_related("countries")
    items = []
    for conference in found:
        sides = local_times(conference)
        items.append(
            Item(
                kind=CONFERENCE,
                pk=conference.pk,
                title=conference.title,
                url=reverse("exchanges:conference", args=[conference.pk]),
                day=conference.starts_at.astimezone(_office()).date(),
                starts_at=conference.starts_at,
                ends_at=conference.ends_at,
                hours=_hours(conference.starts_at, conference.ends_at, _office()),
                their_times=tuple(
                    f"{side.label} ({side.zone}) "
                    f"{_hours(conference.starts_at, conference.ends_at, ZoneInfo(side.zone))}"
                    for side in sides[1:]
                ),
                detail=conference.get_platform_display(),
            )
        )
    return items


def _commitment_items(
    user, first: date, last: date, mine: bool, today: date, overdue_since: date | None
) -> list[Item]:
    """Open commitments due in the range from today on, and the overdue ones (due before today,
    from ``overdue_since``; all of them when it is None), overdue first."""
    due = Q(due_on__gte=max(first, today), due_on__lte=last)
    late = Q(due_on__lt=today)
    if overdue_since is not None:
        late &= Q(due_on__gte=overdue_since)
    found = commitments_visible_to(user).open().filter(due | late)
    if mine:
        found = found.filter(owner_user=user)
    found = found.select_related(
        "owner_user", "owner_person__organization", "owner_organization"
    ).order_by("due_on", "id")
    ledger = can(user, Area.CONTACTS_READ)
    items = []
    for commitment in found:
        organization = commitment.organization
        items.append(
            Item(
                kind=COMMITMENT,
                pk=commitment.pk,
                title=commitment.description,
                # Owners outside the desk see their own commitments on their list.
                url=reverse("contacts:commitment", args=[commitment.pk])
                if ledger
                else reverse("contacts:mine"),
                day=commitment.due_on,
                detail=" · ".join(
                    part
                    for part in (
                        str(commitment.get_side_display()),
                        organization.name if organization is not None else "",
                    )
                    if part
                ),
                # An organization that owns its promise is named once, in ``detail``.
                owner="" if commitment.owner_organization_id else commitment.owner,
                overdue=commitment.due_on < today,
            )
        )
    return items


def calendar_for(user, *, range: Range, mine: bool = False, today: date | None = None) -> Calendar:
    """Every day of the range with its items (contacts and conferences by their start, then
    commitments due), and above them every overdue open commitment."""
    today = today or timezone.localdate()
    items = [
        *_contact_items(user, range.first, range.last, mine),
        *_conference_items(user, range.first, range.last, mine),
    ]
    commitments = _commitment_items(user, range.first, range.last, mine, today, None)
    by_day: dict[date, list[Item]] = {day: [] for day in range.days}
    for item in sorted(items, key=lambda i: (i.starts_at, i.kind, i.pk)):
        by_day[item.day].append(item)
    for item in commitments:
        if not item.overdue:
            by_day[item.day].append(item)
    return Calendar(
        range=range,
        mine=mine,
        overdue=[item for item in commitments if item.overdue],
        days=list(by_day.items()),
    )


def feed_items(user, *, mine: bool, today: date | None = None) -> list[Item]:
    """What a feed carries: three months back to a year ahead."""
    today = today or timezone.localdate()
    first, last = today - FEED_BACK, today + FEED_AHEAD
    return [
        *_contact_items(user, first, last, mine),
        *_conference_items(user, first, last, mine),
        *_commitment_items(user, first, last, mine, today, first),
    ]


def record_calendar_read(
    items: list[Item], *, note: str, always: bool = False
) -> AuditEntry | None:
    """One audit entry for a request that showed these items: every record named, by kind.
    Nothing shown, nothing written, unless ``always`` (a feed fetched is recorded even empty)."""
    shown = [f"{RECORD_TYPES[item.kind]}:{item.pk}" for item in items]
    if not shown and not always:
        return None
    entry = audit.new_entry(AuditEntry.Action.READ, object_type="agenda.calendar", note=note)
    entry.object_ids = list(dict.fromkeys(shown))
    entry.save()
    return entry


def feed_token_of(user) -> FeedToken | None:
    """The officer's active feed token (what the page says of it), or None."""
    return FeedToken.objects.active().filter(user=user).first()
