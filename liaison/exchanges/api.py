"""The exchanges desk's API: the same services and access rules as the pages (the exchange
officer writes, leadership reads), every refusal in the one error shape."""

from __future__ import annotations

from datetime import date, datetime

from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from liaison.contacts.api import CommitmentIn  # one body for a commitment, wherever made
from liaison.core import audit
from liaison.core.access import Area
from liaison.core.api_auth import api_area
from liaison.core.api_errors import REFUSALS, Errors
from liaison.core.models import AuditEntry
from liaison.core.params import ApiDate, ApiDateTime, ApiId
from liaison.core.refusals import Refused
from liaison.directory.models import Person
from liaison.exchanges import follow_ups, minutes, selectors, services, time_zones
from liaison.exchanges.models import Conference

router = Router(tags=["exchanges"])
WRITE = {400: Errors, 404: Errors, 409: Errors, **REFUSALS}


class CountryIn(Schema):
    country: str
    time_zone: str = ""


class ParticipantIn(Schema):
    side: str
    role: str
    person: ApiId | None = None
    # Someone not in the directory yet: their organization and name (added to the directory).
    organization: ApiId | None = None
    name_latin: str = ""
    name_native: str = ""
    name_zh: str = ""
    title_zh: str = ""
    title_en: str = ""


class AgendaIn(Schema):
    title_zh: str = ""
    title_en: str = ""
    presenter: ApiId | None = None
    minutes: int | None = None


class ConferenceIn(Schema):
    title_zh: str
    title_en: str
    starts_at: ApiDateTime
    ends_at: ApiDateTime
    platform: str
    arranged_by: ApiId | None = None
    platform_detail: str = ""
    summary_zh: str = ""
    summary_en: str = ""
    countries: list[CountryIn] = []
    organizations: list[ApiId] = []
    participants: list[ParticipantIn] = []
    agenda: list[AgendaIn] = []


class QuestionIn(Schema):
    asked_by: ApiId  # a participant's person id
    question_zh: str = ""
    question_en: str = ""
    answered_by: ApiId | None = None
    answer_zh: str = ""
    answer_en: str = ""


class TimeOut(Schema):
    side: str
    time_zone: str
    starts_at: datetime
    ends_at: datetime


class PersonOut(Schema):
    person: int
    name_native: str
    name_latin: str
    name_zh: str
    organization: int
    side: str
    role: str


class AgendaOut(Schema):
    title_zh: str
    title_en: str
    presenter: int | None
    minutes: int | None


class QuestionOut(Schema):
    id: int
    asked_by: int
    question_zh: str
    question_en: str
    answered_by: int | None
    answer_zh: str
    answer_en: str


class MaterialOut(Schema):
    id: int
    title: str
    language: str
    version: int
    visibility: str
    content_type: str
    size: int
    shared_by: int | None


class FollowUpOut(Schema):
    id: int
    side: str
    description: str
    due_on: date
    status: str
    owner: str


class ConferenceSummary(Schema):
    id: int
    title_zh: str
    title_en: str
    starts_at: datetime
    ends_at: datetime
    status: str
    countries: list[str]
    arranged_by: int | None


class ConferenceOut(ConferenceSummary):
    platform: str
    platform_detail: str
    summary_zh: str
    summary_en: str
    finalized_at: datetime | None
    times: list[TimeOut]
    organizations: list[int]
    participants: list[PersonOut]
    agenda: list[AgendaOut]
    questions: list[QuestionOut]
    materials: list[MaterialOut]
    follow_ups: list[FollowUpOut]


def _summary(c: Conference) -> dict:
    return {
        "id": c.pk,
        "title_zh": c.title_zh,
        "title_en": c.title_en,
        "starts_at": c.starts_at,
        "ends_at": c.ends_at,
        "status": c.status,
        "countries": [entry.country.code for entry in c.countries.all()],
        "arranged_by": c.arranged_by_id,
    }


def _detail(request, pk: int) -> Conference:
    try:
        return selectors.conference_detail(request.auth, pk)
    except Conference.DoesNotExist as error:
        raise Http404 from error


