"""The contact log's writes: a contact logged, corrected, withdrawn. Nothing is deleted.

Pages and the API pass participants and outcomes by id (``Who``, ``OutcomeIn``); an id the
directory or the staff list does not hold is a ``Refused`` on that row, before anything is
written. Each write is one transaction with its ``ContactRevision``, and rewrites the contact's
search text (``indexing.py``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison.contacts.commitments import commit
from liaison.contacts.indexing import index
from liaison.contacts.models import (
    Contact,
    ContactKind,
    ContactRevision,
    Outcome,
    OutcomeKind,
    Participant,
    ParticipantRole,
    RevisionKind,
    Side,
)
from liaison.core.models import User
from liaison.core.refusals import Conflict, Refused
from liaison.directory.models import Organization, Person

if TYPE_CHECKING:
    from collections.abc import Sequence


@dataclass(frozen=True)
class Who:
    """One participant: a person of the directory or one of our officers (``user``). Their side
    follows: our officers and people of Chinese authorities are ours, everyone else theirs."""

    role: str
    person: int | None = None
    user: int | None = None
    # Only to check what the reader meant: the person must be of this organization.
    organization: int | None = None


@dataclass(frozen=True)
class OutcomeIn:
    kind: str
    text: str
    # For a commitment:
    side: str = ""
    owner_user: int | None = None
    owner_person: int | None = None
    owner_organization: int | None = None
    due_on: date | None = None


def zone(name: str, field: str = "time_zone") -> str:
    if not name or name not in available_timezones():
        raise Refused(_("Choose a time zone such as Asia/Shanghai or Europe/Kyiv."), field)
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise Refused(_("Choose a time zone such as Asia/Shanghai."), field) from error
    return name


def in_zone(moment: datetime | None, time_zone: str) -> datetime | None:
    """A time as entered: a naive one is read in ``time_zone``; an aware one is kept."""
    if moment is None or timezone.is_aware(moment):
        return moment
    return moment.replace(tzinfo=ZoneInfo(time_zone))


def person(pk: int | None, field: str) -> Person | None:
    if pk is None:
        return None
    found = Person.objects.select_related("organization").filter(pk=pk).first()
    if found is None:
        raise Refused(_("There is no such person in the directory."), field)
    return found


def organization(pk: int | None, field: str) -> Organization | None:
    if pk is None:
        return None
    found = Organization.objects.filter(pk=pk).first()
    if found is None:
        raise Refused(_("There is no such organization in the directory."), field)
    return found


def officer(pk: int | None, field: str) -> User | None:
    if pk is None:
        return None
    found = User.objects.filter(pk=pk, is_active=True, is_machine=False).exclude(role="").first()
    if found is None:
        raise Refused(_("There is no such officer."), field)
    return found


def _participants(people: Sequence[Who]) -> list[Participant]:
    """The rows to write, checked: unknown ids, a person of another organization, a person
    named twice, no counterpart at all."""
    if not people:
        raise Refused(_("Name at least one participant."), "participants")
    rows, seen = [], set()
    for number, who in enumerate(people):
        field = f"participants.{number}"
        if who.role not in ParticipantRole.values:
            raise Refused(_("Choose a role: led, attended, interpreted…"), f"{field}.role")
        if (who.person is None) == (who.user is None):
            raise Refused(_("Name a person of the directory or one of our officers."), field)
        stated = organization(who.organization, f"{field}.organization")
        if who.user is not None:
            user = officer(who.user, f"{field}.user")
            key = ("user", user.pk)
            row = Participant(side=Side.OURS, role=who.role, user=user, organization=stated)
        else:
            found = person(who.person, f"{field}.person")
            if stated is not None and found.organization_id != stated.pk:
                raise Refused(_("This person is not of that organization."), f"{field}.person")
            key = ("person", found.pk)
            side = Side.OURS if found.organization.is_ours else Side.THEIRS
            row = Participant(
                side=side, role=who.role, person=found, organization=found.organization
            )
        if key in seen:
            raise Refused(_("This participant is named twice."), field)
        seen.add(key)
        row.sort_order = number
        rows.append(row)
    if not any(row.side == Side.THEIRS for row in rows):
        raise Refused(_("Name at least one participant of the other side."), "participants")
    return rows


def _check_times(starts_at: datetime, ends_at: datetime | None) -> None:
    if starts_at is None:
        raise Refused(_("Say when it started."), "starts_at")
    if ends_at is not None and ends_at < starts_at:
        raise Refused(_("It cannot end before it starts."), "ends_at")


def _check_follows(follows: Contact | None, starts_at: datetime, pk: int | None = None) -> None:
    if follows is None:
        return
    if pk is not None and follows.pk == pk:
        raise Refused(_("A contact cannot follow itself."), "follows")
    if follows.starts_at > starts_at:
        raise Refused(_("A follow-up cannot start before the contact it follows."), "follows")


def _outcome_rows(
    contact: Contact,
    outcomes: Sequence[OutcomeIn],
    start: int,
    by: User,
    today: date | None = None,
) -> None:
    for number, given in enumerate(outcomes):
        field = f"outcomes.{number}"
        if given.kind not in OutcomeKind.values:
            raise Refused(_("Choose information, decision or commitment."), f"{field}.kind")
        if not given.text.strip():
            raise Refused(_("Say what the outcome is."), f"{field}.text")
        if given.kind != OutcomeKind.COMMITMENT:
            Outcome.objects.create(
                contact=contact, kind=given.kind, text=given.text.strip(), sort_order=start + number
            )
            continue
        if given.due_on is None:
            raise Refused(_("Give the date it is due."), f"{field}.due_on")
        try:
            commit(
                side=given.side,
                description=given.text,
                due_on=given.due_on,
                owner_user=officer(given.owner_user, f"{field}.owner_user"),
                owner_person=person(given.owner_person, f"{field}.owner_person"),
                owner_organization=organization(
                    given.owner_organization, f"{field}.owner_organization"
                ),
                contact=contact,
                by=by,
                today=today,
            )
        except Refused as refused:  # the row it concerns, for the form or the API body
            raise type(refused)(
                problems=[(f"{field}.{f}" if f else field, m) for f, m in refused.problems],
                status=refused.status,
            ) from refused


@transaction.atomic
def log_contact(
    *,
    kind: str,
    starts_at: datetime,
    participants: Sequence[Who],
    by: User,
    ends_at: datetime | None = None,
    time_zone: str = "",
    counterpart_time_zone: str = "",
    place: str = "",
    medium: str = "",
    topics: Sequence[str] = (),
    summary: str = "",
    outcomes: Sequence[OutcomeIn] = (),
    follows: Contact | None = None,
    today: date | None = None,
) -> Contact:
    """``today`` is the office's day the contact is logged on (a commitment may not be due
    before it); a demo or an import of an old log gives its own."""
    if kind not in ContactKind.values:
        raise Refused(
            _("Choose a call, visit, meeting, video call, letter, note or e-mail."), "kind"
        )
    time_zone = zone(time_zone or timezone.get_default_timezone_name())
    if counterpart_time_zone:
        zone(counterpart_time_zone, "counterpart_time_zone")
    starts_at, ends_at = in_zone(starts_at, time_zone), in_zone(ends_at, time_zone)
    _check_times(starts_at, ends_at)
    _check_follows(follows, starts_at)
    rows = _participants(participants)
    contact = Contact.objects.create(
        kind=kind,
        starts_at=starts_at,
        ends_at=ends_at,
        time_zone=time_zone,
        counterpart_time_zone=counterpart_time_zone,
        place=place.strip(),
        medium=medium.strip(),
        topics=[t.strip() for t in topics if t.strip()],
        summary=summary.strip(),
        follows=follows,
        logged_by=by,
    )
    for row in rows:
        row.contact = contact
    Participant.objects.bulk_create(rows)
    _outcome_rows(contact, outcomes, 0, by, today)
    index(contact)
    ContactRevision.objects.create(contact=contact, kind=RevisionKind.LOGGED, by=by)
    return contact


# The fields a correction may change, and how each is written in the revision (as data).
CORRECTABLE = (
    "kind",
    "starts_at",
    "ends_at",
    "time_zone",
    "counterpart_time_zone",
    "place",
    "medium",
    "topics",
    "summary",
    "follows",
)


def _as_data(value: Any, time_zone: str = "UTC") -> Any:
    """A value as the revision keeps it: a time in the contact's zone, as it was entered."""
    if isinstance(value, datetime):
        return timezone.localtime(value, ZoneInfo(time_zone)).isoformat()
    if isinstance(value, Contact):
        return value.pk
    return value


