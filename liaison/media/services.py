"""The media desk's writes on requests: received, assigned, answered, declined, withdrawn,
corrected. Nothing is deleted.

Pages and the API pass the bureau, the correspondent, the officer and the spokesperson by id; an
id the directory or the staff list does not hold, or one that is not a media bureau, a person of
that bureau, an officer of the desk or one of our spokespeople, is a ``Refused`` on its field
before anything is written. Each write is one transaction with its ``MediaRequestEvent``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison.core.access import Area, can
from liaison.core.models import User
from liaison.core.params import EARLIEST, LATEST, in_range
from liaison.core.refusals import Conflict, Refused
from liaison.directory.models import MEDIA_KINDS, Organization, Person
from liaison.media import states
from liaison.media.models import (
    SUBJECT_MAX,
    TEXT_MAX,
    MediaRequest,
    MediaRequestEvent,
    RequestEventKind,
    RequestKind,
    RequestStatus,
)

S = RequestStatus


def text(value: str | None, field: str, *, limit: int, required: str = "") -> str:
    """What was typed, trimmed: required (``required`` says what to write) and not too long."""
    value = (value or "").strip()
    if required and not value:
        raise Refused(required, field)
    if len(value) > limit:
        raise Refused(
            _("This is too long: at most %(limit)d characters.") % {"limit": limit}, field
        )
    return value


def moment(value: datetime | None, field: str, *, required: str = "") -> datetime | None:
    """A time as entered: a naive one is the office's wall clock; in the app's years."""
    if value is None:
        if required:
            raise Refused(required, field)
        return None
    if timezone.is_naive(value):
        value = value.replace(tzinfo=ZoneInfo(settings.TIME_ZONE))
    if not in_range(value):
        raise Refused(
            _("Enter a date between %(earliest)s and %(latest)s.")
            % {"earliest": EARLIEST.year, "latest": LATEST.year},
            field,
        )
    return value


def bureau(pk: int | None, field: str = "bureau") -> Organization:
    if pk is None:
        raise Refused(_("Choose the media bureau that asks."), field)
    found = Organization.objects.filter(pk=pk).first()
    if found is None:
        raise Refused(_("There is no such organization in the directory."), field)
    if found.kind not in MEDIA_KINDS:
        raise Refused(_("This organization is not a media organization or bureau."), field)
    return found


def correspondent(pk: int | None, of: Organization, field: str = "correspondent") -> Person | None:
    if pk is None:
        return None
    found = Person.objects.select_related("organization").filter(pk=pk).first()
    if found is None:
        raise Refused(_("There is no such person in the directory."), field)
    if found.organization_id != of.pk:
        raise Refused(_("This correspondent is not of that bureau."), field)
    return found


def staff(pk: int | None, field: str) -> User | None:
    """One of our officers, active, whatever their desk (a director may give the interview)."""
    if pk is None:
        return None
    found = User.objects.filter(pk=pk, is_active=True, is_machine=False).exclude(role="").first()
    if found is None:
        raise Refused(_("There is no such officer."), field)
    return found


def officer(pk: int | None, field: str) -> User | None:
    """One of the desk's officers (who may write here): whom a request is assigned to."""
    found = staff(pk, field)
    if found is not None and not can(found, Area.LIAISON):
        raise Refused(_("This officer does not work at the liaison desk."), field)
    return found


def spokesperson(pk: int | None, field: str) -> Person | None:
    """A person of ours in the directory (the office's or the city's spokesperson)."""
    if pk is None:
        return None
    found = Person.objects.select_related("organization").filter(pk=pk).first()
    if found is None:
        raise Refused(_("There is no such person in the directory."), field)
    if not found.organization.is_ours:
        raise Refused(_("A spokesperson is a person of a Chinese authority."), field)
    return found


def _check_kind(kind: str) -> None:
    if kind not in RequestKind.values:
        raise Refused(_("Choose an interview, information, a visit or filming."), "kind")


