"""The incident's writes: reported, acknowledged, assigned, acted on, moved, closed, reopened.
Each is one transaction with its event; the escalation and the alarm scan are in
``escalation.py`` and ``alarms.py``, the handover in ``handovers.py``."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from liaison.core.access import Area, can
from liaison.core.refusals import Conflict, Refused
from liaison.incidents import chain, deadlines, states
from liaison.incidents.models import Incident, IncidentEvent, Kind, Status


def _clean_severity(severity) -> int:
    try:
        value = int(severity)
    except (TypeError, ValueError):
        value = 0
    if not 1 <= value <= 5:
        raise Refused(_("Severity is 1 (gravest) to 5."), "severity")
    return value


def _writer(user) -> None:
    if not can(user, Area.DUTY):
        raise Refused(_("Only the duty desk may do this."), status=403)


@transaction.atomic
def report(
    *,
    kind: str,
    severity: int,
    at: datetime,
    by=None,
    title: str = "",
    description: str = "",
    place: str = "",
    occurred_at: datetime | None = None,
    exercise: bool = False,
    owner=None,
    arrival=None,
    batch=None,
    case=None,
    organization=None,
    cause: str | None = None,
) -> Incident:
    """A new incident, open, its acknowledgement due by its severity's deadline. ``by`` None:
    opened by an alarm (``cause`` then names it)."""
    if by is not None:
        _writer(by)
    if kind not in Kind.values:
        raise Refused(_("Choose a type of the list."), "kind")
    severity = _clean_severity(severity)
    if by is not None and not title.strip():
        raise Refused(_("Give the incident a title."), "title")
    if owner is not None and not can(owner, Area.DUTY_READ):
        raise Refused(_("The owner must work on the duty desk or in leadership."), "owner")
    incident = Incident.objects.create(
        kind=kind,
        severity=severity,
        title=title.strip()[:300],
        description=description.strip(),
        place=place.strip()[:300],
        occurred_at=occurred_at or at,
        reported_at=at,
        reported_by=by,
        owner=owner,
        exercise=exercise,
        ack_due_at=deadlines.ack_due(severity=severity, reported_at=at),
        arrival=arrival,
        batch=batch,
        case=case,
        organization=organization,
        cause=cause,
    )
    IncidentEvent.objects.create(
        incident=incident,
        at=at,
        by=by,
        code=IncidentEvent.Code.REPORTED,
        data={"severity": severity, "exercise": exercise, "cause": cause or ""},
    )
    return incident


def _locked(incident: Incident) -> Incident:
    return Incident.objects.select_for_update().get(pk=incident.pk)


@transaction.atomic
def acknowledge(*, incident: Incident, by, at: datetime) -> Incident:
    """Someone on the escalation chain takes it: the escalation stops."""
    if not chain.may_acknowledge(by, at):
        raise Refused(_("Only someone on the escalation chain may acknowledge."), status=403)
    incident = _locked(incident)
    states.move(incident=incident, to=Status.ACKNOWLEDGED, by=by, at=at)
    if incident.owner_id is None:
        incident.owner = by
        incident.save(update_fields=["owner"])
    return incident


@transaction.atomic
def assign(*, incident: Incident, owner, by, at: datetime) -> Incident:
    _writer(by)
    if not can(owner, Area.DUTY_READ):
        raise Refused(_("The owner must work on the duty desk or in leadership."), "owner")
    incident = _locked(incident)
    if incident.status == Status.CLOSED:
        raise Conflict(_("This incident is closed; reopen it first."))
    incident.owner = owner
    incident.save(update_fields=["owner"])
    IncidentEvent.objects.create(
        incident=incident,
        at=at,
        by=by,
        code=IncidentEvent.Code.ASSIGNED,
        data={"owner": owner.username},
    )
    return incident


@transaction.atomic
def act(*, incident: Incident, text: str, by, at: datetime) -> IncidentEvent:
    """An action taken, appended to the incident's history (never edited)."""
    _writer(by)
    if not text.strip():
        raise Refused(_("Say what was done."), "text")
    incident = _locked(incident)
    if incident.status == Status.CLOSED:
        raise Conflict(_("This incident is closed; reopen it first."))
    return IncidentEvent.objects.create(
        incident=incident, at=at, by=by, code=IncidentEvent.Code.ACTION, text=text.strip()
    )


@transaction.atomic
def move(*, incident: Incident, to: str, by, at: datetime, text: str = "") -> Incident:
    """In progress, closed (with its summary) or reopened (with its reason)."""
    _writer(by)
    if to == Status.ACKNOWLEDGED and incident.status == Status.OPEN:
        raise Refused(_("Acknowledge the incident instead."), "status")
    incident = _locked(incident)
    states.move(incident=incident, to=to, by=by, at=at, text=text)
    return incident
