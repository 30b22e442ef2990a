"""What waits at each desk of the airport side, oldest first, through the access layer.

- the screening desk: travelers of today's flights (by default) who declared and wait to be
  screened;
- sampling: screened travelers waiting for their sample (a traveler the policy decided at
  screening — a fever case — goes straight to "disposition decided" and never waits here);
- the laboratory: sampled travelers without a result (a re-sample after an inconclusive result
  waits here again).
"""

from __future__ import annotations

from datetime import date

from django.db.models import QuerySet
from django.utils import timezone

from liaison.arrivals.listing import waiting_since
from liaison.arrivals.models import Arrival
from liaison.arrivals.selectors import arrivals_visible_to
from liaison.arrivals.states import ArrivalState
from liaison.core.access import Area

S = ArrivalState


def screening_desk_visible(user, *, day: date | None = None) -> QuerySet[Arrival]:
    """Every traveler of the day's flights the desk may see (the per-flight "declared")."""
    return arrivals_visible_to(user, Area.ARRIVALS_DESK).filter(
        flight__date=day or timezone.localdate()
    )


def screening_queue(user, *, day: date | None = None) -> QuerySet[Arrival]:
    """Declared, on a flight arriving that day (today by default), not yet screened."""
    return waiting_since(screening_desk_visible(user, day=day).filter(state=S.DECLARED))


def sampling_queue(user) -> QuerySet[Arrival]:
    """Screened, waiting for a sample."""
    return waiting_since(arrivals_visible_to(user, Area.ARRIVALS_SAMPLING).filter(state=S.SCREENED))


def lab_queue(user) -> QuerySet[Arrival]:
    """Sampled, waiting for a result."""
    return waiting_since(arrivals_visible_to(user, Area.ARRIVALS_LAB).filter(state=S.SAMPLED))
