"""The allowed moves of a case and of a consular notification: one table each, nothing else.

A move not in the table is refused with a message naming both statuses; the services consult
only these tables, so the workflow can be read (and changed) here in one place.
"""

from liaison.assistance.models.cases import Status
from liaison.assistance.models.notifications import ConsularNotification

CASE_MOVES: dict[Status, frozenset[Status]] = {
    # A new case leaves "new" only by being assigned to an officer (services.assign).
    Status.NEW: frozenset({Status.ASSIGNED}),
    Status.ASSIGNED: frozenset({Status.IN_PROGRESS, Status.WAITING, Status.RESOLVED}),
    Status.IN_PROGRESS: frozenset({Status.WAITING, Status.RESOLVED}),
    Status.WAITING: frozenset({Status.IN_PROGRESS, Status.RESOLVED}),
    Status.RESOLVED: frozenset({Status.CLOSED, Status.REOPENED}),
    # A closed case comes back only through "reopened", which names its reason.
    Status.CLOSED: frozenset({Status.REOPENED}),
    Status.REOPENED: frozenset({Status.IN_PROGRESS, Status.WAITING, Status.RESOLVED}),
}

# Moves that must say why.
CASE_MOVES_NEEDING_A_NOTE = frozenset({Status.REOPENED})


def case_moves_from(status: str) -> frozenset[Status]:
    return CASE_MOVES.get(Status(status), frozenset())


def case_may_move(from_status: str, to_status: str) -> bool:
    return to_status in case_moves_from(from_status)


_N = ConsularNotification.Status

NOTIFICATION_MOVES: dict[str, frozenset[str]] = {
    _N.DRAFT: frozenset({_N.REVIEWED, _N.CANCELLED}),
    # Editing a reviewed text sends it back to review (a draft); nothing is sent unreviewed.
    _N.REVIEWED: frozenset({_N.DRAFT, _N.SENT, _N.CANCELLED}),
    _N.SENT: frozenset({_N.ACKNOWLEDGED}),
    _N.ACKNOWLEDGED: frozenset(),
    _N.CANCELLED: frozenset(),
}


def notification_may_move(from_status: str, to_status: str) -> bool:
    return to_status in NOTIFICATION_MOVES.get(from_status, frozenset())
