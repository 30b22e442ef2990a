"""Consular notifications: drafted from a case or from the pipeline's disposition, reviewed by
someone other than the drafter, sent, acknowledged or cancelled — each one transaction with its
case event. The cases themselves are ``services``.

Bad input raises ``core.refusals.Refused`` naming the field it concerns (``Conflict`` when the
notification's state does not allow it), before anything is written.
"""

from collections.abc import Iterable
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison.arrivals.choices import region_of_permit
from liaison.arrivals.models import Arrival
from liaison.assistance import events, notices, workflow
from liaison.assistance.models import (
    AssistanceCase,
    CaseEvent,
    ConsularNotification,
)
from liaison.assistance.services import HOME_COUNTRY, case_event, locked_case
from liaison.core import audit, bulk_rows
from liaison.core.models import Jurisdiction, User
from liaison.core.names import native_name
from liaison.core.refusals import Conflict, Refused
from liaison.directory.models import Organization
from liaison.directory.serving import mission_serving

# --- Consular notifications -----------------------------------------------------------------------


def _compose(*, mission: Organization, reason: str, person, on, place: str, done: str):
    return notices.compose(
        language=notices.language_for(mission.languages),
        reason=reason,
        mission_name_zh=mission.name_zh,
        mission_name_en=mission.name_en,
        person_name=person.name,
        person_name_latin=person.name_latin,
        nationality=person.nationality,
        document_number=person.document_number,
        on=on,
        place=place,
        done=done,
    )


@dataclass(frozen=True)
class Person:
    """Who a notification is about, whatever record it comes from."""

    name: str
    name_latin: str
    nationality: str
    document_number: str
    jurisdiction: Jurisdiction | None = None

    @classmethod
    def of_case(cls, case: AssistanceCase) -> "Person":
        return cls(
            name=case.person_name,
            name_latin=case.person_name_latin,
            nationality=str(case.nationality),
            document_number=case.document_number,
            jurisdiction=case.jurisdiction,
        )

    @classmethod
    def of_arrival(cls, arrival) -> "Person":
        """An arrival's identity (liaison.arrivals.models.Arrival: names in both scripts)."""

        def joined(*names: str) -> str:
            return " ".join(str(getattr(arrival, n, "") or "").strip() for n in names).strip()

        latin = joined("surname_latin", "given_names_latin")
        # As its script writes it: "김민준", "عمر الحسن" (liaison.core.names).
        native = native_name(
            str(getattr(arrival, "surname_native", "") or ""),
            str(getattr(arrival, "given_names_native", "") or ""),
        )
        return cls(
            name=native or latin,
            name_latin=latin,
            # A resident of Hong Kong or Macao (Chinese, on their permit) is told to its office.
            nationality=region_of_permit(
                str(getattr(arrival, "document_type", "") or ""),
                str(getattr(arrival, "document_number", "") or ""),
            )
            or str(getattr(arrival, "nationality", "") or "").upper(),
            document_number=str(getattr(arrival, "document_number", "") or ""),
            jurisdiction=getattr(arrival, "jurisdiction", None),
        )


@transaction.atomic
def draft_notification(
    *, case: AssistanceCase, mission: Organization, by: User
) -> ConsularNotification:
    """Draft a notification about the case's person to a mission, in its language or English."""
    case = locked_case(case)
    if not mission.active:
        raise Refused(_("This mission is no longer in the directory."), "mission")
    actions = case.events.filter(type=CaseEvent.Type.ACTION).order_by("at", "id")
    done = "\n".join(f"- {timezone.localdate(event.at)} {event.text}" for event in actions)
    place = case.location_city or (case.jurisdiction.name_en if case.jurisdiction else "")
    letter = _compose(
        mission=mission,
        reason=ConsularNotification.Reason.ASSISTANCE_CASE,
        person=Person.of_case(case),
        on=timezone.localdate(case.opened_at),
        place=place,
        done=done,
    )
    notification = ConsularNotification.objects.create(
        mission=mission,
        case=case,
        reason=ConsularNotification.Reason.ASSISTANCE_CASE,
        person_name=case.person_name,
        person_name_latin=case.person_name_latin,
        nationality=case.nationality,
        document_number=case.document_number,
        language=letter.language,
        subject=letter.subject,
        body=letter.body,
        drafted_by=by,
    )
    if not case.missions.filter(pk=mission.pk).exists():
        case.missions.add(mission)
    case_event(
        case,
        type=CaseEvent.Type.NOTIFICATION,
        by=by,
        kind=events.DRAFTED,
        notification=notification.pk,
        ref=notification.reference,
        mission=mission.pk,
    )
    return notification


