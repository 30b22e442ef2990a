"""A commitment's statuses and the one table of moves between them.

Open → done or dropped; a done or dropped one can be reopened (the other side did not deliver
after all). Every move goes through ``move`` inside the caller's transaction: it checks the
table, sets the status and writes the ``CommitmentEvent``; a move the table does not allow is a
``Conflict``, never a silent no-op.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from liaison.contacts.models import (
    Commitment,
    CommitmentEvent,
    CommitmentEventKind,
    CommitmentStatus,
)
from liaison.core.refusals import Conflict, Refused

if TYPE_CHECKING:
    from liaison.core.models import User

S = CommitmentStatus

MOVES: dict[CommitmentStatus, frozenset[CommitmentStatus]] = {
    S.OPEN: frozenset({S.DONE, S.DROPPED}),
    S.DONE: frozenset({S.OPEN}),
    S.DROPPED: frozenset({S.OPEN}),
}
# A move that needs its why: dropping a promise, reopening a closed one.
NEEDS_NOTE = frozenset({(S.OPEN, S.DROPPED), (S.DONE, S.OPEN), (S.DROPPED, S.OPEN)})


def allowed_moves(status: str) -> frozenset[CommitmentStatus]:
    return MOVES.get(CommitmentStatus(status), frozenset())


def move(*, commitment: Commitment, to: str, note: str, by: User) -> CommitmentEvent:
    """Move a commitment (locked by the caller) and write its event."""
    if to not in CommitmentStatus.values:
        raise Refused(_("Choose open, done or dropped."), "status")
    before = CommitmentStatus(commitment.status)
    target = CommitmentStatus(to)
    if target not in allowed_moves(before):
        raise Conflict(
            _("This commitment is %(before)s; it cannot become %(after)s.")
            % {"before": before.label, "after": target.label},
            "status",
        )
    if (before, target) in NEEDS_NOTE and not note.strip():
        raise Refused(_("Say why."), "note")
    commitment.status = target
    commitment.save(update_fields=["status"])
    return CommitmentEvent.objects.create(
        commitment=commitment,
        kind=CommitmentEventKind.MOVED,
        by=by,
        from_status=before,
        to_status=target,
        note=note.strip(),
    )
