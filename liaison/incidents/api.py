"""The incident desk's API: the same queue, incident, moves, chain and handovers as the pages,
the same services and access rules, the one error shape."""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError

from liaison.core import audit
from liaison.core.access import Area
from liaison.core.api_auth import api_area
from liaison.core.api_errors import REFUSALS, Errors
from liaison.core.params import ApiDateTime, ApiId
from liaison.core.refusals import Refused
from liaison.incidents import chain, events, handovers, selectors, services
from liaison.incidents.models import Handover, Incident

router = Router(tags=["incidents"])
ANSWERS = {400: Errors, 404: Errors, 409: Errors, **REFUSALS}


class IncidentOut(Schema):
    id: int
    kind: str
    severity: int
    title: str
    status: str
    exercise: bool
    reported_at: datetime
    ack_due_at: datetime
    overdue: bool
    owner: str | None
    cause: str | None


class EventOut(Schema):
    at: datetime
    by: str | None
    code: str
    sentence: str
    text: str


class IncidentDetailOut(IncidentOut):
    description: str
    place: str
    summary: str
    history: list[EventOut]


class IncidentIn(Schema):
    kind: str
    severity: int
    title: str = Field(max_length=300)
    description: str = ""
    place: str = Field("", max_length=300)
    occurred_at: ApiDateTime | None = None
    exercise: bool = False


class QueueFilters(Schema):
    status: str = ""
    severity: int | None = Field(None, ge=1, le=5)
    kind: str = ""
    owner: ApiId | None = None
    exercise: bool | None = None
    overdue: bool = False
    limit: int = Field(100, ge=1, le=500)


class MoveIn(Schema):
    to: str
    text: str = ""


class TextIn(Schema):
    text: str


class OwnerIn(Schema):
    owner_id: ApiId


class StepIn(Schema):
    post: str
    user_id: ApiId | None = None
    after_minutes: int = Field(0, ge=0, le=1440)


class StepOut(Schema):
    position: int
    post: str
    user: str | None
    after_minutes: int


class HandoverIn(Schema):
    incoming_id: ApiId
    note: str


class CountersignIn(Schema):
    confirmed_count: int = Field(ge=0)


class HandoverOut(Schema):
    id: int
    outgoing: str
    incoming: str
    note: str
    written_at: datetime
    countersigned_at: datetime | None
    open_incidents: list[IncidentOut]


def _out(incident: Incident, now: datetime) -> dict:
    return {
        "id": incident.pk,
        "kind": incident.kind,
        "severity": incident.severity,
        "title": incident.display_title(),
        "status": incident.status,
        "exercise": incident.exercise,
        "reported_at": incident.reported_at,
        "ack_due_at": incident.ack_due_at,
        "overdue": incident.is_overdue(now),
        "owner": incident.owner.username if incident.owner_id else None,
        "cause": incident.cause,
    }


def _detail(incident: Incident) -> dict:
    history = [
        {
            "at": e.at,
            "by": e.by.username if e.by_id else None,
            "code": e.code,
            "sentence": events.sentence(e),
            "text": e.text,
        }
        for e in selectors.history(incident)
    ]
    return {
        **_out(incident, timezone.now()),
        "description": incident.description,
        "place": incident.place,
        "summary": incident.summary,
        "history": history,
    }


def _incident(request, incident_id: int) -> Incident:
    incident = selectors.incident(request.auth, incident_id)
    if incident is None:
        raise HttpError(404, _("No such incident."))
    return incident


def _user(user_id: int, field: str):
    user = selectors.active_user(user_id)
    if user is None:
        raise Refused(_("No such active user."), field)
    return user


@router.get(
    "/incidents",
    response={200: list[IncidentOut], 400: Errors, **REFUSALS},
    summary="The incident queue, filtered (not closed by default)",
)
@api_area(Area.DUTY_READ)
def incident_list(request, filters: Query[QueueFilters]):
    now = timezone.now()
    found = selectors.filter_incidents(
        selectors.incidents_visible_to(request.auth),
        now=now,
        status=filters.status,
        severity=filters.severity,
        kind=filters.kind,
        owner=filters.owner,
        exercise=filters.exercise,
        overdue=filters.overdue,
    )
    rows = list(found[: filters.limit])
    audit.record_reads(Incident, rows, note="api list")
    return [_out(i, now) for i in rows]


@router.get(
    "/incidents/{incident_id}",
    response={200: IncidentDetailOut, **ANSWERS},
    summary="One incident with its history",
)
@api_area(Area.DUTY_READ)
def incident_detail(request, incident_id: ApiId):
    incident = _incident(request, incident_id)
    audit.record_reads(Incident, [incident], note="api detail")
    return _detail(incident)


@router.post(
    "/incidents", response={201: IncidentDetailOut, **ANSWERS}, summary="Report an incident"
)
@api_area(Area.DUTY)
def incident_report(request, body: IncidentIn):
    incident = services.report(
        by=request.auth,
        at=timezone.now(),
        kind=body.kind,
        severity=body.severity,
        title=body.title,
        description=body.description,
        place=body.place,
        occurred_at=body.occurred_at,
        exercise=body.exercise,
    )
    return Status(201, _detail(incident))


