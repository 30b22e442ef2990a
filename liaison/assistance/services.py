"""Writes of the assistance desk. Each is one transaction that writes its timeline event; the
audit trail follows from ``AuditedModel`` (creates and updates) and ``audit.record``.

Bad input raises ``core.refusals.Refused`` naming the field it concerns (``Conflict`` when the
case's state does not allow it), before anything is written.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_countries import countries

from liaison.arrivals.models import Arrival
from liaison.assistance import events, selectors, workflow
from liaison.assistance.attachments import check_upload
from liaison.assistance.models import (
    AssistanceCase,
    CaseAttachment,
    CaseEvent,
    Category,
    Priority,
    Requester,
    Status,
)
from liaison.assistance.models.cases import CATEGORY_KIND, Kind
from liaison.core import audit, normalize
from liaison.core.access import Area, can
from liaison.core.countries import REGION_NOT_A_NATIONALITY, REGIONS_OF_CHINA
from liaison.core.models import Jurisdiction, User
from liaison.core.refusals import Conflict, Refused
from liaison.directory.models import Organization

HOME_COUNTRY = "CN"

DEFAULT_DUE_HOURS = {
    Priority.URGENT: 4,
    Priority.HIGH: 24,
    Priority.NORMAL: 72,
    Priority.LOW: 7 * 24,
}


def due_after(priority: str) -> timedelta:
    """How long a case of this priority may take; ``LIAISON_ASSISTANCE_DUE_HOURS`` overrides."""
    hours = {**DEFAULT_DUE_HOURS, **getattr(settings, "LIAISON_ASSISTANCE_DUE_HOURS", {})}
    return timedelta(hours=hours[priority])


def case_event(
    case: AssistanceCase,
    *,
    type: str,
    by: User | None,
    kind: str = "",
    text: str = "",
    from_status: str = "",
    to_status: str = "",
    **params,
) -> CaseEvent:
    """A timeline entry: what the system says as a code (``kind``, ``liaison.assistance.events``)
    and its ``params``, rendered in each reader's language; ``text`` only a person's own words."""
    return CaseEvent.objects.create(
        case=case,
        type=type,
        actor=by,
        text=text,
        from_status=from_status,
        to_status=to_status,
        data={"kind": kind, **params} if kind else {},
    )


def locked_case(case: AssistanceCase) -> AssistanceCase:
    return AssistanceCase.objects.select_for_update().get(pk=case.pk)


# --- Cases ----------------------------------------------------------------------------------------


@transaction.atomic
def open_case(
    *,
    person_name: str,
    nationality: str,
    category: str,
    summary: str,
    requester: str,
    opened_by: User,
    person_name_latin: str = "",
    document_number: str = "",
    phone: str = "",
    priority: str = Priority.NORMAL,
    requester_detail: str = "",
    location_country: str = "",
    location_city: str = "",
    jurisdiction: Jurisdiction | None = None,
    location_detail: str = "",
    due_at: datetime | None = None,
    missions: tuple[Organization, ...] | list[Organization] = (),
    arrival: Arrival | None = None,
) -> AssistanceCase:
    """Open a case. Its due date follows from its priority unless the officer sets an earlier one.

    A citizen abroad is wherever ``location_country`` says; anyone else is in this city (in a
    jurisdiction when known).
    """
    now = timezone.now()
    errors: dict[str, str] = {}
    person_name = person_name.strip()
    if not person_name:
        errors["person_name"] = _("Give the person's name.")
    nationality = (nationality or "").strip().upper()
    if not nationality:
        errors["nationality"] = _("Give the person's nationality.")
    elif nationality in REGIONS_OF_CHINA:
        errors["nationality"] = str(REGION_NOT_A_NATIONALITY)
    elif nationality not in countries:
        errors["nationality"] = _("“%(code)s” is not a country code.") % {"code": nationality}
    if category not in Category.values:
        errors["category"] = _("Choose a category.")
    if priority not in Priority.values:
        errors["priority"] = _("Choose a priority.")
    if requester not in Requester.values:
        errors["requester"] = _("Say who asked for help.")
    if not summary.strip():
        errors["summary"] = _("Say what is needed.")
    kind = CATEGORY_KIND.get(category)
    location_country = (location_country or "").strip().upper()
    if kind == Kind.CITIZEN_ABROAD:
        if not location_country or location_country == HOME_COUNTRY:
            errors["location_country"] = _("Give the country where the citizen is.")
        elif location_country not in countries:
            errors["location_country"] = _("“%(code)s” is not a country code.") % {
                "code": location_country
            }
    elif kind == Kind.FOREIGNER_IN_CITY:
        location_country = HOME_COUNTRY
    normalized_phone = ""
    if phone.strip():
        normalized_phone = normalize.phone_e164(phone) or ""
        if not normalized_phone:
            errors["phone"] = _("This is not a phone number (write it with its country code).")
    if due_at is not None and due_at <= now:
        errors["due_at"] = _("The due date is in the past.")
    if errors:
        raise Refused(problems=errors.items())

    case = AssistanceCase.objects.create(
        kind=kind,
        category=category,
        priority=priority,
        summary=summary.strip(),
        person_name=person_name,
        person_name_latin=person_name_latin.strip(),
        nationality=nationality,
        document_number=document_number.strip(),
        phone=normalized_phone,
        search_names=selectors.fold(f"{person_name} {person_name_latin}")[:420],
        search_document=normalize.document_number(document_number)[:40],
        arrival=arrival,
        location_country=location_country,
        location_city=location_city.strip(),
        jurisdiction=jurisdiction if kind == Kind.FOREIGNER_IN_CITY else None,
        location_detail=location_detail.strip(),
        requester=requester,
        requester_detail=requester_detail.strip(),
        opened_at=now,
        opened_by=opened_by,
        due_at=due_at or now + due_after(priority),
    )
    case_event(
        case, type=CaseEvent.Type.OPENED, by=opened_by, kind=events.OPENED, to_status=Status.NEW
    )
    for mission in missions:
        link_mission(case=case, mission=mission, by=opened_by)
    return case


@transaction.atomic
def assign(*, case: AssistanceCase, officer: User, by: User) -> AssistanceCase:
    """Give the case to an officer (a new case becomes "assigned"; a reassignment keeps status)."""
    case = locked_case(case)
    if not case.is_open:
        raise Conflict(
            _("A %(status)s case cannot be assigned; reopen it first.")
            % {"status": case.get_status_display()},
            "assigned_to",
        )
    if not can(officer, Area.ASSISTANCE):
        raise Refused(_("Only an assistance officer can take a case."), "assigned_to")
    if case.assigned_to_id == officer.pk:
        raise Conflict(
            _("The case is already assigned to %(name)s.") % {"name": officer}, "assigned_to"
        )
    from_status = case.status
    case.assigned_to = officer
    if case.status == Status.NEW:
        case.status = Status.ASSIGNED
    case.save(update_fields=["assigned_to", "status"])
    case_event(
        case,
        type=CaseEvent.Type.ASSIGNED,
        by=by,
        kind=events.ASSIGNED,
        officer=officer.pk,
        username=officer.get_username(),
        from_status=from_status,
        to_status=case.status,
    )
    return case


def take(*, case: AssistanceCase, officer: User) -> AssistanceCase:
    """The officer assigns the case to themself."""
    return assign(case=case, officer=officer, by=officer)


@transaction.atomic
def log_action(
    *, case: AssistanceCase, text: str, by: User, type: str = CaseEvent.Type.ACTION
) -> CaseEvent:
    """Add what was done (an action) or learnt (a note) to the timeline."""
    if type not in (CaseEvent.Type.ACTION, CaseEvent.Type.NOTE):
        raise Refused(_("Choose action or note."), "type")
    if not text.strip():
        raise Refused(_("Write what was done."), "text")
    case = locked_case(case)
    audit.record("update", case, fields=["events"])
    return case_event(case, type=type, by=by, text=text.strip())


@transaction.atomic
def move_case(*, case: AssistanceCase, to: str, by: User, note: str = "") -> AssistanceCase:
    """Move the case along the workflow table (``workflow.CASE_MOVES``) or refuse."""
    case = locked_case(case)
    if to not in Status.values:
        raise Refused(_("Unknown status “%(status)s”.") % {"status": to}, "status")
    target = Status(to)
    if not workflow.case_may_move(case.status, target):
        raise Conflict(
            _("A case cannot go from “%(from)s” to “%(to)s”.")
            % {"from": case.get_status_display(), "to": target.label}
            + (
                " " + _("Reopen it first.")
                if case.status in (Status.CLOSED, Status.RESOLVED) and target != Status.REOPENED
                else ""
            ),
            "status",
        )
    if target == Status.ASSIGNED or (case.assigned_to_id is None and target != Status.REOPENED):
        raise Refused(_("Assign the case to an officer first."), "status")
    if target in workflow.CASE_MOVES_NEEDING_A_NOTE and not note.strip():
        raise Refused(_("Say why the case is reopened."), "note")
    now = timezone.now()
    from_status = case.status
    case.status = target
    fields = ["status"]
    if target == Status.RESOLVED:
        case.resolved_at = now
        fields.append("resolved_at")
    elif target == Status.CLOSED:
        case.closed_at = now
        fields.append("closed_at")
    elif target == Status.REOPENED:
        case.resolved_at = case.closed_at = None
        fields += ["resolved_at", "closed_at"]
    case.save(update_fields=fields)
    case_event(
        case,
        type=CaseEvent.Type.STATUS,
        by=by,
        kind=events.STATUS,
        text=note.strip(),
        from_status=from_status,
        to_status=target,
    )
    return case


@transaction.atomic
def change_priority(*, case: AssistanceCase, priority: str, by: User) -> AssistanceCase:
    """A new priority brings a new due date, counted from when the case was opened."""
    if priority not in Priority.values:
        raise Refused(_("Choose a priority."), "priority")
    case = locked_case(case)
    if priority == case.priority:
        return case
    old = case.priority
    case.priority = priority
    case.due_at = case.opened_at + due_after(priority)
    case.save(update_fields=["priority", "due_at"])
    case_event(
        case,
        type=CaseEvent.Type.PRIORITY,
        by=by,
        kind=events.PRIORITY,
        old=str(old),
        new=str(priority),
    )
    return case


@transaction.atomic
def add_attachment(*, case: AssistanceCase, upload, by: User) -> CaseAttachment:
    """Store a file with the case: only allowed types (by content), only up to the size limit."""
    content_type = check_upload(upload)
    case = locked_case(case)
    attachment = CaseAttachment(
        case=case,
        original_name=(upload.name or "file")[-200:],
        content_type=content_type,
        size=upload.size,
        uploaded_by=by,
    )
    attachment.file.save(upload.name, upload, save=False)
    try:
        attachment.save()
    except Exception:
        attachment.file.delete(save=False)
        raise
    case_event(
        case,
        type=CaseEvent.Type.ATTACHMENT,
        by=by,
        kind=events.ATTACHMENT,
        attachment=attachment.pk,
        name=attachment.original_name,
    )
    return attachment


@transaction.atomic
def link_mission(*, case: AssistanceCase, mission: Organization, by: User) -> None:
    if case.missions.filter(pk=mission.pk).exists():
        raise Refused(_("This mission is already linked to the case."), "mission")
    case.missions.add(mission)
    audit.record("update", case, fields=["missions"])
    case_event(case, type=CaseEvent.Type.MISSION, by=by, kind=events.MISSION, mission=mission.pk)