# The dispositions of the arrival pipeline (policy vocabulary) a mission is told about.
NOTIFIED_DISPOSITIONS = {
    "hospital": ConsularNotification.Reason.HOSPITAL,
    "centralized_quarantine": ConsularNotification.Reason.CENTRALIZED_QUARANTINE,
    "home_quarantine": ConsularNotification.Reason.HOME_QUARANTINE,
    "diplomatic_arrangement": ConsularNotification.Reason.DIPLOMATIC_ARRANGEMENT,
}


def draft_for_disposition(
    *, arrival: Arrival, disposition: str, decided_by: User | None = None
) -> ConsularNotification | None:
    """Draft the notification a foreign national's hospital or quarantine disposition calls for.

    Called by the arrival pipeline when it records a disposition. Returns the draft, the one
    already drafted for this arrival and disposition (it is made once), or None when nobody is
    to be told: a Chinese national, a disposition that is not hospital or quarantine, or no
    mission in the directory serving that nationality here. Nothing is sent: an officer reviews
    the draft and marks it sent.
    """
    told = _who_is_told(arrival, disposition)
    if told is None:
        return None
    key, reason, person = told
    existing = ConsularNotification.objects.filter(source_key=key).first()
    if existing is not None:
        return existing
    mission = mission_serving(nationality=person.nationality, jurisdiction=person.jurisdiction)
    if mission is None:
        return None
    draft = ConsularNotification(
        **_arrival_draft(
            arrival,
            key=key,
            reason=reason,
            person=person,
            mission=mission,
            drafter_id=_drafter_id(decided_by),
            on=timezone.localdate(),
        )
    )
    with _drafting_as(decided_by):
        try:
            with transaction.atomic():
                draft.save(force_insert=True)
                return draft
        except IntegrityError:
            # Drafted at the same moment by a concurrent call: that one stands.
            return ConsularNotification.objects.get(source_key=key)


def draft_for_dispositions(
    *, decided: Iterable[tuple[Arrival, str]], decided_by: User | None = None
) -> list[int]:
    """``draft_for_disposition`` for many arrivals at once (a laboratory's results file).

    The same drafts and audit entries, written set-based: one query for the drafts already
    made, one directory lookup per nationality and jurisdiction, one bulk insert. Returns the
    new drafts' ids (not those made before).
    """
    told: dict[str, tuple[Arrival, str, str, Person]] = {}
    for arrival, disposition in decided:
        who = _who_is_told(arrival, disposition)
        if who is not None:
            key, reason, person = who
            told[key] = (arrival, str(disposition), reason, person)
    existing = set(
        ConsularNotification.objects.filter(source_key__among=list(told)).values_list(
            "source_key", flat=True
        )
    )
    missions: dict[tuple[str, int | None], Organization | None] = {}
    drafts = []
    drafter_id = _drafter_id(decided_by)
    today = timezone.localdate()  # one day for the file's drafts, as one moment for its rows
    for key, (arrival, _disposition, reason, person) in told.items():
        if key in existing:
            continue
        place = (person.nationality, person.jurisdiction.pk if person.jurisdiction else None)
        if place not in missions:
            missions[place] = mission_serving(
                nationality=person.nationality, jurisdiction=person.jurisdiction
            )
        if missions[place] is not None:
            drafts.append(
                _arrival_draft(
                    arrival,
                    key=key,
                    reason=reason,
                    person=person,
                    mission=missions[place],
                    drafter_id=drafter_id,
                    on=today,
                )
            )
    if not drafts:
        return []
    with _drafting_as(decided_by):
        try:
            with transaction.atomic():
                ids = bulk_rows.insert_values(ConsularNotification, drafts)
        except IntegrityError:
            # Some were drafted at the same moment by a concurrent call: one at a time, then,
            # as the single path does (those stand).
            singles = (
                draft_for_disposition(
                    arrival=arrival, disposition=disposition, decided_by=decided_by
                )
                for arrival, disposition, _reason, _person in (
                    told[d["source_key"]] for d in drafts
                )
            )
            return [n.pk for n in singles if n is not None]
        audit.record_many("create", ConsularNotification, ids)
    return ids


