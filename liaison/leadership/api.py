"""The leadership desk's API: the live figures, the briefings (drafted, their highlights
written, approved) and their comparison — the same services and access rules as the pages, the
one error shape. Figures come with the link to their list only for a client who may open it."""

from __future__ import annotations

from datetime import date, datetime

from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError

from liaison.core.access import Area
from liaison.core.api_auth import api_area
from liaison.core.api_errors import REFUSALS, Errors
from liaison.core.params import ApiDate, ApiId
from liaison.leadership import figures, present, selectors, services
from liaison.leadership.models import Briefing

router = Router(tags=["leadership"])
ANSWERS = {400: Errors, 404: Errors, 409: Errors, **REFUSALS}


class LeadershipFigureOut(Schema):
    key: str
    value: int
    table: str
    row: list[str | int]
    col: list[str | int]
    url: str


class LeadershipDashboardOut(Schema):
    day: date
    since: date
    cutoff: datetime
    figures: list[LeadershipFigureOut]


class BriefingOut(Schema):
    id: int
    day: date
    cutoff: datetime
    status: str
    drafted_at: datetime
    drafted_by: str | None
    approved_at: datetime | None
    approved_by: str | None


class BriefingDetailOut(BriefingOut):
    highlights_zh: str
    highlights_en: str
    figures: list[LeadershipFigureOut]


class LeadershipDashboardQuery(Schema):
    day: ApiDate | None = None


class BriefingDraftIn(Schema):
    day: ApiDate


class BriefingHighlightsIn(Schema):
    highlights_zh: str = Field("", max_length=services.MAX_HIGHLIGHTS)
    highlights_en: str = Field("", max_length=services.MAX_HIGHLIGHTS)


class BriefingCompareQuery(Schema):
    a: ApiId
    b: ApiId


class BriefingComparisonOut(Schema):
    key: str
    a: int | None
    b: int | None
    change: int | None


def _figures(snap: dict, user) -> list[dict]:
    return [
        {
            "key": key,
            "value": cell["value"],
            "table": cell["table"],
            "row": cell["row"],
            "col": cell["col"],
            "url": present.link_of(cell, user),
        }
        for key, cell in figures.flat(snap).items()
    ]


def _out(briefing: Briefing) -> dict:
    return {
        "id": briefing.pk,
        "day": briefing.day,
        "cutoff": briefing.cutoff,
        "status": briefing.status,
        "drafted_at": briefing.drafted_at,
        "drafted_by": briefing.drafted_by.username if briefing.drafted_by_id else None,
        "approved_at": briefing.approved_at,
        "approved_by": briefing.approved_by.username if briefing.approved_by_id else None,
    }


def _detail(briefing: Briefing, user) -> dict:
    return {
        **_out(briefing),
        "highlights_zh": briefing.highlights_zh,
        "highlights_en": briefing.highlights_en,
        "figures": _figures(briefing.snapshot, user),
    }


def _briefing(request, briefing_id: int) -> Briefing:
    found = selectors.briefing(request.auth, briefing_id)
    if found is None:
        raise HttpError(404, _("No such briefing."))
    return found


@router.get(
    "/leadership/dashboard",
    response={200: LeadershipDashboardOut, 400: Errors, **REFUSALS},
    summary="Every desk's figures now, for a day and the 14 days before it",
)
@api_area(Area.LEADERSHIP)
def dashboard(request, query: Query[LeadershipDashboardQuery]):
    snap = selectors.live(request.auth, day=query.day)
    return {
        "day": snap["day"],
        "since": snap["since"],
        "cutoff": snap["cutoff"],
        "figures": _figures(snap, request.auth),
    }


@router.get(
    "/briefings",
    response={200: list[BriefingOut], **REFUSALS},
    summary="The daily briefings, latest first",
)
@api_area(Area.LEADERSHIP)
def briefing_list(request):
    return [_out(b) for b in selectors.briefings_visible_to(request.auth)[:400]]


@router.get(
    "/briefings/compare",
    response={200: list[BriefingComparisonOut], **ANSWERS},
    summary="Two briefings figure by figure",
)
@api_area(Area.LEADERSHIP)
def briefing_compare(request, query: Query[BriefingCompareQuery]):
    first, second = _briefing(request, query.a), _briefing(request, query.b)
    return [
        {"key": r["key"], "a": r["a"], "b": r["b"], "change": r["change"]}
        for r in selectors.compare(first, second)
    ]


@router.get(
    "/briefings/{briefing_id}",
    response={200: BriefingDetailOut, **ANSWERS},
    summary="One briefing: its snapshot of figures and its highlights",
)
@api_area(Area.LEADERSHIP)
def briefing_detail(request, briefing_id: ApiId):
    return _detail(_briefing(request, briefing_id), request.auth)


@router.post(
    "/briefings",
    response={201: BriefingDetailOut, **ANSWERS},
    summary="Draft the briefing of a day whose cut-off (24:00) has passed",
)
@api_area(Area.LEADERSHIP)
def briefing_draft(request, body: BriefingDraftIn):
    made = services.draft(day=body.day, by=request.auth)
    return Status(201, _detail(made, request.auth))


@router.put(
    "/briefings/{briefing_id}/highlights",
    response={200: BriefingDetailOut, **ANSWERS},
    summary="Write a draft briefing's highlights in Chinese and English",
)
@api_area(Area.LEADERSHIP)
def briefing_highlights(request, briefing_id: ApiId, body: BriefingHighlightsIn):
    found = services.write_highlights(
        briefing=_briefing(request, briefing_id),
        by=request.auth,
        zh=body.highlights_zh,
        en=body.highlights_en,
    )
    return _detail(found, request.auth)


@router.post(
    "/briefings/{briefing_id}/approve",
    response={200: BriefingDetailOut, **ANSWERS},
    summary="Approve a draft briefing (leadership): frozen from then on",
)
@api_area(Area.BRIEFING_APPROVE)
def briefing_approve(request, briefing_id: ApiId):
    found = services.approve(briefing=_briefing(request, briefing_id), by=request.auth)
    return _detail(found, request.auth)
