"""The laboratories' API: one result per call, with the same checks as the pages.

Errors have the shape of the whole API (the declarations API's): ``{"errors": [{"field": "...",
"message": "..."}]}``, translated. The body is read here rather than by ninja's schema so that a
body that is not JSON, a missing field or an unreadable time comes back in that shape too.
"""

from datetime import datetime

from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from liaison.core.access import Area
from liaison.core.api_auth import api_area
from liaison.core.api_errors import REFUSALS, Errors, errors
from liaison.core.input_guard import BadJson, load_json
from liaison.core.params import in_range
from liaison.screening.models import ResultSource
from liaison.screening.results import record_result

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


def _read(body: bytes) -> tuple[dict, list[tuple[str, str]]]:
    """The result's fields from a JSON body, or what is wrong with it, field by field."""
    try:
        payload = load_json(body)
    except BadJson as bad:  # not JSON, not UTF-8, too deep, a lone surrogate …
        return {}, [(bad.field, bad.message)]
    if not isinstance(payload, dict):
        return {}, [("", _("Send the result as a JSON object."))]
    problems = [
        (name, _("Give this field as text."))
        for name in ("barcode", "result", "lab")
        if not isinstance(payload.get(name), str)
    ]
    tested_at = payload.get("tested_at")
    try:
        moment = parse_datetime(tested_at) if isinstance(tested_at, str) else None
    except ValueError:
        moment = None
    if moment is not None and not in_range(moment):  # year 1 or 9999: no time zone can hold it
        moment = None
    if moment is None:
        problems.append(
            (
                "tested_at",
                _("Give the test time as an ISO 8601 date and time, e.g. 2020-03-20T14:05+08:00."),
            )
        )
    return {**payload, "tested_at": moment}, problems


@router.post(
    "/results",
    response={200: ResultOut, 201: ResultOut, 400: Errors, 409: Errors, **REFUSALS},
    summary="Report one laboratory result",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": ResultIn.model_json_schema()}},
        }
    },
)
@api_area(Area.ARRIVALS_LAB)
def post_result(request):
    """A laboratory's token reports a tube's result. Sending the same result again is safe (200,
    nothing changes); an unknown barcode, an impossible time or another result is refused (400,
    naming the field; 409 if the traveler was moved meanwhile). Errors:
    `{"errors": [{"field", "message"}]}`."""
    body, problems = _read(request.body)
    if problems:
        return Status(400, errors(*problems))
    recorded = record_result(  # a refusal answers 400 naming the field (api_errors.install)
        barcode=body["barcode"],
        result=body["result"],
        lab=body["lab"],
        tested_at=body["tested_at"],
        reported_by=request.auth,
        source=ResultSource.API,
    )
    return Status(
        201 if recorded.created else 200,
        ResultOut(
            barcode=recorded.result.sample.barcode,
            result=recorded.result.result,
            created=recorded.created,
            disposition=recorded.disposition.disposition if recorded.disposition else None,
        ),
    )
