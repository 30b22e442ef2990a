"""The press releases' API: list, one, draft, edit (a draft only: a published one is 409),
publish, and record who it was sent to — the same services and rules as the pages."""

from __future__ import annotations

from datetime import datetime

from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status

from liaison.core import audit
from liaison.core.access import Area
from liaison.core.api_auth import api_area
from liaison.core.api_errors import REFUSALS, Errors
from liaison.core.params import ApiDateTime, ApiId
from liaison.directory.models import Person
from liaison.media import events, releases, selectors
from liaison.media.api import MediaEventOut, event_out
from liaison.media.models import BODY_MAX, SUBJECT_MAX, PressRelease

router = Router(tags=["media"])


class ReleaseIn(Schema):
    title_zh: str = Field("", max_length=SUBJECT_MAX)
    title_en: str = Field("", max_length=SUBJECT_MAX)
    body_zh: str = Field("", max_length=BODY_MAX)
    body_en: str = Field("", max_length=BODY_MAX)


class ReleaseEditIn(Schema):
    """Only the fields given change."""

    title_zh: str | None = Field(None, max_length=SUBJECT_MAX)
    title_en: str | None = Field(None, max_length=SUBJECT_MAX)
    body_zh: str | None = Field(None, max_length=BODY_MAX)
    body_en: str | None = Field(None, max_length=BODY_MAX)


class PublishIn(Schema):
    published_at: ApiDateTime | None = None


class ReleaseSendIn(Schema):
    bureau_ids: list[ApiId] = Field(default_factory=list, max_length=500)
    correspondent_ids: list[ApiId] = Field(default_factory=list, max_length=500)
    sent_at: ApiDateTime | None = None


class RecipientOut(Schema):
    bureau_id: int | None
    correspondent_id: int | None
    name: str
    sent_at: datetime


class ReleaseOut(Schema):
    id: int
    title_zh: str
    title_en: str
    published: bool
    published_at: datetime | None
    recipients: int


class ReleaseDetailOut(ReleaseOut):
    body_zh: str
    body_en: str
    sent_to: list[RecipientOut]
    events: list[MediaEventOut]


def _release_out(r: PressRelease, recipients: int) -> dict:
    return {
        "id": r.pk,
        "title_zh": r.title_zh,
        "title_en": r.title_en,
        "published": r.published,
        "published_at": r.published_at,
        "recipients": recipients,
    }


def _detail_out(r: PressRelease) -> dict:
    sent = list(selectors.recipients_of(r))
    audit.record_reads(Person, [s.correspondent for s in sent if s.correspondent_id], note="api")
    return {
        **_release_out(r, len(sent)),
        "body_zh": r.body_zh,
        "body_en": r.body_en,
        "sent_to": [
            {
                "bureau_id": s.bureau_id,
                "correspondent_id": s.correspondent_id,
                "name": str(s),
                "sent_at": s.sent_at,
            }
            for s in sent
        ],
        "events": [event_out(row) for row in events.history(selectors.release_events_of(r))],
    }


def _release(request, release_id: int) -> PressRelease:
    return get_object_or_404(selectors.releases_visible_to(request.auth), pk=release_id)


@router.get(
    "/media/releases",
    response={200: list[ReleaseOut], 400: Errors, **REFUSALS},
    summary="Press releases, newest first",
)
@api_area(Area.MEDIA_READ)
def release_list(request):
    found = selectors.with_recipient_counts(selectors.releases_visible_to(request.auth))
    return [_release_out(r, r.recipient_count) for r in found]


@router.get(
    "/media/releases/{release_id}",
    response={200: ReleaseDetailOut, 400: Errors, 404: Errors, **REFUSALS},
    summary="One press release: both languages, who it was sent to, its history",
)
@api_area(Area.MEDIA_READ)
def release_detail(request, release_id: ApiId):
    return _detail_out(_release(request, release_id))


@router.post(
    "/media/releases",
    response={201: ReleaseDetailOut, 400: Errors, **REFUSALS},
    summary="Draft a press release",
)
@api_area(Area.LIAISON)
def draft_release(request, body: ReleaseIn):
    release = releases.draft_release(by=request.auth, **body.dict())
    return Status(201, _detail_out(_release(request, release.pk)))


@router.post(
    "/media/releases/{release_id}/edits",
    response={200: ReleaseDetailOut, 400: Errors, 404: Errors, 409: Errors, **REFUSALS},
    summary="Edit a draft press release (a published one is locked: 409)",
)
@api_area(Area.LIAISON)
def edit_release(request, release_id: ApiId, body: ReleaseEditIn):
    release = _release(request, release_id)
    releases.edit_release(release=release, by=request.auth, **body.dict(exclude_none=True))
    return _detail_out(_release(request, release.pk))


@router.post(
    "/media/releases/{release_id}/publication",
    response={200: ReleaseDetailOut, 400: Errors, 404: Errors, 409: Errors, **REFUSALS},
    summary="Publish a press release in Chinese and English; it is locked from then",
)
@api_area(Area.LIAISON)
def publish_release(request, release_id: ApiId, body: PublishIn):
    release = _release(request, release_id)
    releases.publish_release(release=release, published_at=body.published_at, by=request.auth)
    return _detail_out(_release(request, release.pk))


@router.post(
    "/media/releases/{release_id}/recipients",
    response={201: ReleaseDetailOut, 400: Errors, 404: Errors, 409: Errors, **REFUSALS},
    summary="Record that a published release was sent to bureaus and correspondents",
)
@api_area(Area.LIAISON)
def send_release(request, release_id: ApiId, body: ReleaseSendIn):
    release = _release(request, release_id)
    releases.send_release(release=release, by=request.auth, **body.dict())
    return Status(201, _detail_out(_release(request, release.pk)))