def _who_data(rows) -> list[dict]:
    return [
        {"role": r.role, "person": r.person_id, "user": r.user_id, "side": r.side} for r in rows
    ]


def _locked(contact: Contact) -> Contact:
    locked = Contact.objects.select_for_update().get(pk=contact.pk)
    if locked.withdrawn:
        raise Conflict(_("This contact was withdrawn; it is kept as it was."))
    return locked


@transaction.atomic
def correct_contact(
    *,
    contact: Contact,
    reason: str,
    by: User,
    participants: Sequence[Who] | None = None,
    add_outcomes: Sequence[OutcomeIn] = (),
    **changes: Any,
) -> Contact:
    """Change what was logged, with a reason; the revision keeps each value before and after."""
    unknown = set(changes) - set(CORRECTABLE)
    if unknown:
        raise Refused(_("This cannot be corrected."), sorted(unknown)[0])
    if not reason.strip():
        raise Refused(_("Say why it is corrected."), "reason")
    locked = _locked(contact)
    if "kind" in changes and changes["kind"] not in ContactKind.values:
        raise Refused(
            _("Choose a call, visit, meeting, video call, letter, note or e-mail."), "kind"
        )
    if "time_zone" in changes:
        zone(changes["time_zone"])
    if changes.get("counterpart_time_zone"):
        zone(changes["counterpart_time_zone"], "counterpart_time_zone")
    time_zone = changes.get("time_zone", locked.time_zone)
    for name in ("starts_at", "ends_at"):
        if name in changes:
            changes[name] = in_zone(changes[name], time_zone)
    if "topics" in changes:
        changes["topics"] = [t.strip() for t in changes["topics"] if t.strip()]
    for name in ("place", "medium", "summary"):
        if name in changes:
            changes[name] = (changes[name] or "").strip()
    recorded = {}
    for name, value in changes.items():
        before = getattr(locked, name)
        if _as_data(before) != _as_data(value):
            recorded[name] = {
                "before": _as_data(before, time_zone),
                "after": _as_data(value, time_zone),
            }
            setattr(locked, name, value)
    _check_times(locked.starts_at, locked.ends_at)
    _check_follows(locked.follows, locked.starts_at, locked.pk)
    if participants is not None:
        rows = _participants(participants)
        before = _who_data(locked.participants.all())
        if _who_data(rows) != before:
            recorded["participants"] = {"before": before, "after": _who_data(rows)}
            locked.participants.all().delete()  # rows of this contact, kept in the revision
            for row in rows:
                row.contact = locked
            Participant.objects.bulk_create(rows)
    if add_outcomes:
        start = locked.outcomes.count()
        _outcome_rows(locked, add_outcomes, start, by)
        recorded["outcomes"] = {"before": None, "after": [o.text for o in add_outcomes]}
    if not recorded:
        raise Refused(_("Nothing was changed."))
    locked.save()
    index(locked)
    ContactRevision.objects.create(
        contact=locked, kind=RevisionKind.CORRECTED, by=by, reason=reason.strip(), changes=recorded
    )
    return locked


@transaction.atomic
def withdraw_contact(*, contact: Contact, reason: str, by: User) -> Contact:
    """Logged in error: it stays in the log, marked withdrawn, with why; its open commitments
    are dropped with the same reason."""
    from liaison.contacts import states

    if not reason.strip():
        raise Refused(_("Say why it is withdrawn."), "reason")
    locked = _locked(contact)
    locked.withdrawn_at = timezone.now()
    locked.withdrawn_reason = reason.strip()
    locked.save(update_fields=["withdrawn_at", "withdrawn_reason"])
    for commitment in locked.commitments.open().select_for_update():
        states.move(commitment=commitment, to=states.S.DROPPED, note=reason, by=by)
    ContactRevision.objects.create(
        contact=locked, kind=RevisionKind.WITHDRAWN, by=by, reason=reason.strip()
    )
    return locked