def _out(request, pk: int) -> dict:
    c = _detail(request, pk)
    audit.record_reads(Person, selectors.people_shown(c), note="conference (API)")
    return {
        **_summary(c),
        "platform": c.platform,
        "platform_detail": c.platform_detail,
        "summary_zh": c.summary_zh,
        "summary_en": c.summary_en,
        "finalized_at": c.finalized_at,
        "times": [
            {"side": t.label, "time_zone": t.zone, "starts_at": t.starts, "ends_at": t.ends}
            for t in time_zones.local_times(c)
        ],
        "organizations": [o.pk for o in c.organizations.all()],
        "participants": [
            {
                "person": p.person_id,
                "name_native": p.person.name_native,
                "name_latin": p.person.name_latin,
                "name_zh": p.person.name_zh,
                "organization": p.person.organization_id,
                "side": p.side,
                "role": p.role,
            }
            for p in c.participants.all()
        ],
        "agenda": [
            {
                "title_zh": a.title_zh,
                "title_en": a.title_en,
                "presenter": a.presenter_id,
                "minutes": a.minutes,
            }
            for a in c.agenda.all()
        ],
        "questions": [
            {
                "id": q.pk,
                "asked_by": q.asked_by_id,
                "question_zh": q.question_zh,
                "question_en": q.question_en,
                "answered_by": q.answered_by_id,
                "answer_zh": q.answer_zh,
                "answer_en": q.answer_en,
            }
            for q in c.questions.all()
        ],
        "materials": [
            {
                "id": m.pk,
                "title": m.title,
                "language": m.language,
                "version": m.version,
                "visibility": m.visibility,
                "content_type": m.content_type,
                "size": m.size,
                "shared_by": m.shared_by_id,
            }
            for m in c.materials.all()
        ],
        "follow_ups": [
            {
                "id": f.pk,
                "side": f.side,
                "description": f.description,
                "due_on": f.due_on,
                "status": f.status,
                "owner": f.owner,
            }
            for f in follow_ups.of_conference(c)
        ],
    }


def _plan(body: ConferenceIn) -> services.Plan:
    return services.Plan(
        title_zh=body.title_zh,
        title_en=body.title_en,
        starts_at=body.starts_at,
        ends_at=body.ends_at,
        platform=body.platform,
        arranged_by_id=body.arranged_by,
        platform_detail=body.platform_detail,
        summary_zh=body.summary_zh,
        summary_en=body.summary_en,
        countries=tuple(services.CountryInput(c.country, c.time_zone) for c in body.countries),
        organization_ids=tuple(body.organizations),
        participants=tuple(
            services.ParticipantInput(
                side=p.side,
                role=p.role,
                person_id=p.person,
                organization_id=p.organization,
                name_latin=p.name_latin,
                name_native=p.name_native,
                name_zh=p.name_zh,
                title_zh=p.title_zh,
                title_en=p.title_en,
            )
            for p in body.participants
        ),
        agenda=tuple(
            services.AgendaInput(
                title_zh=a.title_zh,
                title_en=a.title_en,
                presenter_id=a.presenter,
                minutes=a.minutes,
            )
            for a in body.agenda
        ),
    )


@router.get(
    "/exchanges/conferences",
    response={200: list[ConferenceSummary], 400: Errors, **REFUSALS},
    summary="Conferences, upcoming first",
)
@api_area(Area.EXCHANGES_READ)
def list_conferences(
    request,
    when: str = "all",
    country: str = "",
    status: str = "",
    q: str = "",
    ended_from: ApiDate | None = None,
    ended_until: ApiDate | None = None,
):
    if when not in selectors.WHEN:
        raise Refused(_("Choose upcoming, past or all."), "when")
    found = selectors.conference_list(
        request.auth,
        when=when,
        country=country.upper()[:2],
        status=status[:20],
        query=q[:100],
        ended_from=ended_from,
        ended_until=ended_until,
    )
    return [_summary(c) for c in found]


@router.get(
    "/exchanges/conferences/{conference_id}",
    response={200: ConferenceOut, 400: Errors, 404: Errors, **REFUSALS},
    summary="A conference with its participants, agenda, questions, materials and follow-ups",
)
@api_area(Area.EXCHANGES_READ)
def get_conference(request, conference_id: ApiId):
    return _out(request, conference_id)


@router.post(
    "/exchanges/conferences",
    response={201: ConferenceOut, **WRITE},
    summary="Plan a conference",
)
@api_area(Area.EXCHANGES)
def plan_conference(request, body: ConferenceIn):
    conference = services.plan_conference(plan=_plan(body), by=request.auth)
    return Status(201, _out(request, conference.pk))


