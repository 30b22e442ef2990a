"""The airport side's queues in the API: what waits for screening, sampling and a result.

The pages' queues (``screening.queues``) with the pages' filters (``arrivals.list_api``).
"""

from __future__ import annotations

from ninja import Query, Router

from liaison.arrivals.list_api import REFUSED, RESPONSES, ArrivalFilters, answer
from liaison.arrivals.selectors import arrivals_visible_to
from liaison.core.access import Area
from liaison.core.api_auth import api_area
from liaison.core.params import query_date
from liaison.screening import queues

router = Router(tags=["queues"])


@router.get(
    "/screening/queues/desk",
    response=RESPONSES,
    summary="Waiting for screening: declared, on the day's flights (today unless `day`)",
    description=REFUSED,
)
@api_area(Area.ARRIVALS_DESK)
def desk_queue(request, filters: Query[ArrivalFilters]):
    day = query_date(filters.day)
    return answer(
        request,
        filters,
        visible=queues.screening_desk_visible(request.auth, day=day),
        queue=queues.screening_queue(request.auth, day=day),
        name="screening-queue",
        note="desk queue",
    )


@router.get(
    "/screening/queues/sampling",
    response=RESPONSES,
    summary="Waiting for sampling: screened, no sample yet",
    description=REFUSED,
)
@api_area(Area.ARRIVALS_SAMPLING)
def sampling_queue(request, filters: Query[ArrivalFilters]):
    return answer(
        request,
        filters,
        visible=arrivals_visible_to(request.auth, Area.ARRIVALS_SAMPLING),
        queue=queues.sampling_queue(request.auth),
        name="sampling-queue",
        note="sampling: queue",
    )


@router.get(
    "/screening/queues/lab",
    response=RESPONSES,
    summary="Waiting for a result: sampled, no result yet",
    description=REFUSED,
)
@api_area(Area.ARRIVALS_LAB)
def lab_queue(request, filters: Query[ArrivalFilters]):
    return answer(
        request,
        filters,
        visible=arrivals_visible_to(request.auth, Area.ARRIVALS_LAB),
        queue=queues.lab_queue(request.auth),
        name="lab-queue",
        note="laboratory: waiting for a result",
    )
