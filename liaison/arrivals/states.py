"""The arrival pipeline's states and the one table of moves between them (domain.md).

Every service that changes an arrival's state calls ``move`` (or ``move_many`` for a set of
arrivals at once): it checks the table, sets the new state and writes the ``ArrivalEvent`` (who,
when, where, why, before and after). An arrival is always in exactly one state, and nothing moves
it backwards except the re-sample the table allows.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from liaison.core import bulk_rows
from liaison.core.refusals import Conflict

if TYPE_CHECKING:
    from liaison.arrivals.models import Arrival, ArrivalEvent
    from liaison.core.models import User


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
# - screened → disposition is a decision settled before any test, whatever the test would say
#   (under the default policy: fever or symptoms → hospital); such a traveler is not sampled;
# - result → sampled is the re-sample after an inconclusive result;
# - a hospital transfer can happen from any state where the traveler is still in our care;
# - "left the city" ends the closed loop of an onward transfer (after disposition or handover).
MOVES: dict[ArrivalState, frozenset[ArrivalState]] = {
    S.DECLARED: frozenset({S.SCREENED, S.IN_HOSPITAL}),
    S.SCREENED: frozenset({S.SAMPLED, S.DISPOSED, S.IN_HOSPITAL}),
    S.SAMPLED: frozenset({S.RESULT, S.IN_HOSPITAL}),
    S.RESULT: frozenset({S.DISPOSED, S.SAMPLED, S.IN_HOSPITAL}),
    S.DISPOSED: frozenset({S.IN_HANDOVER, S.IN_HOSPITAL, S.LEFT_CITY}),
    S.IN_HANDOVER: frozenset({S.RECEIVED, S.IN_HOSPITAL, S.LEFT_CITY}),
    S.RECEIVED: frozenset({S.RELEASED, S.IN_HOSPITAL}),
}
INITIAL = S.DECLARED
ENDS = frozenset(state for state in ArrivalState if state not in MOVES)

# Ids per "IN (...)" list, under every backend's limit on a statement's parameters (SQLite's
# default is 32,766, PostgreSQL's 65,535): a set of 10,000 arrivals is one statement.
IN_LIST_SIZE = 10_000

T = TypeVar("T")


class InvalidMove(Conflict):
    """The table does not allow this move; the message says which and why, translated (409: the
    arrival's state does not allow it)."""

    def __init__(self, from_state: str, to_state: str, message: str = ""):
        self.from_state = from_state
        self.to_state = to_state
        if not message:
            message = gettext("An arrival in state “%(from)s” cannot move to “%(to)s”.") % {
                "from": label(from_state),
                "to": label(to_state),
            }
        super().__init__(message, "state")


class ChangedMeanwhile(InvalidMove):
    """``move_many``: some arrivals were moved by someone else since the caller read them."""

    def __init__(self, from_state: str, to_state: str, *, changed: int, total: int):
        message = ngettext(
            "%(changed)s of these %(total)s travelers was changed meanwhile (it is no longer "
            "“%(from)s”); nobody was moved.",
            "%(changed)s of these %(total)s travelers were changed meanwhile (they are no longer "
            "“%(from)s”); nobody was moved.",
            changed,
        ) % {"changed": changed, "total": total, "from": label(from_state)}
        super().__init__(from_state, to_state, message)
        self.changed = changed
        self.total = total


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
    arrival: Arrival,
    *,
    actor: User | None = None,
    where: str = "",
    why: str = "",
    data: dict | None = None,
) -> ArrivalEvent:
    """The first event of a new arrival: it enters the pipeline as declared."""
    event = first_event(arrival, actor=actor, where=where, why=why, data=data)
    event.save()
    return event


