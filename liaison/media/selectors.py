"""Reads of the media desk: what a user may see, filtered.

The liaison desk and leadership read the requests and the press releases (``Area.MEDIA_READ``);
anyone else sees none. The bureaus and correspondents are the directory's, read through its own
selectors (``Area.DIRECTORY`` as well). Deny by default.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from liaison.core.access import Area, can
from liaison.directory.models import MEDIA_KINDS, Accreditation, Organization, Person
from liaison.directory.selectors import organizations_visible_to, people_visible_to
from liaison.media.models import (
    OPEN_STATUSES,
    MediaRequest,
    PressRelease,
    ReleaseRecipient,
)


def requests_visible_to(user) -> QuerySet[MediaRequest]:
    if not can(user, Area.MEDIA_READ):
        return MediaRequest.objects.none()
    return MediaRequest.objects.all()


def releases_visible_to(user) -> QuerySet[PressRelease]:
    if not can(user, Area.MEDIA_READ):
        return PressRelease.objects.none()
    return PressRelease.objects.all()


def media_bureaus_visible_to(user) -> QuerySet[Organization]:
    """The directory's media groups and bureaus, for the desk's readers."""
    if not can(user, Area.MEDIA_READ):
        return Organization.objects.none()
    return organizations_visible_to(user).filter(kind__in=MEDIA_KINDS)


def media_people_visible_to(user) -> QuerySet[Person]:
    if not can(user, Area.MEDIA_READ):
        return Person.objects.none()
    return people_visible_to(user).filter(organization__kind__in=MEDIA_KINDS)


def spokespeople_visible_to(user) -> QuerySet[Person]:
    """People of ours who may answer the media (the office's, the city's spokespeople)."""
    from liaison.directory.models import OrganizationKind

    if not can(user, Area.MEDIA_READ):
        return Person.objects.none()
    return people_visible_to(user).filter(organization__kind=OrganizationKind.CHINESE_AUTHORITY)


@dataclass(frozen=True)
class Correspondent:
    """A person of a media bureau as the media page shows them: their press card and whether it
    is still valid (the directory's ``until`` is the end of the accreditation)."""

    person: Person
    has_press_card: bool
    card_number: str
    valid_until: date | None
    expired: bool


def correspondent(person: Person, today: date | None = None) -> Correspondent:
    today = today or timezone.localdate()
    has_card = person.accreditation == Accreditation.PRESS
    return Correspondent(
        person=person,
        has_press_card=has_card,
        card_number=person.accreditation_number if has_card else "",
        valid_until=person.until,
        expired=person.until is not None and person.until < today,
    )


@dataclass
class Bureau:
    organization: Organization
    correspondents: list[Correspondent]
    open_requests: int


def media_directory(user, *, active_only: bool = True) -> list[Bureau]:
    """Every media bureau and group with its people and how many of its requests are open."""
    bureaus = media_bureaus_visible_to(user)
    if active_only:
        bureaus = bureaus.filter(active=True)
    bureaus = bureaus.prefetch_related(
        Prefetch("people", queryset=Person.objects.order_by("sort_order", "id"))
    ).order_by("country", "code")
    open_counts: dict[int, int] = {}
    for pk in requests_visible_to(user).open().values_list("bureau_id", flat=True):
        open_counts[pk] = open_counts.get(pk, 0) + 1
    today = timezone.localdate()
    return [
        Bureau(
            organization=b,
            correspondents=[correspondent(p, today) for p in b.people.all()],
            open_requests=open_counts.get(b.pk, 0),
        )
        for b in bureaus
    ]


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=ZoneInfo(settings.TIME_ZONE))


def with_parties(requests: QuerySet[MediaRequest]) -> QuerySet[MediaRequest]:
    return requests.select_related(
        "bureau", "correspondent", "assigned_to", "answered_by_user", "answered_by_person"
    )


def filter_requests(
    requests: QuerySet[MediaRequest],
    *,
    status: str = "",
    kind: str = "",
    bureau: int | None = None,
    assigned_to: int | None = None,
    deadline_after: date | None = None,
    deadline_before: date | None = None,
    overdue: bool = False,
    now: datetime | None = None,
) -> QuerySet[MediaRequest]:
    """``bureau`` matches the bureau and the bureaus of a media group; ``deadline_after`` and
    ``deadline_before`` are days of the office's calendar, both included."""
    if status:
        requests = requests.filter(status=status)
    if kind:
        requests = requests.filter(kind=kind)
    if bureau:
        requests = requests.filter(Q(bureau_id=bureau) | Q(bureau__parent_id=bureau))
    if assigned_to:
        requests = requests.filter(assigned_to_id=assigned_to)
    if deadline_after:
        requests = requests.filter(deadline__gte=_day_start(deadline_after))
    if deadline_before:
        requests = requests.filter(deadline__lt=_day_start(deadline_before + timedelta(days=1)))
    if overdue:
        requests = requests.filter(status__in=OPEN_STATUSES, deadline__lt=now or timezone.now())
    return requests


def events_of(request: MediaRequest):
    return request.events.select_related("by")


def open_requests_of(user) -> QuerySet[MediaRequest]:
    """What the home page counts: the open requests assigned to this user."""
    return requests_visible_to(user).filter(assigned_to=user).open()


@dataclass
class Requests:
    """What the organization page shows of the desk: its recent requests, how many, open ones."""

    requests: list[MediaRequest]
    count: int
    open_count: int


def requests_for_organization(user, organization, *, limit: int = 20) -> Requests:
    """For the directory's organization page (``media/_for_organization.html``)."""
    found = filter_requests(requests_visible_to(user), bureau=organization.pk)
    return Requests(
        requests=list(with_parties(found).order_by("-received_at", "-id")[:limit]),
        count=found.count(),
        open_count=found.open().count(),
    )


def with_recipient_counts(releases: QuerySet[PressRelease]) -> QuerySet[PressRelease]:
    return releases.annotate(recipient_count=Count("recipients"))


def recipients_of(release: PressRelease) -> QuerySet[ReleaseRecipient]:
    return release.recipients.select_related("bureau", "correspondent__organization", "sent_by")


def release_events_of(release: PressRelease):
    return release.events.select_related("by")


def visible_release(user, pk: int) -> PressRelease | None:
    return releases_visible_to(user).filter(pk=pk).first()
