"""Dispatch's and receipt's queues in the API: who is ready to leave, who is on the way to me.

The pages' queues (``handover.queues``) with the pages' filters (``arrivals.list_api``). The
batches waiting for receipt are ``GET /handover/batches?status=departed``.
"""

from __future__ import annotations

from ninja import Query, Router

from liaison.arrivals.list_api import REFUSED, RESPONSES, ArrivalFilters, answer
from liaison.core.access import Area
from liaison.core.api_auth import api_area
from liaison.handover import queues

router = Router(tags=["queues"])


@router.get(
    "/handover/queues/dispatch",
    response=RESPONSES,
    summary="Ready to leave the airport: disposition decided, in no open batch",
    description=REFUSED,
)
@api_area(Area.ARRIVALS_DISPATCH)
def dispatch_queue(request, filters: Query[ArrivalFilters]):
    return answer(
        request,
        filters,
        visible=queues.dispatch_visible(request.auth),
        queue=queues.dispatch_queue(request.auth),
        name="dispatch-queue",
        note="dispatch: ready to leave",
    )


@router.get(
    "/handover/queues/receiving",
    response=RESPONSES,
    summary="On the way to my jurisdiction: in a departed batch, not yet received",
    description=REFUSED,
)
@api_area(Area.ARRIVALS_RECEIVING)
def receiving_queue(request, filters: Query[ArrivalFilters]):
    return answer(
        request,
        filters,
        visible=queues.receiving_visible(request.auth),
        queue=queues.receiving_queue(request.auth),
        name="receiving-queue",
        note="receiving: on the way",
    )