@router.post(
    "/incidents/{incident_id}/acknowledgement",
    response={200: IncidentDetailOut, **ANSWERS},
    summary="Acknowledge an incident (someone on the escalation chain)",
)
@api_area(Area.DUTY_READ)
def incident_acknowledge(request, incident_id: ApiId):
    incident = services.acknowledge(
        incident=_incident(request, incident_id), by=request.auth, at=timezone.now()
    )
    return _detail(incident)


@router.post(
    "/incidents/{incident_id}/owner",
    response={200: IncidentDetailOut, **ANSWERS},
    summary="Assign an incident's owner",
)
@api_area(Area.DUTY)
def incident_assign(request, incident_id: ApiId, body: OwnerIn):
    incident = _incident(request, incident_id)
    owner = _user(body.owner_id, "owner_id")
    return _detail(
        services.assign(incident=incident, owner=owner, by=request.auth, at=timezone.now())
    )


@router.post(
    "/incidents/{incident_id}/actions",
    response={201: IncidentDetailOut, **ANSWERS},
    summary="Record an action taken (appended, never edited)",
)
@api_area(Area.DUTY)
def incident_act(request, incident_id: ApiId, body: TextIn):
    incident = _incident(request, incident_id)
    services.act(incident=incident, text=body.text, by=request.auth, at=timezone.now())
    return Status(201, _detail(incident))


@router.post(
    "/incidents/{incident_id}/moves",
    response={200: IncidentDetailOut, **ANSWERS},
    summary="In progress, closed with its summary, reopened with its reason",
)
@api_area(Area.DUTY)
def incident_move(request, incident_id: ApiId, body: MoveIn):
    incident = _incident(request, incident_id)
    return _detail(
        services.move(
            incident=incident, to=body.to, text=body.text, by=request.auth, at=timezone.now()
        )
    )


def _steps_out() -> list[dict]:
    return [
        {
            "position": s.position,
            "post": s.post,
            "user": s.user.username if s.user_id else None,
            "after_minutes": s.after_minutes,
        }
        for s in chain.steps()
    ]


@router.get(
    "/incidents-chain", response={200: list[StepOut], **REFUSALS}, summary="The escalation chain"
)
@api_area(Area.DUTY_READ)
def chain_read(request):
    return _steps_out()


@router.put(
    "/incidents-chain",
    response={200: list[StepOut], 400: Errors, **REFUSALS},
    summary="Replace the escalation chain (the duty chief or an administrator)",
)
@api_area(Area.DUTY, Area.ADMIN)
def chain_write(request, body: list[StepIn]):
    steps = [
        {
            "post": s.post,
            "user": _user(s.user_id, "user_id") if s.user_id else None,
            "after_minutes": s.after_minutes,
        }
        for s in body
    ]
    chain.set_chain(new_steps=steps, by=request.auth, at=timezone.now())
    return _steps_out()


def _handover_out(handover: Handover) -> dict:
    now = timezone.now()
    shown = list(handovers.open_incidents()) if handover.countersigned_at is None else []
    return {
        "id": handover.pk,
        "outgoing": handover.outgoing.username,
        "incoming": handover.incoming.username,
        "note": handover.note,
        "written_at": handover.written_at,
        "countersigned_at": handover.countersigned_at,
        "open_incidents": [_out(i, now) for i in shown],
    }


@router.post(
    "/handovers",
    response={201: HandoverOut, **ANSWERS},
    summary="Hand the shift over: the outgoing officer's note",
)
@api_area(Area.DUTY)
def handover_write(request, body: HandoverIn):
    handover = handovers.write(
        outgoing=request.auth,
        incoming=_user(body.incoming_id, "incoming_id"),
        note=body.note,
        at=timezone.now(),
    )
    return Status(201, _handover_out(handover))


@router.get(
    "/handovers/{handover_id}",
    response={200: HandoverOut, **ANSWERS},
    summary="A handover, with every open incident while it is not countersigned",
)
@api_area(Area.DUTY_READ)
def handover_read(request, handover_id: ApiId):
    handover = selectors.handover_for(request.auth, handover_id)
    if handover is None:
        raise HttpError(404, _("No such handover."))
    return _handover_out(handover)


@router.post(
    "/handovers/{handover_id}/countersignature",
    response={200: HandoverOut, **ANSWERS},
    summary="Countersign a handover: the incoming officer, naming the open incidents' count",
)
@api_area(Area.DUTY)
def handover_countersign(request, handover_id: ApiId, body: CountersignIn):
    handover = selectors.handover_for(request.auth, handover_id)
    if handover is None:
        raise HttpError(404, _("No such handover."))
    handovers.countersign(
        handover=handover, by=request.auth, confirmed_count=body.confirmed_count, at=timezone.now()
    )
    return _handover_out(selectors.handover_for(request.auth, handover_id))
