"""The media desk's API for the media of the directory and the requests: the same lists, details
and writes as the pages, the same services and access rules (the liaison desk writes; it and
leadership read), the one error shape. Press releases: ``release_api.py``."""

from __future__ import annotations

from datetime import date, datetime

from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema, Status

from liaison.core import audit
from liaison.core.access import Area
from liaison.core.api_auth import api_area
from liaison.core.api_errors import REFUSALS, Errors
from liaison.core.params import ApiDate, ApiDateTime, ApiId
from liaison.directory.models import Person
from liaison.media import events, selectors, services
from liaison.media.models import SUBJECT_MAX, TEXT_MAX, MediaRequest

router = Router(tags=["media"])


class CorrespondentOut(Schema):
    person_id: int
    name: str
    title: str
    press_card: bool
    card_number: str
    valid_until: date | None
    expired: bool


class BureauOut(Schema):
    id: int
    code: str
    kind: str
    name: str
    country: str
    city: str
    parent_id: int | None
    open_requests: int
    correspondents: list[CorrespondentOut]


class RequestIn(Schema):
    kind: str
    bureau_id: ApiId
    correspondent_id: ApiId | None = None
    received_at: ApiDateTime
    deadline: ApiDateTime
    subject: str = Field(..., max_length=SUBJECT_MAX)
    question: str = Field("", max_length=TEXT_MAX)
    assigned_to_id: ApiId | None = None


class MediaCorrectionIn(Schema):
    """Only the fields given change; ``correspondent_id: null`` given removes the correspondent."""

    reason: str = Field(..., max_length=TEXT_MAX)
    kind: str | None = None
    bureau_id: ApiId | None = None
    correspondent_id: ApiId | None = None
    received_at: ApiDateTime | None = None
    deadline: ApiDateTime | None = None
    subject: str | None = Field(None, max_length=SUBJECT_MAX)
    question: str | None = Field(None, max_length=TEXT_MAX)
    answer: str | None = Field(None, max_length=TEXT_MAX)


class AssignIn(Schema):
    assigned_to_id: ApiId


class AnswerIn(Schema):
    answer: str = Field(..., max_length=TEXT_MAX)
    answered_by_user_id: ApiId | None = None
    answered_by_person_id: ApiId | None = None
    answered_at: ApiDateTime | None = None


class MediaReasonIn(Schema):
    reason: str = Field(..., max_length=TEXT_MAX)


class ChangeOut(Schema):
    field: str
    before: str
    after: str


class MediaEventOut(Schema):
    kind: str
    text: str
    from_status: str
    to_status: str
    data: dict
    reason: str
    by: str
    at: datetime
    changes: list[ChangeOut]


class RequestOut(Schema):
    id: int
    kind: str
    status: str
    bureau_id: int
    bureau: str
    correspondent_id: int | None
    correspondent: str
    received_at: datetime
    deadline: datetime
    overdue: bool
    subject: str
    question: str
    assigned_to_id: int | None
    answered_by_user_id: int | None
    answered_by_person_id: int | None
    answered_by: str
    answer: str
    answered_at: datetime | None
    closed_reason: str
    closed_at: datetime | None


class RequestDetailOut(RequestOut):
    events: list[MediaEventOut]


class RequestFilters(Schema):
    status: str = ""
    kind: str = ""
    bureau: ApiId | None = None
    assigned_to: ApiId | None = None
    deadline_after: ApiDate | None = None
    deadline_before: ApiDate | None = None
    overdue: bool = False
    limit: int = Field(100, ge=1, le=500)
    offset: int = Field(0, ge=0, le=10**9)


def _request_out(r: MediaRequest) -> dict:
    return {
        "id": r.pk,
        "kind": r.kind,
        "status": r.status,
        "bureau_id": r.bureau_id,
        "bureau": r.bureau.name,
        "correspondent_id": r.correspondent_id,
        "correspondent": r.correspondent.name if r.correspondent_id else "",
        "received_at": r.received_at,
        "deadline": r.deadline,
        "overdue": r.is_overdue,
        "subject": r.subject,
        "question": r.question,
        "assigned_to_id": r.assigned_to_id,
        "answered_by_user_id": r.answered_by_user_id,
        "answered_by_person_id": r.answered_by_person_id,
        "answered_by": r.answered_by,
        "answer": r.answer,
        "answered_at": r.answered_at,
        "closed_reason": r.closed_reason,
        "closed_at": r.closed_at,
    }


def event_out(row: dict) -> dict:
    e = row["event"]
    return {
        "kind": e.kind,
        "text": row["text"],
        "from_status": getattr(e, "from_status", ""),
        "to_status": getattr(e, "to_status", ""),
        "data": e.data,
        "reason": row["reason"],
        "by": e.by.get_username(),
        "at": e.at,
        "changes": [{"field": f, "before": b, "after": a} for f, b, a in row["changes"]],
    }


def _detail_out(r: MediaRequest) -> dict:
    history = events.history(selectors.events_of(r))
    return {**_request_out(r), "events": [event_out(row) for row in history]}


def _request(request, request_id: int) -> MediaRequest:
    return get_object_or_404(
        selectors.with_parties(selectors.requests_visible_to(request.auth)), pk=request_id
    )


