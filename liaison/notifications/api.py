"""A user's own notifications in the API: the list and marking read, through the same selectors
and services as the page (every staff role: ``Area.HOME``)."""

from __future__ import annotations

from datetime import datetime

from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from liaison.core import audit
from liaison.core.access import Area
from liaison.core.api_auth import api_area
from liaison.core.api_errors import REFUSALS, Errors
from liaison.core.refusals import Refused
from liaison.notifications import selectors, services
from liaison.notifications.models import Notification

router = Router(tags=["notifications"])
PAGE_SIZE = 50


class InboxItemOut(Schema):
    id: int
    kind: str
    title: str
    subject_code: str
    data: dict
    link: str
    urgent: bool
    created_at: datetime
    read_at: datetime | None


class NotificationsOut(Schema):
    unread: int
    items: list[InboxItemOut]


class ListFilters(Schema):
    unread: bool = False
    offset: int = Field(0, ge=0, le=1_000_000)


class MarkReadIn(Schema):
    ids: list[int] = Field(default_factory=list, max_length=500)
    all: bool = False


class MarkedOut(Schema):
    marked: int


@router.get("/me/notifications", response={200: NotificationsOut, 400: Errors, **REFUSALS})
@api_area(Area.HOME)
def notification_list(request, filters: Query[ListFilters]):
    shown = selectors.notifications_of(request.auth, unread_only=filters.unread)
    page = list(shown[filters.offset : filters.offset + PAGE_SIZE])
    audit.record_reads(Notification, page, note="notifications API")
    items = [
        InboxItemOut(
            id=n.pk,
            kind=n.kind,
            title=title,
            subject_code=n.subject_code,
            data=n.data,
            link=n.link,
            urgent=n.urgent,
            created_at=n.created_at,
            read_at=n.read_at,
        )
        for n, title in selectors.rendered(page)
    ]
    return {"unread": selectors.unread_count(request.auth), "items": items}


@router.post("/me/notifications/read", response={200: MarkedOut, 400: Errors, **REFUSALS})
@api_area(Area.HOME)
def mark_read(request, body: MarkReadIn):
    if not body.all and not body.ids:
        raise Refused(_("Choose the notifications to mark read."), field="ids")
    ids = None if body.all else [i for i in body.ids if 0 < i < 2**63]
    return {"marked": services.mark_read(user=request.auth, ids=ids)}