@router.put(
    "/exchanges/conferences/{conference_id}",
    response={200: ConferenceOut, **WRITE},
    summary="Revise a conference's plan (409 once its minutes are finalized)",
)
@api_area(Area.EXCHANGES)
def revise_conference(request, conference_id: ApiId, body: ConferenceIn):
    conference = _detail(request, conference_id)
    services.revise_conference(conference=conference, plan=_plan(body), by=request.auth)
    return _out(request, conference_id)


@router.post(
    "/exchanges/conferences/{conference_id}/questions",
    response={201: QuestionOut, **WRITE},
    summary="Record a question and its answer",
)
@api_area(Area.EXCHANGES)
def record_question(request, conference_id: ApiId, body: QuestionIn):
    question = services.record_question(
        conference=_detail(request, conference_id),
        asked_by_id=body.asked_by,
        question_zh=body.question_zh,
        question_en=body.question_en,
        answered_by_id=body.answered_by,
        answer_zh=body.answer_zh,
        answer_en=body.answer_en,
        by=request.auth,
    )
    return Status(
        201,
        {
            "id": question.pk,
            "asked_by": question.asked_by_id,
            "question_zh": question.question_zh,
            "question_en": question.question_en,
            "answered_by": question.answered_by_id,
            "answer_zh": question.answer_zh,
            "answer_en": question.answer_en,
        },
    )


@router.post(
    "/exchanges/conferences/{conference_id}/materials",
    response={201: MaterialOut, **WRITE},
    summary="Share a material (PDF, image, DOCX, XLSX, PPTX; checked by content)",
)
@api_area(Area.EXCHANGES)
def share_material(
    request,
    conference_id: ApiId,
    file: File[UploadedFile],
    title: Form[str],
    language: Form[str],
    visibility: Form[str],
    version: Form[int] = 1,
    shared_by: Form[ApiId | None] = None,
):
    material = services.share_material(
        conference=_detail(request, conference_id),
        upload=file,
        title=title,
        language=language,
        version=version,
        visibility=visibility,
        shared_by_id=shared_by,
        by=request.auth,
    )
    return Status(
        201,
        {
            "id": material.pk,
            "title": material.title,
            "language": material.language,
            "version": material.version,
            "visibility": material.visibility,
            "content_type": material.content_type,
            "size": material.size,
            "shared_by": material.shared_by_id,
        },
    )


@router.post(
    "/exchanges/conferences/{conference_id}/follow-ups",
    response={201: FollowUpOut, **WRITE},
    summary="Record a follow-up as a commitment in the ledger",
)
@api_area(Area.EXCHANGES)
def record_follow_up(request, conference_id: ApiId, body: CommitmentIn):
    commitment = follow_ups.record(
        conference=_detail(request, conference_id),
        side=body.side,
        description=body.description,
        due_on=body.due_on,
        owner_user_id=body.owner_user_id,
        owner_person_id=body.owner_person_id,
        owner_organization_id=body.owner_organization_id,
        by=request.auth,
    )
    return Status(
        201,
        {
            "id": commitment.pk,
            "side": commitment.side,
            "description": commitment.description,
            "due_on": commitment.due_on,
            "status": commitment.status,
            "owner": commitment.owner,
        },
    )


@router.post(
    "/exchanges/conferences/{conference_id}/finalize",
    response={200: ConferenceOut, **WRITE},
    summary="Finalize the minutes (then locked: every change answers 409)",
)
@api_area(Area.EXCHANGES)
def finalize(request, conference_id: ApiId):
    services.finalize_minutes(conference=_detail(request, conference_id), by=request.auth)
    return _out(request, conference_id)


@router.get(
    "/exchanges/conferences/{conference_id}/minutes.pdf",
    response={200: None, 400: Errors, 404: Errors, **REFUSALS},
    summary="The bilingual minutes as PDF",
)
@api_area(Area.EXCHANGES_READ)
def minutes_pdf(request, conference_id: ApiId):
    conference = _detail(request, conference_id)
    audit.record_reads(
        Person,
        selectors.people_shown(conference),
        note="minutes PDF (API)",
        action=AuditEntry.Action.EXPORT,
    )
    response = HttpResponse(minutes.minutes_pdf(conference), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="minutes-{conference.pk}.pdf"'
    return response
