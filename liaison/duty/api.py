"""The duty desk's API: the roster, templates, swaps, officers' languages, language coverage
and the duty log, through the same services and access rules as the pages (the duty officer
writes, leadership reads). The log has no PUT, PATCH or DELETE: a correction is a POST."""

from __future__ import annotations

from datetime import date, datetime, time

from django.http import Http404
from ninja import Query, Router, Schema, Status

from liaison.core import audit
from liaison.core.access import Area
from liaison.core.api_auth import api_area
from liaison.core.api_errors import REFUSALS, Errors
from liaison.core.params import ApiDate, ApiDateTime, ApiId
from liaison.duty import coverage, log, selectors, services
from liaison.duty.models import LogEntry, Shift

router = Router(tags=["duty"])
READ = {400: Errors, 404: Errors, **REFUSALS}
WRITE = {400: Errors, 404: Errors, 409: Errors, **REFUSALS}


class ShiftIn(Schema):
    officer: ApiId
    post: str
    starts_at: ApiDateTime
    ends_at: ApiDateTime
    phone: str = ""
    note: str = ""


class SwapIn(Schema):
    to_officer: ApiId
    reason: str
    phone: str = ""


class SwapOut(Schema):
    id: int
    from_officer: int
    to_officer: int
    reason: str
    recorded_by: int
    at: datetime


class ShiftOut(Schema):
    id: int
    post: str
    officer: int
    officer_name: str
    starts_at: datetime
    ends_at: datetime
    phone: str
    note: str
    template: int | None
    swaps: list[SwapOut] = []


class GapOut(Schema):
    post: str
    starts_at: datetime
    ends_at: datetime


class WeekOut(Schema):
    shifts: list[ShiftOut]
    gaps: list[GapOut]


class TemplateIn(Schema):
    post: str
    starts: time
    hours: int


class TemplateOut(Schema):
    id: int
    post: str
    starts: time
    hours: int


class GenerateIn(Schema):
    monday: ApiDate
    officers: list[ApiId]
    phone: str = ""


class LanguagesIn(Schema):
    languages: list[str]


class LanguagesOut(Schema):
    officer: int
    languages: list[str]


class MissingOut(Schema):
    language: str
    travelers: int
    flights: list[str]


class CoverageOut(Schema):
    day: date
    shift: int | None
    spoken: list[str]
    needed: dict[str, int]
    unknown: int
    missing: list[MissingOut]


class EntryIn(Schema):
    text: str
    at: ApiDateTime | None = None
    arrival: ApiId | None = None
    batch: ApiId | None = None
    case: ApiId | None = None
    organization: ApiId | None = None
    incident: ApiId | None = None


class LogQuery(Schema):
    since: ApiDate | None = None
    until: ApiDate | None = None
    author: ApiId | None = None
    q: str = ""
    linked: str = ""  # arrival, batch, case, organization, incident
    incident: ApiId | None = None


class EntryOut(Schema):
    id: int
    at: datetime
    recorded_at: datetime
    author: int
    text: str
    arrival: int | None
    batch: int | None
    case: int | None
    organization: int | None
    incident: int | None
    corrects: int | None


def _shift_out(shift: Shift, *, swaps: bool = False) -> dict:
    return {
        "id": shift.pk,
        "post": shift.post,
        "officer": shift.officer_id,
        "officer_name": shift.officer.get_full_name() or shift.officer.username,
        "starts_at": shift.starts_at,
        "ends_at": shift.ends_at,
        "phone": shift.phone,
        "note": shift.note,
        "template": shift.template_id,
        "swaps": [
            {
                "id": s.pk,
                "from_officer": s.from_officer_id,
                "to_officer": s.to_officer_id,
                "reason": s.reason,
                "recorded_by": s.recorded_by_id,
                "at": s.at,
            }
            for s in shift.swaps.all()
        ]
        if swaps
        else [],
    }


