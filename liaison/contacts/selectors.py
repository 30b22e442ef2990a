"""Reads of the contact log and the commitments ledger: what a user may see, filtered.

The liaison desk and leadership read the whole log and ledger (``Area.CONTACTS_READ``); anyone
else sees only the commitments they own, so that an exchange officer's follow-ups wait on their
home page. Deny by default.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from liaison.contacts.models import (
    Commitment,
    CommitmentStatus,
    Contact,
    Participant,
)
from liaison.core.access import Area, can


def contacts_visible_to(user) -> QuerySet[Contact]:
    if not can(user, Area.CONTACTS_READ):
        return Contact.objects.none()
    return Contact.objects.all()


def commitments_visible_to(user) -> QuerySet[Commitment]:
    if can(user, Area.CONTACTS_READ):
        return Commitment.objects.all()
    if getattr(user, "is_authenticated", False) and user.is_active and user.role:
        return Commitment.objects.filter(owner_user=user)
    return Commitment.objects.none()


def with_people(contacts: QuerySet[Contact]) -> QuerySet[Contact]:
    return contacts.select_related("logged_by", "follows").prefetch_related(
        Prefetch(
            "participants",
            queryset=Participant.objects.select_related("person", "user", "organization"),
        )
    )


def _office_day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=ZoneInfo(settings.TIME_ZONE))


def filter_contacts(
    contacts: QuerySet[Contact],
    *,
    organization: int | None = None,
    kind: str = "",
    since: date | None = None,
    until: date | None = None,
    person: int | None = None,
    user: int | None = None,
    withdrawn: bool | None = None,
) -> QuerySet[Contact]:
    """``since``/``until`` are days of the office's calendar, both included."""
    if organization:
        contacts = contacts.filter(
            Q(participants__organization_id=organization)
            | Q(participants__organization__parent_id=organization)
        )
    if kind:
        contacts = contacts.filter(kind=kind)
    if since:
        contacts = contacts.filter(starts_at__gte=_office_day_start(since))
    if until:
        contacts = contacts.filter(starts_at__lt=_office_day_start(until) + timedelta(days=1))
    if person:
        contacts = contacts.filter(participants__person_id=person)
    if user:
        contacts = contacts.filter(participants__user_id=user)
    if withdrawn is not None:
        contacts = contacts.filter(withdrawn_at__isnull=not withdrawn)
    return contacts.distinct()


def with_owners(commitments: QuerySet[Commitment]) -> QuerySet[Commitment]:
    return commitments.select_related(
        "owner_user", "owner_person__organization", "owner_organization", "contact"
    )


def filter_commitments(
    commitments: QuerySet[Commitment],
    *,
    owner: int | None = None,
    side: str = "",
    status: str = "",
    organization: int | None = None,
    due_after: date | None = None,
    due_before: date | None = None,
    overdue: bool = False,
    today: date | None = None,
) -> QuerySet[Commitment]:
    """``owner`` is an officer's id; ``organization`` matches theirs (the owner's organization,
    or a person of it) and ours made at a contact with it."""
    if owner:
        commitments = commitments.filter(owner_user_id=owner)
    if side:
        commitments = commitments.filter(side=side)
    if status:
        commitments = commitments.filter(status=status)
    if organization:
        commitments = commitments.filter(
            Q(owner_organization_id=organization)
            | Q(owner_person__organization_id=organization)
            | Q(contact__participants__organization_id=organization)
        ).distinct()
    if due_after:
        commitments = commitments.filter(due_on__gte=due_after)
    if due_before:
        commitments = commitments.filter(due_on__lte=due_before)
    if overdue:
        commitments = commitments.filter(
            status=CommitmentStatus.OPEN, due_on__lt=today or timezone.localdate()
        )
    return commitments


@dataclass
class Relationship:
    """What the organization page shows of the log: its recent contacts, its open commitments."""

    contacts: list[Contact]
    contact_count: int
    open_commitments: list[Commitment]


def contacts_for_organization(user, organization, *, limit: int = 20) -> Relationship:
    """For the directory's organization page: ``contacts/_for_organization.html`` renders it
    (``{% include "contacts/_for_organization.html" with relationship=… %}``)."""
    contacts = filter_contacts(contacts_visible_to(user), organization=organization.pk)
    commitments = filter_commitments(
        commitments_visible_to(user), organization=organization.pk, status=CommitmentStatus.OPEN
    )
    return Relationship(
        contacts=list(with_people(contacts)[:limit]),
        contact_count=contacts.count(),
        open_commitments=list(with_owners(commitments)),
    )


def visible_contact(user, pk: int) -> Contact | None:
    """The contact ``pk`` if this user may see it (what a follow-up may follow), else None."""
    return contacts_visible_to(user).filter(pk=pk).first()


def outcomes_of(contact: Contact):
    return contact.outcomes.select_related("commitment")


def revisions_of(contact: Contact):
    return contact.revisions.select_related("by")


def follow_up_ids(contact: Contact) -> list[int]:
    return list(contact.follow_ups.values_list("pk", flat=True))


def open_commitments_of(user) -> QuerySet[Commitment]:
    """What the home page counts: the open commitments this user owns."""
    return with_owners(commitments_visible_to(user).filter(owner_user=user).open())


def events_of(commitment: Commitment):
    return commitment.events.select_related("by")
