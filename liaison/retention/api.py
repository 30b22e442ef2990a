"""Retention's API: the rules, a dry run, the receipts, legal holds (administrators,
``Area.RETENTION``), and the health desk's queue of correction requests (``Area.ARRIVALS_DESK``)."""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from ninja.errors import HttpError

from liaison.core import audit
from liaison.core.access import Area
from liaison.core.api_auth import api_area
from liaison.core.api_errors import REFUSALS, Errors
from liaison.core.params import ApiId
from liaison.retention import runs, selectors, services
from liaison.retention.models import CorrectionRequest, Hold, Kind
from liaison.retention.rules import rules

router = Router(tags=["retention"])
ANSWERS = {400: Errors, 404: Errors, 409: Errors, **REFUSALS}


class RetentionRuleOut(Schema):
    rule: str
    kind: str
    days: int
    after: str
    keep: list[str]
    may_keep: list[str]


class RetentionDueOut(Schema):
    rule: str
    due: int
    held: int


class RetentionReceiptOut(Schema):
    run_id: UUID
    rule: str
    dry_run: bool
    started_at: datetime
    ended_at: datetime | None
    due: int
    anonymized: int
    held: int
    files_removed: int
    batches: int
    stopped_by: str


class RetentionHoldOut(Schema):
    id: int
    kind: str
    record_id: int
    reason: str
    placed_by: str
    placed_at: datetime
    lifted_by: str | None
    lifted_at: datetime | None
    lift_reason: str


class RetentionHoldIn(Schema):
    kind: Kind
    record_id: ApiId
    reason: str


class RetentionReasonIn(Schema):
    reason: str


class RetentionHoldsFilter(Schema):
    active: bool = False


class CorrectionRequestOut(Schema):
    id: int
    arrival_id: int
    code: str
    reason: str
    status: str
    requested_at: datetime
    resolved_at: datetime | None
    resolution: str
    anonymized_on: date | None


class CorrectionsFilter(Schema):
    status: CorrectionRequest.Status | None = None


class CorrectionResolveIn(Schema):
    resolution: str


def _hold_out(hold: Hold) -> dict:
    return {
        "id": hold.pk,
        "kind": hold.kind,
        "record_id": hold.record_id,
        "reason": hold.reason,
        "placed_by": hold.placed_by.username,
        "placed_at": hold.placed_at,
        "lifted_by": hold.lifted_by.username if hold.lifted_by_id else None,
        "lifted_at": hold.lifted_at,
        "lift_reason": hold.lift_reason,
    }


def _correction_out(request: CorrectionRequest, due_on: date | None) -> dict:
    return {
        "id": request.pk,
        "arrival_id": request.arrival_id,
        "code": request.arrival.display_code,
        "reason": request.reason,
        "status": request.status,
        "requested_at": request.requested_at,
        "resolved_at": request.resolved_at,
        "resolution": request.resolution,
        "anonymized_on": due_on,
    }


@router.get(
    "/retention/rules",
    response={200: list[RetentionRuleOut], **REFUSALS},
    summary="The retention rules in force",
)
@api_area(Area.RETENTION)
def retention_rules(request):
    return [
        {
            "rule": r.code,
            "kind": r.kind,
            "days": r.days,
            "after": str(r.reference),
            "keep": sorted(r.keep),
            "may_keep": sorted(r.may_keep),
        }
        for r in rules()
    ]


@router.get(
    "/retention/due",
    response={200: list[RetentionDueOut], **REFUSALS},
    summary="Dry run: what would be anonymized today, per rule (nothing changes)",
)
@api_area(Area.RETENTION)
def retention_due(request):
    return [{"rule": d.rule.code, "due": d.due, "held": d.held} for d in runs.counts()]


@router.get(
    "/retention/receipts",
    response={200: list[RetentionReceiptOut], **REFUSALS},
    summary="The receipts of the latest runs (counts only)",
)
@api_area(Area.RETENTION)
def retention_receipts(request):
    return selectors.receipts(request.auth)


@router.get(
    "/retention/holds",
    response={200: list[RetentionHoldOut], 400: Errors, **REFUSALS},
    summary="Legal holds",
)
@api_area(Area.RETENTION)
def retention_holds(request, filters: Query[RetentionHoldsFilter]):
    return [_hold_out(h) for h in selectors.holds(request.auth, active_only=filters.active)[:500]]


@router.post(
    "/retention/holds",
    response={201: RetentionHoldOut, **ANSWERS},
    summary="Place a legal hold on a record (with a reason)",
)
@api_area(Area.RETENTION)
def retention_hold_place(request, body: RetentionHoldIn):
    hold = services.place_hold(
        kind=body.kind, record_id=body.record_id, reason=body.reason, officer=request.auth
    )
    return Status(201, _hold_out(hold))


@router.post(
    "/retention/holds/{hold_id}/lift",
    response={200: RetentionHoldOut, **ANSWERS},
    summary="Lift a legal hold (with a reason)",
)
@api_area(Area.RETENTION)
def retention_hold_lift(request, hold_id: ApiId, body: RetentionReasonIn):
    hold = selectors.hold(request.auth, hold_id)
    if hold is None:
        raise HttpError(404, _("There is no such hold."))
    return _hold_out(services.lift_hold(hold=hold, reason=body.reason, officer=request.auth))


@router.get(
    "/retention/corrections",
    response={200: list[CorrectionRequestOut], 400: Errors, **REFUSALS},
    summary="Corrections travelers asked for (the health desk's queue)",
)
@api_area(Area.ARRIVALS_DESK)
def retention_corrections(request, filters: Query[CorrectionsFilter]):
    found = list(selectors.correction_requests(request.auth, status=filters.status or "")[:500])
    audit.record_reads(CorrectionRequest, found)
    dates = selectors.due_dates(Kind.ARRIVAL, [r.arrival for r in found])
    return [_correction_out(r, dates.get(r.arrival_id)) for r in found]


@router.post(
    "/retention/corrections/{request_id}/resolve",
    response={200: CorrectionRequestOut, **ANSWERS},
    summary="Resolve a correction request (say what was done)",
)
@api_area(Area.ARRIVALS_DESK)
def retention_correction_resolve(request, request_id: ApiId, body: CorrectionResolveIn):
    found = selectors.correction_request(request.auth, request_id)
    if found is None:
        raise HttpError(404, _("There is no such request."))
    resolved = services.resolve_correction(
        request=found, resolution=body.resolution, officer=request.auth
    )
    return _correction_out(
        resolved, selectors.due_dates(Kind.ARRIVAL, [resolved.arrival]).get(resolved.arrival_id)
    )