def _check_times(received_at: datetime, deadline: datetime) -> None:
    if deadline < received_at:
        raise Refused(_("The deadline cannot be before the request was received."), "deadline")


def _locked(request: MediaRequest) -> MediaRequest:
    return MediaRequest.objects.select_for_update().get(pk=request.pk)


@transaction.atomic
def receive_request(
    *,
    kind: str,
    bureau_id: int | None,
    received_at: datetime | None,
    deadline: datetime | None,
    subject: str,
    by: User,
    correspondent_id: int | None = None,
    question: str = "",
    assigned_to_id: int | None = None,
) -> MediaRequest:
    """A request from the media, recorded; assigned at once when an officer is named."""
    _check_kind(kind)
    asking = bureau(bureau_id)
    person = correspondent(correspondent_id, asking)
    received_at = moment(received_at, "received_at", required=_("Say when it was received."))
    deadline = moment(deadline, "deadline", required=_("Give the deadline."))
    _check_times(received_at, deadline)
    subject = text(subject, "subject", limit=SUBJECT_MAX, required=_("Give the subject."))
    question = text(question, "question", limit=TEXT_MAX)
    assignee = officer(assigned_to_id, "assigned_to")
    request = MediaRequest.objects.create(
        kind=kind,
        bureau=asking,
        correspondent=person,
        received_at=received_at,
        deadline=deadline,
        subject=subject,
        question=question,
        recorded_by=by,
    )
    MediaRequestEvent.objects.create(
        request=request, kind=RequestEventKind.RECEIVED, to_status=S.RECEIVED, by=by
    )
    if assignee is not None:
        _assign(request, assignee, by)
    return request


def _assign(request: MediaRequest, assignee: User, by: User) -> None:
    if request.assigned_to_id == assignee.pk:
        raise Refused(_("This officer already has it."), "assigned_to")
    request.assigned_to = assignee
    states.move(request=request, to=S.ASSIGNED, by=by, data={"officer": assignee.get_username()})


@transaction.atomic
def assign_request(*, request: MediaRequest, assigned_to_id: int | None, by: User) -> MediaRequest:
    """An officer takes the request (or it is handed to another)."""
    locked = _locked(request)
    assignee = officer(assigned_to_id, "assigned_to")
    if assignee is None:
        raise Refused(_("Choose the officer."), "assigned_to")
    if S.ASSIGNED not in states.allowed_moves(locked.status):
        states.move(request=locked, to=S.ASSIGNED, by=by)  # the table's refusal
    _assign(locked, assignee, by)
    return locked


@transaction.atomic
def answer_request(
    *,
    request: MediaRequest,
    answer: str,
    by: User,
    answered_by_user_id: int | None = None,
    answered_by_person_id: int | None = None,
    answered_at: datetime | None = None,
) -> MediaRequest:
    """Who answered — one of our officers or a spokesperson — what, and when."""
    locked = _locked(request)
    if S.ANSWERED not in states.allowed_moves(locked.status):
        states.move(request=locked, to=S.ANSWERED, by=by)  # the table's refusal, a 409
    if (answered_by_user_id is None) == (answered_by_person_id is None):
        raise Refused(_("Say who answered: one of our officers or a spokesperson."), "answered_by")
    user = staff(answered_by_user_id, "answered_by_user")
    person = spokesperson(answered_by_person_id, "answered_by_person")
    answer = text(answer, "answer", limit=TEXT_MAX, required=_("Say what was answered."))
    answered_at = moment(answered_at, "answered_at") or timezone.now()
    if answered_at < locked.received_at:
        raise Refused(_("It cannot be answered before it was received."), "answered_at")
    if answered_at > timezone.now():
        raise Refused(_("It cannot be answered in the future."), "answered_at")
    locked.answer, locked.answered_at = answer, answered_at
    locked.answered_by_user, locked.answered_by_person = user, person
    states.move(
        request=locked,
        to=S.ANSWERED,
        by=by,
        data={"on_time": answered_at <= locked.deadline},
    )
    return locked