def first_event(
    arrival: Arrival,
    *,
    actor: User | None = None,
    where: str = "",
    why: str = "",
    data: dict | None = None,
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
    actor: User | None,
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
    if not claim(arrival, from_state, to_state, now=now):
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


def claim(arrival: Arrival, from_state: str, to_state: ArrivalState, *, now) -> bool:
    """The move's lock: an UPDATE conditional on the state the caller read. It holds the row
    until the caller's transaction ends; of two officers, the second finds the state changed
    (False). Its own name so that a test can take the lock away and see what it prevents."""
    from liaison.arrivals.models import Arrival

    changed = Arrival.objects.filter(pk=arrival.pk, state=from_state).update(
        state=to_state, updated_at=now
    )
    return bool(changed)


def in_chunks(items: Sequence[T], size: int = IN_LIST_SIZE) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


@dataclass(frozen=True)
class Step:
    """One move of one arrival: the arrival as the caller read (and locked) it, and what the
    move's event says."""

    arrival: Arrival
    where: str = ""
    why: str = ""
    data: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Path:
    """One arrival's part in ``move_many``: the states it enters in order, each with its step,
    and other columns the same UPDATE writes (``also``: name and value or expression pairs)."""

    arrival: Arrival
    moves: tuple[tuple[ArrivalState, Step], ...]
    also: tuple[tuple[str, Any], ...] = ()


def move_many(paths: Sequence[Path], *, actor: User | None) -> list[int]:
    """``move`` for a set of arrivals at once, each along its path (sampled → result →
    disposition): the same table, the same events and audit entries, written set-based.

    1. Every move of every path is checked against the table first (``InvalidMove`` names the
       first that is not allowed).
    2. One conditional UPDATE per state left, state reached and ``also`` (``… WHERE id IN (…)
       AND state = the state the caller read``): an arrival passing through two states is
       written once, with its end state. If an UPDATE changes fewer rows than expected, someone
       moved one of them meanwhile: ``ChangedMeanwhile``, and nothing of this call stays
       written. The caller runs inside its own transaction, which the exception rolls back too.
    3. One audit entry per move taken (``sampled -> result``: the arrivals that took it), and
       one bulk insert of every move's event, in each path's order.

    Returns the new events' ids.
    """
    from liaison.arrivals.models import Arrival, ArrivalEvent
    from liaison.core import audit

    groups: dict[tuple, list[int]] = defaultdict(list)
    taken: dict[tuple[str, str], list[int]] = defaultdict(list)
    for path in paths:
        state = path.arrival.state
        for to_state, _step in path.moves:
            if not can_move(state, to_state):
                raise InvalidMove(state, str(to_state))
            taken[(state, to_state)].append(path.arrival.pk)
            state = to_state
        groups[(path.arrival.state, state, path.also)].append(path.arrival.pk)
    if len({path.arrival.pk for path in paths}) != len(paths):
        raise ValueError("move_many: an arrival appears twice")
    now = timezone.now()
    with transaction.atomic():
        for (from_state, to_state, also), ids in groups.items():
            changed = Arrival.objects.filter(pk__among=ids, state=from_state).update(
                state=to_state, updated_at=now, **dict(also)
            )
            if changed != len(ids):
                raise ChangedMeanwhile(
                    from_state, to_state, changed=len(ids) - changed, total=len(ids)
                )
        for (from_state, to_state), ids in taken.items():
            audit.record_many(
                "update", Arrival, ids, fields=["state"], note=f"{from_state} -> {to_state}"
            )
        actor_id = actor.pk if actor is not None else None
        events = []
        for path in paths:
            state = path.arrival.state
            for to_state, step in path.moves:
                events.append(
                    {
                        "arrival_id": path.arrival.pk,
                        "at": now,
                        "from_state": state,
                        "to_state": to_state,
                        "actor_id": actor_id,
                        "where": step.where[:200],
                        "why": step.why[:300],
                        "data": step.data or {},
                    }
                )
                state = to_state
        ids = bulk_rows.insert_values(ArrivalEvent, events)
    for path in paths:
        path.arrival.state = path.moves[-1][0] if path.moves else path.arrival.state
        path.arrival.updated_at = now
        loaded = getattr(path.arrival, "_audit_loaded", None)
        if loaded is not None:  # what the database holds now, as ``move`` keeps it
            loaded.update(state=path.arrival.state, updated_at=now)
    return ids