@router.get(
    "/media/bureaus",
    response={200: list[BureauOut], 400: Errors, **REFUSALS},
    summary="The directory's media bureaus and groups, their correspondents and press cards",
)
@api_area(Area.MEDIA_READ)
def bureau_list(request):
    found = selectors.media_directory(request.auth)
    audit.record_reads(Person, [c.person for b in found for c in b.correspondents], note="api")
    return [
        {
            "id": b.organization.pk,
            "code": b.organization.code,
            "kind": b.organization.kind,
            "name": b.organization.name,
            "country": str(b.organization.country),
            "city": b.organization.city,
            "parent_id": b.organization.parent_id,
            "open_requests": b.open_requests,
            "correspondents": [
                {
                    "person_id": c.person.pk,
                    "name": c.person.name,
                    "title": c.person.title,
                    "press_card": c.has_press_card,
                    "card_number": c.card_number,
                    "valid_until": c.valid_until,
                    "expired": c.expired,
                }
                for c in b.correspondents
            ],
        }
        for b in found
    ]


@router.get(
    "/media/requests",
    response={200: list[RequestOut], 400: Errors, **REFUSALS},
    summary="Media requests, by deadline, filtered",
)
@api_area(Area.MEDIA_READ)
def request_list(request, filters: Query[RequestFilters]):
    found = selectors.filter_requests(
        selectors.requests_visible_to(request.auth),
        status=filters.status,
        kind=filters.kind,
        bureau=filters.bureau,
        assigned_to=filters.assigned_to,
        deadline_after=filters.deadline_after,
        deadline_before=filters.deadline_before,
        overdue=filters.overdue,
    )
    rows = list(selectors.with_parties(found)[filters.offset : filters.offset + filters.limit])
    audit.record_reads(MediaRequest, rows, note="api list")
    return [_request_out(r) for r in rows]


@router.get(
    "/media/requests/{request_id}",
    response={200: RequestDetailOut, 400: Errors, 404: Errors, **REFUSALS},
    summary="One media request with its history",
)
@api_area(Area.MEDIA_READ)
def request_detail(request, request_id: ApiId):
    found = _request(request, request_id)
    audit.record_read(found)
    return _detail_out(found)


@router.post(
    "/media/requests",
    response={201: RequestDetailOut, 400: Errors, **REFUSALS},
    summary="Record a request from the media (assigned at once when an officer is named)",
)
@api_area(Area.LIAISON)
def receive_request(request, body: RequestIn):
    """A deadline before the receipt, a bureau that is not a media one, a correspondent not of
    that bureau, an unknown id, a text too long: 400, nothing written."""
    created = services.receive_request(**body.dict(), by=request.auth)
    return Status(201, _detail_out(_request(request, created.pk)))


@router.post(
    "/media/requests/{request_id}/corrections",
    response={200: RequestDetailOut, 400: Errors, 404: Errors, 409: Errors, **REFUSALS},
    summary="Correct a media request, with a reason (recorded, never silent)",
)
@api_area(Area.LIAISON)
def correct_request(request, request_id: ApiId, body: MediaCorrectionIn):
    found = _request(request, request_id)
    changes = body.dict(exclude_unset=True, exclude={"reason"})
    changes = {k: v for k, v in changes.items() if v is not None or k == "correspondent_id"}
    services.correct_request(request=found, reason=body.reason, by=request.auth, **changes)
    return _detail_out(_request(request, found.pk))


@router.post(
    "/media/requests/{request_id}/assignment",
    response={200: RequestDetailOut, 400: Errors, 404: Errors, 409: Errors, **REFUSALS},
    summary="Assign a request to an officer of the desk (or hand it to another)",
)
@api_area(Area.LIAISON)
def assign_request(request, request_id: ApiId, body: AssignIn):
    found = _request(request, request_id)
    services.assign_request(request=found, assigned_to_id=body.assigned_to_id, by=request.auth)
    return _detail_out(_request(request, found.pk))


@router.post(
    "/media/requests/{request_id}/answer",
    response={200: RequestDetailOut, 400: Errors, 404: Errors, 409: Errors, **REFUSALS},
    summary="Record the answer: who (an officer or a spokesperson), what, when",
)
@api_area(Area.LIAISON)
def answer_request(request, request_id: ApiId, body: AnswerIn):
    """A request not assigned, or already answered, declined or withdrawn: 409."""
    found = _request(request, request_id)
    services.answer_request(request=found, **body.dict(), by=request.auth)
    return _detail_out(_request(request, found.pk))


@router.post(
    "/media/requests/{request_id}/decline",
    response={200: RequestDetailOut, 400: Errors, 404: Errors, 409: Errors, **REFUSALS},
    summary="Decline a request, with the reason",
)
@api_area(Area.LIAISON)
def decline_request(request, request_id: ApiId, body: MediaReasonIn):
    found = _request(request, request_id)
    services.decline_request(request=found, reason=body.reason, by=request.auth)
    return _detail_out(_request(request, found.pk))


@router.post(
    "/media/requests/{request_id}/withdrawal",
    response={200: RequestDetailOut, 400: Errors, 404: Errors, 409: Errors, **REFUSALS},
    summary="Record that the media withdrew the request, with what they said",
)
@api_area(Area.LIAISON)
def withdraw_request(request, request_id: ApiId, body: MediaReasonIn):
    found = _request(request, request_id)
    services.withdraw_request(request=found, reason=body.reason, by=request.auth)
    return _detail_out(_request(request, found.pk))