def _entry_out(e: LogEntry) -> dict:
    return {
        "id": e.pk,
        "at": e.at,
        "recorded_at": e.recorded_at,
        "author": e.author_id,
        "text": e.text,
        "arrival": e.arrival_id,
        "batch": e.batch_id,
        "case": e.case_id,
        "organization": e.organization_id,
        "incident": e.incident_id,
        "corrects": e.corrects_id,
    }


def _shift(request, pk: int) -> Shift:
    try:
        return selectors.shift_detail(request.auth, pk)
    except Shift.DoesNotExist as error:
        raise Http404 from error


def _input(body: ShiftIn) -> services.ShiftInput:
    return services.ShiftInput(
        officer_id=body.officer,
        post=body.post,
        starts_at=body.starts_at,
        ends_at=body.ends_at,
        phone=body.phone,
        note=body.note,
    )


@router.get("/duty/shifts", response={200: WeekOut, **READ}, summary="The roster of a week")
@api_area(Area.DUTY_READ)
def list_shifts(request, monday: Query[ApiDate], post: str = ""):
    days = selectors.roster_week(request.auth, monday)
    shifts = list(
        {s.pk: s for day in days for s in day.shifts if not post or s.post == post}.values()
    )
    audit.record_reads(Shift, shifts, note="roster (API)")
    return {
        "shifts": [_shift_out(s) for s in shifts],
        "gaps": [
            {"post": g.post, "starts_at": g.starts_at, "ends_at": g.ends_at}
            for day in days
            for g in day.gaps
            if not post or g.post == post
        ],
    }


@router.get("/duty/now", response={200: list[ShiftOut], **READ}, summary="Who is on duty now")
@api_area(Area.DUTY_READ)
def now(request):
    shifts = selectors.shifts_now(request.auth)
    audit.record_reads(Shift, shifts, note="on duty now (API)")
    return [_shift_out(s) for s in shifts]


@router.get("/duty/shifts/{shift_id}", response={200: ShiftOut, **READ}, summary="One shift")
@api_area(Area.DUTY_READ)
def shift_detail(request, shift_id: ApiId):
    shift = _shift(request, shift_id)
    audit.record_read(shift, note="shift (API)")
    return _shift_out(shift, swaps=True)


@router.post("/duty/shifts", response={201: ShiftOut, **WRITE}, summary="Add a shift")
@api_area(Area.DUTY)
def add_shift(request, body: ShiftIn):
    shift = services.add_shift(by=request.auth, data=_input(body))
    return Status(201, _shift_out(_shift(request, shift.pk)))


@router.put("/duty/shifts/{shift_id}", response={200: ShiftOut, **WRITE}, summary="Change a shift")
@api_area(Area.DUTY)
def change_shift(request, shift_id: ApiId, body: ShiftIn):
    services.change_shift(by=request.auth, shift=_shift(request, shift_id), data=_input(body))
    return _shift_out(_shift(request, shift_id), swaps=True)


@router.post(
    "/duty/shifts/{shift_id}/swaps",
    response={201: ShiftOut, **WRITE},
    summary="Give a shift to another officer",
)
@api_area(Area.DUTY)
def swap_shift(request, shift_id: ApiId, body: SwapIn):
    services.swap(
        by=request.auth,
        shift=_shift(request, shift_id),
        to_officer_id=body.to_officer,
        reason=body.reason,
        phone=body.phone,
    )
    return Status(201, _shift_out(_shift(request, shift_id), swaps=True))


@router.get("/duty/templates", response={200: list[TemplateOut], **READ}, summary="Templates")
@api_area(Area.DUTY_READ)
def list_templates(request):
    return [
        {"id": t.pk, "post": t.post, "starts": t.starts, "hours": t.hours}
        for t in selectors.template_list(request.auth)
    ]


@router.post("/duty/templates", response={201: TemplateOut, **WRITE}, summary="Add a template")
@api_area(Area.DUTY)
def add_template(request, body: TemplateIn):
    t = services.save_template(
        by=request.auth, post=body.post, starts=body.starts, hours=body.hours
    )
    return Status(201, {"id": t.pk, "post": t.post, "starts": t.starts, "hours": t.hours})