def _who_is_told(arrival: Arrival, disposition: str) -> tuple[str, str, Person] | None:
    """The draft's key, reason and person when this disposition is told to a mission."""
    reason = NOTIFIED_DISPOSITIONS.get(str(disposition))
    if reason is None or arrival.pk is None:
        return None
    person = Person.of_arrival(arrival)
    if not person.nationality or person.nationality == HOME_COUNTRY:
        return None
    return f"arrival:{arrival.pk}:{disposition}", reason, person


def _arrival_draft(
    arrival: Arrival,
    *,
    key: str,
    reason: str,
    person: Person,
    mission: Organization,
    drafter_id: int | None,
    on: date,
) -> dict:
    """The draft's columns (``ConsularNotification(**…)``, or one row of a bulk insert), as
    written on the day ``on``."""
    letter = _compose(
        mission=mission,
        reason=reason,
        person=person,
        on=on,
        place=person.jurisdiction.name_en if person.jurisdiction else "",
        done="",
    )
    return {
        "mission_id": mission.pk,
        "arrival_id": arrival.pk,
        "source_key": key,
        "reason": reason,
        "person_name": person.name,
        "person_name_latin": person.name_latin,
        "nationality": person.nationality,
        "document_number": person.document_number,
        "language": letter.language,
        "subject": letter.subject,
        "body": letter.body,
        "drafted_by_id": drafter_id,
    }


def _drafter_id(decided_by: User | None) -> int | None:
    """Who drafted an automatic draft, for the four eyes: the officer whose decision called for
    it (the desk's override, a confirmed policy review, a laboratory's result), else the
    signed-in user whose request made the pipeline decide; nobody when no one did."""
    return decided_by.pk if decided_by is not None else audit.current().actor_id


def is_own_draft(notification: ConsularNotification, user) -> bool:
    """Four eyes: the drafter of a notification may not be the one who reviews it."""
    return notification.drafted_by_id is not None and notification.drafted_by_id == user.pk


def refuse_own_draft(notification: ConsularNotification, by: User) -> None:
    if is_own_draft(notification, by):
        raise Refused(
            _("You drafted %(ref)s; another officer reviews it (four eyes).")
            % {"ref": notification.reference},
            "status",
            status=403,
        )


def _drafting_as(decided_by: User | None):
    """An automatic draft is attributed to whoever decided, unless a request already says who."""
    if decided_by is not None and audit.current().actor_id is None:
        return audit.acting_as(decided_by)
    return nullcontext()


def _notification_locked(notification: ConsularNotification) -> ConsularNotification:
    return ConsularNotification.objects.select_for_update().get(pk=notification.pk)


def _refuse_move(notification: ConsularNotification, to: str, field: str = "status") -> None:
    if workflow.notification_may_move(notification.status, to):
        return
    if (
        notification.status
        in (
            ConsularNotification.Status.SENT,
            ConsularNotification.Status.ACKNOWLEDGED,
        )
        and to == ConsularNotification.Status.SENT
    ):
        message = _("This notification was already marked sent on %(when)s by %(who)s.") % {
            "when": timezone.localtime(notification.sent_at).strftime("%Y-%m-%d %H:%M"),
            "who": notification.sent_by,
        }
    elif to == ConsularNotification.Status.SENT:
        message = _("Review the notification before marking it sent.")
    else:
        message = _("A %(status)s notification cannot become %(to)s.") % {
            "status": notification.get_status_display(),
            "to": ConsularNotification.Status(to).label,
        }
    raise Conflict(message, field)


