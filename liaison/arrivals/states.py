"""The arrival pipeline's states and the one table of moves between them (domain.md).

Every service that changes an arrival's state calls ``move``: it checks the table, sets the new
state and writes the ``ArrivalEvent`` (who, when, where, why, before and after). An arrival is
always in exactly one state, and nothing moves it backwards except the re-sample the table allows.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from liaison.arrivals.models import Arrival, ArrivalEvent


class ArrivalState(models.TextChoices):
    DECLARED = "declared", _("Declared")
    SCREENED = "screened", _("Screened")
    SAMPLED = "sampled", _("Sampled")
    RESULT = "result", _("Result known")
    DISPOSED = "disposition", _("Disposition decided")
    IN_HANDOVER = "in_handover", _("In handover")
    RECEIVED = "received", _("Received")
    RELEASED = "released", _("Released")
    IN_HOSPITAL = "in_hospital", _("In hospital")
    LEFT_CITY = "left_city", _("Left the city")


S = ArrivalState

# The whole pipeline. A state missing from the keys is an end: nothing leaves it.
# - result → sampled is the re-sample after an inconclusive result;
# - a hospital transfer can happen from any state where the traveler is still in our care;
# - "left the city" ends the closed loop of an onward transfer (after disposition or handover).
MOVES: dict[ArrivalState, frozenset[ArrivalState]] = {
    S.DECLARED: frozenset({S.SCREENED, S.IN_HOSPITAL}),
    S.SCREENED: frozenset({S.SAMPLED, S.IN_HOSPITAL}),
    S.SAMPLED: frozenset({S.RESULT, S.IN_HOSPITAL}),
    S.RESULT: frozenset({S.DISPOSED, S.SAMPLED, S.IN_HOSPITAL}),
    S.DISPOSED: frozenset({S.IN_HANDOVER, S.IN_HOSPITAL, S.LEFT_CITY}),
    S.IN_HANDOVER: frozenset({S.RECEIVED, S.IN_HOSPITAL, S.LEFT_CITY}),
    S.RECEIVED: frozenset({S.RELEASED, S.IN_HOSPITAL}),
}
INITIAL = S.DECLARED
ENDS = frozenset(state for state in ArrivalState if state not in MOVES)


class InvalidMove(Exception):  # noqa: N818 - the domain's word
    """The table does not allow this move; the message says which and why, translated."""

    def __init__(self, from_state: str, to_state: str, message: str = ""):
        self.from_state = from_state
        self.to_state = to_state
        if not message:
            message = gettext("An arrival in state “%(from)s” cannot move to “%(to)s”.") % {
                "from": label(from_state),
                "to": label(to_state),
            }
        super().__init__(message)
        self.message = message


def label(state: str) -> str:
    try:
        return str(ArrivalState(state).label)
    except ValueError:
        return state


def allowed_moves(state: str) -> frozenset[ArrivalState]:
    return MOVES.get(ArrivalState(state), frozenset())


def can_move(from_state: str, to_state: str) -> bool:
    try:
        return ArrivalState(to_state) in allowed_moves(from_state)
    except ValueError:
        return False


def begin(
    arrival: Arrival, *, actor=None, where: str = "", why: str = "", data: dict | None = None
) -> ArrivalEvent:
    """The first event of a new arrival: it enters the pipeline as declared."""
    event = first_event(arrival, actor=actor, where=where, why=why, data=data)
    event.save()
    return event


def first_event(
    arrival: Arrival, *, actor=None, where: str = "", why: str = "", data: dict | None = None
) -> ArrivalEvent:
    """``begin``'s event, not yet saved (for a caller that writes it with the arrival)."""
    from liaison.arrivals.models import ArrivalEvent

    return ArrivalEvent(
        arrival=arrival,
        at=arrival.created_at,
        from_state="",
        to_state=INITIAL,
        actor=actor,
        where=where[:200],
        why=why[:300],
        data=data or {},
    )


def move(
    arrival: Arrival,
    to_state: ArrivalState | str,
    *,
    actor,
    where: str = "",
    why: str = "",
    data: dict[str, Any] | None = None,
) -> ArrivalEvent:
    """Move ``arrival`` to ``to_state`` if the table allows it, and write the event.

    Call it inside the service's transaction. The UPDATE is conditional on the state the caller
    read, so two officers moving the same traveler at once cannot both succeed: the second gets
    ``InvalidMove`` instead of silently overwriting the first.
    """
    from liaison.arrivals.models import Arrival, ArrivalEvent
    from liaison.core import audit

    from_state = arrival.state
    if not can_move(from_state, to_state):
        raise InvalidMove(from_state, str(to_state))
    to_state = ArrivalState(to_state)
    now = timezone.now()
    changed = Arrival.objects.filter(pk=arrival.pk, state=from_state).update(
        state=to_state, updated_at=now
    )
    if not changed:
        current = Arrival.objects.filter(pk=arrival.pk).values_list("state", flat=True).first()
        raise InvalidMove(
            from_state,
            to_state,
            gettext("This arrival was changed meanwhile (it is now “%(state)s”); reload it.")
            % {"state": label(current or "")},
        )
    arrival.state = to_state
    arrival.updated_at = now
    if hasattr(arrival, "_audit_loaded"):
        arrival._audit_snapshot()
    audit.record("update", arrival, fields=["state"], note=f"{from_state} -> {to_state}")
    return ArrivalEvent.objects.create(
        arrival=arrival,
        at=now,
        from_state=from_state,
        to_state=to_state,
        actor=actor,
        where=where[:200],
        why=why[:300],
        data=data or {},
    )