@router.post(
    "/duty/templates/{template_id}/week",
    response={201: list[ShiftOut], **WRITE},
    summary="A week of shifts from a template",
)
@api_area(Area.DUTY)
def generate_week(request, template_id: ApiId, body: GenerateIn):
    template = selectors.template_detail(request.auth, template_id)
    if template is None:
        raise Http404
    made = services.generate_week(
        by=request.auth,
        template=template,
        monday=body.monday,
        officer_ids=body.officers,
        phone=body.phone,
    )
    return Status(201, [_shift_out(s) for s in made])


@router.get(
    "/duty/languages", response={200: list[LanguagesOut], **READ}, summary="Officers' languages"
)
@api_area(Area.DUTY_READ)
def list_languages(request):
    return [
        {"officer": officer.pk, "languages": codes}
        for officer, codes in selectors.languages_by_officer(request.auth)
    ]


@router.put(
    "/duty/languages/{officer_id}",
    response={200: LanguagesOut, **WRITE},
    summary="The languages an officer speaks",
)
@api_area(Area.DUTY)
def set_languages(request, officer_id: ApiId, body: LanguagesIn):
    codes = services.set_languages(by=request.auth, officer_id=officer_id, languages=body.languages)
    return {"officer": officer_id, "languages": codes}


@router.get(
    "/duty/coverage",
    response={200: list[CoverageOut], **READ},
    summary="Language coverage of the airport desk",
)
@api_area(Area.DUTY_READ)
def airport_coverage(request, start: Query[ApiDate], days: int = 7, gaps_only: bool = False):
    days = min(max(days, 1), 31)
    rows = (coverage.language_gaps if gaps_only else coverage.airport_coverage)(
        request.auth, start=start, days=days
    )
    return [
        {
            "day": r.day,
            "shift": r.shift.pk if r.shift else None,
            "spoken": sorted(r.spoken),
            "needed": dict(r.needed),
            "unknown": sum(f.unknown for f in r.flights),
            "missing": [
                {"language": code, "travelers": n, "flights": flights}
                for code, n, flights in r.missing
            ],
        }
        for r in rows
    ]


@router.get("/duty/log", response={200: list[EntryOut], **READ}, summary="The duty log")
@api_area(Area.DUTY_READ)
def list_log(request, filters: Query[LogQuery]):
    entries = selectors.log_list(request.auth, selectors.LogFilter(**filters.dict()))
    audit.record_reads(LogEntry, entries, note="duty log (API)")
    return [_entry_out(e) for e in entries]


def _entry(request, pk: int) -> LogEntry:
    try:
        return selectors.log_entry(request.auth, pk)
    except LogEntry.DoesNotExist as error:
        raise Http404 from error


@router.get("/duty/log/{entry_id}", response={200: EntryOut, **READ}, summary="One log entry")
@api_area(Area.DUTY_READ)
def log_entry(request, entry_id: ApiId):
    entry = _entry(request, entry_id)
    audit.record_read(entry, note="duty log entry (API)")
    return _entry_out(entry)


def _entry_input(body: EntryIn) -> log.EntryInput:
    return log.EntryInput(
        text=body.text,
        at=body.at,
        arrival_id=body.arrival,
        batch_id=body.batch,
        case_id=body.case,
        organization_id=body.organization,
        incident_id=body.incident,
    )


@router.post("/duty/log", response={201: EntryOut, **WRITE}, summary="Write a log entry")
@api_area(Area.DUTY)
def write_entry(request, body: EntryIn):
    return Status(201, _entry_out(log.log(by=request.auth, data=_entry_input(body))))


@router.post(
    "/duty/log/{entry_id}/corrections",
    response={201: EntryOut, **WRITE},
    summary="Correct a log entry (a new entry pointing to it)",
)
@api_area(Area.DUTY)
def correct_entry(request, entry_id: ApiId, body: EntryIn):
    entry = _entry(request, entry_id)
    return Status(
        201, _entry_out(log.correct(by=request.auth, entry=entry, data=_entry_input(body)))
    )