@transaction.atomic
def review_notification(
    *,
    notification: ConsularNotification,
    subject: str,
    body: str,
    by: User,
    reason: str = "",
) -> ConsularNotification:
    """The officer has read (and perhaps edited) the text: it may now be sent. Someone other
    than its drafter reviews it (four eyes); ``reason`` is their note (``consular_bulk``)."""
    notification = _notification_locked(notification)
    # Editing a reviewed text is a new review; a sent one is history.
    if notification.status != ConsularNotification.Status.REVIEWED:
        _refuse_move(notification, ConsularNotification.Status.REVIEWED)
    refuse_own_draft(notification, by)
    errors = {}
    if not subject.strip():
        errors["subject"] = _("Give the notification a subject.")
    if not body.strip():
        errors["body"] = _("The notification has no text.")
    if errors:
        raise Refused(problems=errors.items())
    notification.subject = subject.strip()[:300]
    notification.body = body.strip() + "\n"
    notification.status = ConsularNotification.Status.REVIEWED
    notification.reviewed_at = timezone.now()
    notification.reviewed_by = by
    notification.review_reason = reason.strip()[:500]
    notification.save()
    _notification_event(notification, by, events.REVIEWED, reason=notification.review_reason)
    return notification


@transaction.atomic
def mark_sent(
    *,
    notification: ConsularNotification,
    via: str,
    by: User,
    sent_at: datetime | None = None,
) -> ConsularNotification:
    """Record that an officer sent the reviewed notification, how and when. Only once."""
    notification = _notification_locked(notification)
    _refuse_move(notification, ConsularNotification.Status.SENT)
    if via not in ConsularNotification.Channel.values:
        raise Refused(_("Say how the notification was sent."), "sent_via")
    now = timezone.now()
    if sent_at is not None and sent_at > now + timedelta(minutes=5):
        raise Refused(_("The time sent is in the future."), "sent_at")
    notification.status = ConsularNotification.Status.SENT
    notification.sent_via = via
    notification.sent_at = sent_at or now
    notification.sent_by = by
    notification.save()
    _notification_event(notification, by, events.SENT)
    return notification


@transaction.atomic
def record_acknowledgement(
    *,
    notification: ConsularNotification,
    by: User,
    text: str = "",
    acknowledged_at: datetime | None = None,
) -> ConsularNotification:
    """The mission confirmed receipt (and perhaps said what it will do)."""
    notification = _notification_locked(notification)
    _refuse_move(notification, ConsularNotification.Status.ACKNOWLEDGED)
    now = timezone.now()
    if acknowledged_at is not None and acknowledged_at > now + timedelta(minutes=5):
        raise Refused(_("The time is in the future."), "acknowledged_at")
    if acknowledged_at is not None and acknowledged_at < notification.sent_at:
        raise Refused(
            _("The acknowledgement cannot come before the notification."), "acknowledged_at"
        )
    notification.status = ConsularNotification.Status.ACKNOWLEDGED
    notification.acknowledged_at = acknowledged_at or now
    notification.acknowledgement = text.strip()
    notification.recorded_by = by
    notification.save()
    _notification_event(notification, by, events.ACKNOWLEDGED)
    return notification


@transaction.atomic
def cancel_notification(
    *, notification: ConsularNotification, by: User, reason: str
) -> ConsularNotification:
    """A draft that must not go (the person was a Chinese national after all, say)."""
    notification = _notification_locked(notification)
    _refuse_move(notification, ConsularNotification.Status.CANCELLED)
    if not reason.strip():
        raise Refused(_("Say why the notification is cancelled."), "reason")
    notification.status = ConsularNotification.Status.CANCELLED
    notification.cancelled_at = timezone.now()
    notification.cancelled_by = by
    notification.cancel_reason = reason.strip()[:500]
    notification.save(update_fields=["status", "cancelled_at", "cancelled_by", "cancel_reason"])
    _notification_event(notification, by, events.CANCELLED, reason=reason.strip())
    return notification


def _notification_event(notification, by: User, kind: str, *, reason: str = "") -> None:
    """On the notification's case (if any): ``kind`` of ``events``; ``reason``, the officer's."""
    if notification.case_id:
        case_event(
            notification.case,
            type=CaseEvent.Type.NOTIFICATION,
            by=by,
            kind=kind,
            text=reason,
            notification=notification.pk,
            ref=notification.reference,
            mission=notification.mission_id,
        )
