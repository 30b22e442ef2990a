"""A donation's statuses and the one table of moves between them.

pledged → committed → shipped in part → shipped → delivered → acknowledged; any status before
delivered may be cancelled, with a reason. The officer moves a donation to committed,
acknowledged or cancelled; the shipping moves (shipped in part, shipped, delivered) follow from
the batches (``shipping.py``) and are made by it. Every move goes through ``move`` inside the
caller's transaction, on a donation the caller locked: it checks the table, sets the status and
writes the ``DonationEvent``. A move the table does not allow is a ``Conflict``, never a no-op.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

from liaison.aid.models import Donation, DonationEvent, DonationStatus, EventCode
from liaison.core.refusals import Conflict, Refused

if TYPE_CHECKING:
    from liaison.core.models import User

S = DonationStatus

MOVES: dict[DonationStatus, frozenset[DonationStatus]] = {
    S.PLEDGED: frozenset({S.COMMITTED, S.CANCELLED}),
    S.COMMITTED: frozenset({S.SHIPPED_IN_PART, S.SHIPPED, S.CANCELLED}),
    S.SHIPPED_IN_PART: frozenset({S.SHIPPED, S.CANCELLED}),
    S.SHIPPED: frozenset({S.DELIVERED}),
    S.DELIVERED: frozenset({S.ACKNOWLEDGED}),
    S.ACKNOWLEDGED: frozenset(),
    S.CANCELLED: frozenset(),
}
# What an officer moves by hand; the rest follow from the batches.
BY_HAND = frozenset({S.COMMITTED, S.ACKNOWLEDGED, S.CANCELLED})
NEEDS_REASON = frozenset({S.CANCELLED})
# A batch may be sent while the donation is in one of these.
SHIPPABLE = frozenset({S.COMMITTED, S.SHIPPED_IN_PART})


def allowed_moves(status: str) -> frozenset[DonationStatus]:
    return MOVES.get(DonationStatus(status), frozenset())


def moves_by_hand(status: str) -> list[DonationStatus]:
    return [s for s in DonationStatus if s in allowed_moves(status) and s in BY_HAND]


def move(
    *,
    donation: Donation,
    to: str,
    by: User,
    reason: str = "",
    data: dict[str, Any] | None = None,
) -> DonationEvent:
    """Move a donation (locked by the caller) and write its event."""
    if to not in DonationStatus.values:
        raise Refused(_("Choose a status of the donation."), "to")
    before, target = DonationStatus(donation.status), DonationStatus(to)
    if target not in allowed_moves(before):
        raise Conflict(
            _("This donation is %(before)s; it cannot become %(after)s.")
            % {"before": before.label, "after": target.label},
            "to",
        )
    if target in NEEDS_REASON and not reason.strip():
        raise Refused(_("Say why the donation is cancelled."), "reason")
    donation.status = target
    fields = ["status"]
    if target == S.CANCELLED:
        donation.cancel_reason = reason.strip()
        fields.append("cancel_reason")
    donation.save(update_fields=fields)
    return DonationEvent.objects.create(
        donation=donation,
        code=EventCode.MOVED,
        from_status=before,
        to_status=target,
        reason=reason.strip(),
        data=data or {},
        by=by,
    )
