"""Press releases: drafted, edited while a draft, published (then locked), sent to bureaus and
correspondents of the directory. Each write is one transaction with its ``PressReleaseEvent``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison.core.models import User
from liaison.core.refusals import Conflict, Refused
from liaison.directory.models import MEDIA_KINDS, Organization, Person
from liaison.media.models import (
    BODY_MAX,
    SUBJECT_MAX,
    PressRelease,
    PressReleaseEvent,
    ReleaseEventKind,
    ReleaseRecipient,
)
from liaison.media.services import moment, text

FIELDS = ("title_zh", "title_en", "body_zh", "body_en")
LIMITS = {
    "title_zh": SUBJECT_MAX,
    "title_en": SUBJECT_MAX,
    "body_zh": BODY_MAX,
    "body_en": BODY_MAX,
}


def _texts(values: dict[str, str]) -> dict[str, str]:
    cleaned = {name: text(values.get(name), name, limit=LIMITS[name]) for name in values}
    return cleaned


def _needs_a_title(release: PressRelease) -> None:
    if not (release.title_zh or release.title_en):
        raise Refused(_("Give the title, in Chinese or English."), "title_zh")


@transaction.atomic
def draft_release(
    *, by: User, title_zh: str = "", title_en: str = "", body_zh: str = "", body_en: str = ""
) -> PressRelease:
    values = _texts(
        {"title_zh": title_zh, "title_en": title_en, "body_zh": body_zh, "body_en": body_en}
    )
    release = PressRelease(drafted_by=by, **values)
    _needs_a_title(release)
    release.save()
    PressReleaseEvent.objects.create(release=release, kind=ReleaseEventKind.DRAFTED, by=by)
    return release


def _locked(release: PressRelease) -> PressRelease:
    locked = PressRelease.objects.select_for_update().get(pk=release.pk)
    return locked


def _draft(release: PressRelease) -> PressRelease:
    locked = _locked(release)
    if locked.published:
        raise Conflict(_("This press release is published; it is kept as it was."))
    return locked


@transaction.atomic
def edit_release(*, release: PressRelease, by: User, **changes: Any) -> PressRelease:
    """A draft's titles and texts; a published release is locked (409)."""
    unknown = set(changes) - set(FIELDS)
    if unknown:
        raise Refused(_("This cannot be changed."), sorted(unknown)[0])
    locked = _draft(release)
    recorded = {}
    for name, value in _texts(changes).items():
        if getattr(locked, name) != value:
            recorded[name] = {"before": getattr(locked, name), "after": value}
            setattr(locked, name, value)
    _needs_a_title(locked)
    if not recorded:
        raise Refused(_("Nothing was changed."))
    locked.save()
    PressReleaseEvent.objects.create(
        release=locked, kind=ReleaseEventKind.EDITED, data=recorded, by=by
    )
    return locked


@transaction.atomic
def publish_release(
    *, release: PressRelease, by: User, published_at: datetime | None = None
) -> PressRelease:
    """Published in both languages, at ``published_at`` (now unless given); locked from then."""
    locked = _draft(release)
    missing = [name for name in FIELDS if not getattr(locked, name)]
    if missing:
        raise Refused(
            problems=[
                (name, _("A press release is published in Chinese and English."))
                for name in missing
            ]
        )
    when = moment(published_at, "published_at") or timezone.now()
    if when > timezone.now():
        raise Refused(_("It cannot be published in the future."), "published_at")
    locked.published_at, locked.published_by = when, by
    locked.save()
    PressReleaseEvent.objects.create(release=locked, kind=ReleaseEventKind.PUBLISHED, by=by)
    return locked


def _media_bureau(pk: int, field: str) -> Organization:
    found = Organization.objects.filter(pk=pk).first()
    if found is None:
        raise Refused(_("There is no such organization in the directory."), field)
    if found.kind not in MEDIA_KINDS:
        raise Refused(_("This organization is not a media organization or bureau."), field)
    return found


def _media_person(pk: int, field: str) -> Person:
    found = Person.objects.select_related("organization").filter(pk=pk).first()
    if found is None:
        raise Refused(_("There is no such person in the directory."), field)
    if found.organization.kind not in MEDIA_KINDS:
        raise Refused(_("This person is not of a media organization."), field)
    return found


@transaction.atomic
def send_release(
    *,
    release: PressRelease,
    by: User,
    bureau_ids: Sequence[int] = (),
    correspondent_ids: Sequence[int] = (),
    sent_at: datetime | None = None,
) -> list[ReleaseRecipient]:
    """Record that a published release was sent to these bureaus and correspondents."""
    locked = _locked(release)
    if not locked.published:
        raise Conflict(_("Publish the press release before sending it."))
    if not bureau_ids and not correspondent_ids:
        raise Refused(_("Choose at least one bureau or correspondent."), "recipients")
    when = moment(sent_at, "sent_at") or timezone.now()
    if when < locked.published_at:
        raise Refused(_("It cannot be sent before it was published."), "sent_at")
    if when > timezone.now():
        raise Refused(_("It cannot be sent in the future."), "sent_at")
    already_bureaus = set(locked.recipients.values_list("bureau_id", flat=True))
    already_people = set(locked.recipients.values_list("correspondent_id", flat=True))
    rows = []
    for number, pk in enumerate(bureau_ids):
        field = f"bureau_ids.{number}"
        found = _media_bureau(pk, field)
        if found.pk in already_bureaus:
            raise Refused(_("It was already sent to this recipient."), field)
        already_bureaus.add(found.pk)
        rows.append(ReleaseRecipient(release=locked, bureau=found, sent_at=when, sent_by=by))
    for number, pk in enumerate(correspondent_ids):
        field = f"correspondent_ids.{number}"
        found = _media_person(pk, field)
        if found.pk in already_people:
            raise Refused(_("It was already sent to this recipient."), field)
        already_people.add(found.pk)
        rows.append(ReleaseRecipient(release=locked, correspondent=found, sent_at=when, sent_by=by))
    created = ReleaseRecipient.objects.bulk_create(rows)
    PressReleaseEvent.objects.create(
        release=locked,
        kind=ReleaseEventKind.SENT,
        data={"bureaus": len(bureau_ids), "correspondents": len(correspondent_ids)},
        by=by,
    )
    return created
