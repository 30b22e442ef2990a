"""A media request's statuses and the one table of moves between them.

Received → assigned (an officer takes it; assigning again hands it to another) → answered,
declined (with a reason) or withdrawn (by them, with theirs); a request not yet assigned may be
withdrawn too. Answered, declined and withdrawn are final. Every move goes through ``move``
inside the caller's transaction: it checks the table, sets the status and writes the event; a
move the table does not allow is a ``Conflict`` (409), never a silent no-op.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from liaison.core.refusals import Conflict
from liaison.media.models import MediaRequest, MediaRequestEvent, RequestStatus

if TYPE_CHECKING:
    from liaison.core.models import User

S = RequestStatus

MOVES: dict[RequestStatus, frozenset[RequestStatus]] = {
    S.RECEIVED: frozenset({S.ASSIGNED, S.WITHDRAWN}),
    S.ASSIGNED: frozenset({S.ASSIGNED, S.ANSWERED, S.DECLINED, S.WITHDRAWN}),
    S.ANSWERED: frozenset(),
    S.DECLINED: frozenset(),
    S.WITHDRAWN: frozenset(),
}


def allowed_moves(status: str) -> frozenset[RequestStatus]:
    return MOVES.get(RequestStatus(status), frozenset())


def move(
    *,
    request: MediaRequest,
    to: RequestStatus,
    by: User,
    reason: str = "",
    data: dict | None = None,
) -> MediaRequestEvent:
    """Move a request (locked by the caller) and write its event, named by the new status."""
    before = RequestStatus(request.status)
    if to not in allowed_moves(before):
        raise Conflict(
            _("This request is %(before)s; it cannot become %(after)s.")
            % {"before": before.label.lower(), "after": to.label.lower()},
            "status",
        )
    request.status = to
    request.save()
    return MediaRequestEvent.objects.create(
        request=request,
        kind=to.value,
        from_status=before,
        to_status=to,
        data=data or {},
        reason=reason,
        by=by,
    )
