"""Who is ready for handover: the one place that reads the screening desk's disposition.

"Ready for handover" is an arrival in state "disposition decided" whose current
``screening.Disposition`` (the policy's, or an officer's override) travels in a batch, and which
is in no open batch. Everything in this app asks this module, so the screening desk is read here
only (through ``screening.selectors``).
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, QuerySet

from liaison.arrivals.models import Arrival
from liaison.arrivals.states import ArrivalState
from liaison.handover.models import BATCHED_DISPOSITIONS, BatchMember
from liaison.screening.selectors import with_current_disposition


def with_disposition(queryset: QuerySet[Arrival]) -> QuerySet[Arrival]:
    """Arrivals annotated with ``current_disposition`` (the engine's value, or an override)."""
    return with_current_disposition(queryset)


def disposition_of(arrival: Arrival) -> str | None:
    return (
        with_disposition(Arrival.objects.filter(pk=arrival.pk))
        .values_list("current_disposition", flat=True)
        .first()
    )


def disposed(queryset: QuerySet[Arrival] | None = None) -> QuerySet[Arrival]:
    """Arrivals waiting at the airport with a decided disposition, not in an open batch: every
    traveler in "disposition decided". A fever case is one from screening on (the policy decides
    before any test and the traveler moves there), so the ambulance does not wait for a result.
    """
    queryset = Arrival.objects.all() if queryset is None else queryset
    in_batch = BatchMember.objects.filter(arrival=OuterRef("pk"), open=True)
    return with_disposition(queryset.filter(state=ArrivalState.DISPOSED).exclude(Exists(in_batch)))


def ready_arrivals(queryset: QuerySet[Arrival] | None = None) -> QuerySet[Arrival]:
    """Ready for a batch: a batched disposition (quarantine, diplomatic arrangement)."""
    return disposed(queryset).filter(current_disposition__in=BATCHED_DISPOSITIONS)
