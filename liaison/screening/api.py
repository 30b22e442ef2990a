"""The laboratories' API: one result per call, with the same checks as the pages."""

from datetime import datetime

from ninja import Router, Schema, Status

from liaison.api import require_area
from liaison.core.access import Area
from liaison.screening import services
from liaison.screening.models import ResultSource

router = Router(tags=["laboratory"])


class ResultIn(Schema):
    barcode: str
    result: str  # negative, positive or inconclusive
    tested_at: datetime
    lab: str


class ResultOut(Schema):
    barcode: str
    result: str
    created: bool  # False: the same result was already recorded; nothing changed
    disposition: str | None


class Problem(Schema):
    field: str
    message: str


@router.post(
    "/results",
    response={200: ResultOut, 201: ResultOut, 400: Problem, 403: Problem},
    summary="Report one laboratory result",
)
def post_result(request, body: ResultIn):
    """A laboratory's token reports a tube's result. Sending the same result again is safe (200,
    nothing changes); an unknown barcode, an impossible time or another result is refused (400,
    naming the field)."""
    require_area(request, Area.ARRIVALS_LAB)
    try:
        recorded = services.record_result(
            barcode=body.barcode,
            result=body.result,
            lab=body.lab,
            tested_at=body.tested_at,
            reported_by=request.auth,
            source=ResultSource.API,
        )
    except services.Refused as refused:
        return Status(400, Problem(field=refused.field, message=refused.message))
    return Status(
        201 if recorded.created else 200,
        ResultOut(
            barcode=recorded.result.sample.barcode,
            result=recorded.result.result,
            created=recorded.created,
            disposition=recorded.disposition.disposition if recorded.disposition else None,
        ),
    )
