"""An incident's statuses and the one table of moves between them.

open → acknowledged → (in progress) → closed; a closed incident is reopened with a reason (it
comes back acknowledged: somebody already holds it). Every move goes through ``move`` inside
the caller's transaction: the table, the status, the event; a move the table does not allow is
a ``Conflict``.
"""

from __future__ import annotations

from datetime import datetime

from django.utils.translation import gettext as _

from liaison.core.refusals import Conflict, Refused
from liaison.incidents.models import Incident, IncidentEvent, Status

S = Status

MOVES: dict[Status, frozenset[Status]] = {
    S.OPEN: frozenset({S.ACKNOWLEDGED}),
    S.ACKNOWLEDGED: frozenset({S.IN_PROGRESS, S.CLOSED}),
    S.IN_PROGRESS: frozenset({S.CLOSED}),
    S.CLOSED: frozenset({S.ACKNOWLEDGED}),
}
# Moves that need a person's words: the closing summary, the reason to reopen.
NEEDS_TEXT = {(S.ACKNOWLEDGED, S.CLOSED), (S.IN_PROGRESS, S.CLOSED), (S.CLOSED, S.ACKNOWLEDGED)}


def allowed_moves(status: str) -> frozenset[Status]:
    return MOVES.get(Status(status), frozenset())


def move(*, incident: Incident, to: str, by, at: datetime, text: str = "") -> IncidentEvent:
    """Move an incident (locked by the caller) and write its event."""
    if to not in Status.values:
        raise Refused(_("Choose a status of the list."), "status")
    before, target = Status(incident.status), Status(to)
    if target not in allowed_moves(before):
        raise Conflict(
            _("This incident is %(before)s; it cannot become %(after)s.")
            % {"before": before.label, "after": target.label},
            "status",
        )
    if (before, target) in NEEDS_TEXT and not text.strip():
        raise Refused(_("Say why (or, to close, write the closing summary)."), "text")
    incident.status = target
    fields = ["status"]
    if target == S.ACKNOWLEDGED and before == S.OPEN:
        incident.acknowledged_at, incident.acknowledged_by = at, by
        fields += ["acknowledged_at", "acknowledged_by"]
    if target == S.CLOSED:
        incident.closed_at, incident.summary = at, text.strip()
        fields += ["closed_at", "summary"]
    if before == S.CLOSED:
        incident.closed_at = None
        fields += ["closed_at"]
    incident.save(update_fields=fields)
    return IncidentEvent.objects.create(
        incident=incident,
        at=at,
        by=by,
        code=IncidentEvent.Code.MOVED,
        text=text.strip(),
        data={"from": before.value, "to": target.value},
    )
