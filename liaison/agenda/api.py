"""The calendar's API: the items of a range through the same selectors as the page, and the
officer's feed token (created, read, revoked) through the same services."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.urls import reverse
from django.utils import timezone, translation
from ninja import Field, Query, Router, Schema, Status

from liaison.agenda import ranges, selectors, services
from liaison.core import audit
from liaison.core.access import Area
from liaison.core.api_auth import api_area
from liaison.core.api_errors import REFUSALS, Errors
from liaison.core.params import ApiDate

router = Router(tags=["calendar"])


class RangeFilters(Schema):
    start: ApiDate | None = None  # default: today (the office's)
    end: ApiDate | None = None  # included; default: six days after the start
    whose: str = Field("desk", pattern="^(desk|mine)$")


class CalendarItemOut(Schema):
    kind: str
    id: int
    title: str
    day: date
    starts_at: datetime | None
    ends_at: datetime | None
    their_times: list[str]
    detail: str
    owner: str
    overdue: bool
    url: str


class CalendarOut(Schema):
    start: date
    end: date
    overdue: list[CalendarItemOut]
    items: list[CalendarItemOut]


class FeedIn(Schema):
    whose: str = Field("mine", pattern="^(desk|mine)$")


class FeedTokenOut(Schema):
    active: bool
    whose: str | None
    created_at: datetime | None
    last_used_at: datetime | None


class NewFeedTokenOut(FeedTokenOut):
    token: str
    url: str


def _item_out(item: selectors.Item) -> dict:
    return {
        "kind": item.kind,
        "id": item.pk,
        "title": item.title,
        "day": item.day,
        "starts_at": item.starts_at,
        "ends_at": item.ends_at,
        "their_times": list(item.their_times),
        "detail": item.detail,
        "owner": item.owner,
        "overdue": item.overdue,
        "url": item.url,
    }


def _token_out(token) -> dict:
    if token is None:
        return {"active": False, "whose": None, "created_at": None, "last_used_at": None}
    return {
        "active": token.is_active,
        "whose": "mine" if token.mine else "desk",
        "created_at": token.created_at,
        "last_used_at": token.last_used_at,
    }


@router.get(
    "/calendar/items",
    response={200: CalendarOut, 400: Errors, **REFUSALS},
    summary="The calendar of a range: contacts, conferences, commitments due, overdue first",
)
@api_area(Area.CALENDAR)
def calendar_items(request, filters: Query[RangeFilters]):
    """At most 92 days; an end before the start or a longer range is a 400."""
    first = filters.start or timezone.localdate()
    chosen = ranges.between(first, filters.end or first + timedelta(days=6))
    shown = selectors.calendar_for(request.auth, range=chosen, mine=filters.whose == "mine")
    with audit.request_context(request):
        selectors.record_calendar_read(shown.items, note="api calendar")
    return {
        "start": chosen.first,
        "end": chosen.last,
        "overdue": [_item_out(i) for i in shown.overdue],
        "items": [_item_out(i) for _day, items in shown.days for i in items],
    }


@router.get(
    "/calendar/feed-token",
    response={200: FeedTokenOut, **REFUSALS},
    summary="Whether one has a calendar feed, since when, last fetched when",
)
@api_area(Area.CALENDAR)
def feed_token(request):
    return _token_out(selectors.feed_token_of(request.auth))


@router.post(
    "/calendar/feed-token",
    response={201: NewFeedTokenOut, 400: Errors, **REFUSALS},
    summary="A new calendar feed address (shown once); the one before stops working",
)
@api_area(Area.CALENDAR)
def create_feed_token(request, body: FeedIn):
    with audit.request_context(request):
        token, secret = services.issue_feed_token(
            user=request.auth, language=translation.get_language(), mine=body.whose == "mine"
        )
    url = request.build_absolute_uri(reverse("agenda:feed", args=[secret]))
    return Status(201, {**_token_out(token), "token": secret, "url": url})


@router.post(
    "/calendar/feed-token/revocation",
    response={200: FeedTokenOut, 409: Errors, **REFUSALS},
    summary="Revoke one's calendar feed: its address stops working at once",
)
@api_area(Area.CALENDAR)
def revoke_feed_token(request):
    with audit.request_context(request):
        return _token_out(services.revoke_feed_token(user=request.auth))
