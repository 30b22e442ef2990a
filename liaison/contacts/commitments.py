"""The commitments ledger's writes: a promise made, its status moved, its due date changed.

``commit`` is the one way in, for the contact log (an outcome of a contact) and for other desks
(an expert conference's follow-up: ``source_kind="exchanges.conference"``, ``source_id``, and
the ``source_label`` the ledger shows it by) — so this module imports nothing of theirs. Each
write is one transaction with its ``CommitmentEvent``.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison.contacts import states
from liaison.contacts.models import (
    Commitment,
    CommitmentEvent,
    CommitmentEventKind,
    Contact,
    Outcome,
    OutcomeKind,
    Side,
)
from liaison.core.refusals import Conflict, Refused

if TYPE_CHECKING:
    from liaison.core.models import User
    from liaison.directory.models import Organization, Person


def check_owner(
    *,
    side: str,
    owner_user: User | None,
    owner_person: Person | None,
    owner_organization: Organization | None,
    field: str = "owner",
) -> None:
    if side == Side.OURS:
        if owner_user is None or owner_person is not None or owner_organization is not None:
            raise Refused(_("A commitment of ours is owned by one of our officers."), field)
        if not owner_user.is_active or not owner_user.role:
            raise Refused(_("This officer has no active account."), field)
    elif side == Side.THEIRS:
        if owner_user is not None or (owner_person is None and owner_organization is None):
            raise Refused(
                _("A commitment of theirs is owned by a person or an organization of theirs."),
                field,
            )
        if (
            owner_person is not None
            and owner_organization is not None
            and owner_person.organization_id != owner_organization.pk
        ):
            raise Refused(_("This person is not of that organization."), field)
    else:
        raise Refused(_("Choose whose commitment it is: ours or theirs."), "side")


@transaction.atomic
def commit(
    *,
    side: str,
    description: str,
    due_on: date,
    by: User,
    owner_user: User | None = None,
    owner_person: Person | None = None,
    owner_organization: Organization | None = None,
    contact: Contact | None = None,
    outcome: Outcome | None = None,
    source_kind: str = "",
    source_id: int | None = None,
    source_label: str = "",
    today: date | None = None,
) -> Commitment:
    """Record a commitment made at ``contact`` or at another desk's record (``source_kind``,
    ``source_id``). A contact's commitment is also one of its outcomes (``outcome``, made here
    when not given)."""
    description = description.strip()
    if not description:
        raise Refused(_("Say what was promised."), "description")
    check_owner(
        side=side,
        owner_user=owner_user,
        owner_person=owner_person,
        owner_organization=owner_organization,
    )
    if due_on < (today or timezone.localdate()):
        raise Refused(_("A new commitment cannot be due in the past."), "due_on")
    if (contact is None) == (not source_kind):
        raise Refused(_("Say where the commitment was made: a contact or another record."))
    if source_kind and source_id is None:
        raise Refused(_("Say which record the commitment was made at."), "source_id")
    if contact is not None and contact.withdrawn:
        raise Conflict(_("This contact was withdrawn; it takes no new outcomes."))
    if contact is not None and outcome is None:
        outcome = Outcome.objects.create(
            contact=contact,
            kind=OutcomeKind.COMMITMENT,
            text=description,
            sort_order=contact.outcomes.count(),
        )
    commitment = Commitment.objects.create(
        side=side,
        description=description,
        due_on=due_on,
        owner_user=owner_user,
        owner_person=owner_person,
        owner_organization=owner_organization,
        contact=contact,
        outcome=outcome,
        source_kind=source_kind,
        source_id=source_id,
        source_label=source_label[:300],
        made_by=by,
    )
    CommitmentEvent.objects.create(
        commitment=commitment,
        kind=CommitmentEventKind.MADE,
        by=by,
        to_status=commitment.status,
        to_due=due_on,
    )
    return commitment


def _locked(commitment: Commitment) -> Commitment:
    return Commitment.objects.select_for_update().get(pk=commitment.pk)


@transaction.atomic
def move_commitment(*, commitment: Commitment, to: str, note: str = "", by: User) -> Commitment:
    """Done, dropped or reopened (``states.MOVES``)."""
    locked = _locked(commitment)
    states.move(commitment=locked, to=to, note=note, by=by)
    return locked


@transaction.atomic
def reschedule_commitment(
    *, commitment: Commitment, due_on: date, reason: str, by: User, today: date | None = None
) -> Commitment:
    """A new due date, agreed with the other side: the old one stays in the history."""
    locked = _locked(commitment)
    if locked.status != states.S.OPEN:
        raise Conflict(_("Only an open commitment gets a new due date."), "due_on")
    if not reason.strip():
        raise Refused(_("Say why."), "reason")
    if due_on < (today or timezone.localdate()):
        raise Refused(_("The new due date cannot be in the past."), "due_on")
    if due_on == locked.due_on:
        raise Refused(_("This is already its due date."), "due_on")
    before = locked.due_on
    locked.due_on = due_on
    locked.save(update_fields=["due_on"])
    CommitmentEvent.objects.create(
        commitment=locked,
        kind=CommitmentEventKind.RESCHEDULED,
        by=by,
        from_due=before,
        to_due=due_on,
        note=reason.strip(),
    )
    return locked