def _close(request: MediaRequest, to: RequestStatus, reason: str, by: User) -> MediaRequest:
    locked = _locked(request)
    if to not in states.allowed_moves(locked.status):
        states.move(request=locked, to=to, by=by)  # the table's refusal, a 409
    reason = text(reason, "reason", limit=TEXT_MAX, required=_("Say why."))
    locked.closed_reason, locked.closed_at = reason, timezone.now()
    states.move(request=locked, to=to, by=by, reason=reason)
    return locked


@transaction.atomic
def decline_request(*, request: MediaRequest, reason: str, by: User) -> MediaRequest:
    """We will not give it: the reason is kept, and told to them."""
    return _close(request, S.DECLINED, reason, by)


@transaction.atomic
def withdraw_request(*, request: MediaRequest, reason: str, by: User) -> MediaRequest:
    """They no longer ask (as they said, in ``reason``)."""
    return _close(request, S.WITHDRAWN, reason, by)


# What a correction may change, and how each value is kept in the event (as data).
CORRECTABLE = (
    "kind",
    "bureau_id",
    "correspondent_id",
    "received_at",
    "deadline",
    "subject",
    "question",
    "answer",
)


def _as_data(value: Any) -> Any:
    if isinstance(value, datetime):
        return timezone.localtime(value, ZoneInfo(settings.TIME_ZONE)).isoformat()
    return value


@transaction.atomic
def correct_request(
    *, request: MediaRequest, reason: str, by: User, **changes: Any
) -> MediaRequest:
    """Change what was recorded, with a reason; the event keeps each value before and after.
    ``correspondent_id=None`` given removes the correspondent; an answer is corrected only once
    there is one."""
    unknown = set(changes) - set(CORRECTABLE)
    if unknown:
        raise Refused(_("This cannot be corrected."), sorted(unknown)[0])
    reason = text(reason, "reason", limit=TEXT_MAX, required=_("Say why it is corrected."))
    locked = _locked(request)
    if "kind" in changes:
        _check_kind(changes["kind"])
    asking = bureau(changes["bureau_id"]) if "bureau_id" in changes else locked.bureau
    if "correspondent_id" in changes or "bureau_id" in changes:
        pk = changes.get("correspondent_id", locked.correspondent_id)
        changes["correspondent_id"] = getattr(correspondent(pk, asking), "pk", None)
    for name in ("received_at", "deadline"):
        if name in changes:
            changes[name] = moment(changes[name], name, required=_("Give the time."))
    if "subject" in changes:
        changes["subject"] = text(
            changes["subject"], "subject", limit=SUBJECT_MAX, required=_("Give the subject.")
        )
    if "question" in changes:
        changes["question"] = text(changes["question"], "question", limit=TEXT_MAX)
    if "answer" in changes:
        if locked.status != S.ANSWERED:
            raise Conflict(_("Only an answered request has an answer to correct."), "answer")
        changes["answer"] = text(
            changes["answer"], "answer", limit=TEXT_MAX, required=_("Say what was answered.")
        )
    recorded = {}
    for name, value in changes.items():
        before = getattr(locked, name)
        if _as_data(before) != _as_data(value):
            recorded[name.removesuffix("_id")] = {
                "before": _as_data(before),
                "after": _as_data(value),
            }
            setattr(locked, name, value)
    _check_times(locked.received_at, locked.deadline)
    if locked.answered_at and locked.answered_at < locked.received_at:
        raise Refused(_("It cannot be answered before it was received."), "received_at")
    if not recorded:
        raise Refused(_("Nothing was changed."))
    locked.save()
    MediaRequestEvent.objects.create(
        request=locked,
        kind=RequestEventKind.CORRECTED,
        from_status=locked.status,
        to_status=locked.status,
        data=recorded,
        reason=reason,
        by=by,
    )
    return locked
