"""The handover API: batches (dispatch sees all, a district its own), receipt by scan, the board.

The same selectors as the pages, so the same rules: another district's batch is a 404.
"""

from datetime import date, datetime

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from ninja.errors import HttpError

from liaison.arrivals.models import Arrival
from liaison.core import audit
from liaison.core.access import Area
from liaison.core.api_auth import api_area
from liaison.core.api_errors import REFUSALS, Errors
from liaison.core.params import ApiDate, ApiId
from liaison.handover import selectors, services

router = Router(tags=["handover"])


class MemberOut(Schema):
    code: str
    name_latin: str
    name_native: str
    document: str  # masked: the last four characters only
    flight: str
    state: str
    confirmed_at: datetime | None


class BatchOut(Schema):
    id: int
    number: str
    destination: str
    disposition: str
    vehicle: str
    status: str
    planned_departure: datetime
    departed_at: datetime | None
    closed_at: datetime | None
    size: int
    confirmed: int


class BatchDetail(BatchOut):
    members: list[MemberOut]


class ScanIn(Schema):
    code: str


def _batch_out(batch) -> dict:
    return {
        "id": batch.pk,
        "number": batch.number,
        "destination": batch.destination_jurisdiction.code,
        "disposition": batch.disposition,
        "vehicle": batch.vehicle,
        "status": batch.status,
        "planned_departure": batch.planned_departure,
        "departed_at": batch.departed_at,
        "closed_at": batch.closed_at,
        "size": batch.size,
        "confirmed": batch.confirmed,
    }


def _visible_batch(request, batch_id: int):
    batch = selectors.visible_batch(request.auth, batch_id)
    if batch is None:
        with audit.request_context(request):
            selectors.not_found("handover.batch")
        raise HttpError(404, _("No such batch."))
    return batch


@router.get(
    "/handover/batches",
    response={200: list[BatchOut], **REFUSALS},
    summary="Handover batches",
)
@api_area(Area.ARRIVALS_DISPATCH, Area.ARRIVALS_RECEIVING)
def list_batches(request, status: str = ""):
    return [_batch_out(b) for b in selectors.batches_of(request.auth, status=status)[:500]]


@router.get(
    "/handover/batches/{batch_id}",
    response={200: BatchDetail, 400: Errors, 404: Errors, **REFUSALS},
    summary="One batch",
)
@api_area(Area.ARRIVALS_DISPATCH, Area.ARRIVALS_RECEIVING)
def get_batch(request, batch_id: ApiId):
    batch = _visible_batch(request, batch_id)
    shown = list(selectors.members_of(batch))
    with audit.request_context(request):
        audit.record_reads(Arrival, [m.arrival_id for m in shown], note=f"api: batch {batch.pk}")
    members = [
        {
            "code": m.arrival.code,
            "name_latin": m.arrival.name_latin,
            "name_native": m.arrival.name_native,
            "document": selectors.mask_document(m.arrival.document_number),
            "flight": m.arrival.flight.number,
            "state": m.arrival.state,
            "confirmed_at": m.confirmed_at,
        }
        for m in shown
    ]
    return {**_batch_out(batch), "members": members}


@router.post(
    "/handover/batches/{batch_id}/receive",
    response={200: MemberOut, 400: Errors, 404: Errors, 409: Errors, **REFUSALS},
    summary="Confirm one traveler received (the scanned declaration code)",
)
@api_area(Area.ARRIVALS_RECEIVING)
def receive(request, batch_id: ApiId, body: ScanIn):
    batch = _visible_batch(request, batch_id)
    member = services.receive(batch=batch, arrival_code=body.code, officer=request.auth)
    arrival = member.arrival
    return Status(
        200,
        {
            "code": arrival.code,
            "name_latin": arrival.name_latin,
            "name_native": arrival.name_native,
            "document": selectors.mask_document(arrival.document_number),
            "flight": arrival.flight.number,
            "state": arrival.state,
            "confirmed_at": member.confirmed_at,
        },
    )


class BoardRow(Schema):
    day: date
    flight: str | None
    arrived: int
    by_state: dict[str, int]
    groups: dict[str, int]


@router.get(
    "/handover/board",
    response={200: list[BoardRow], 400: Errors, **REFUSALS},
    summary="The closed-loop board",
)
@api_area(Area.ARRIVALS_BOARD)
def board(request, day: ApiDate | None = None):
    day = day or timezone.localdate()
    rows = []
    for d in selectors.board(request.auth, since=day, until=day):
        for f in d.flights:
            rows.append(
                {
                    "day": d.day,
                    "flight": f.flight.number,
                    "arrived": f.tally.arrived,
                    "by_state": f.tally.by_state,
                    "groups": f.tally.groups,
                }
            )
        rows.append(
            {
                "day": d.day,
                "flight": None,
                "arrived": d.tally.arrived,
                "by_state": d.tally.by_state,
                "groups": d.tally.groups,
            }
        )
    return rows
