"""What a user may see of incidents and handovers (the duty desk and leadership read)."""

from __future__ import annotations

from datetime import datetime

from django.db.models import QuerySet

from liaison.core.access import Area, can
from liaison.core.models import User
from liaison.incidents.models import Handover, Incident, Status


def incidents_visible_to(user) -> QuerySet[Incident]:
    if not can(user, Area.DUTY_READ):
        return Incident.objects.none()
    return Incident.objects.select_related("owner", "reported_by", "arrival")


def handovers_visible_to(user) -> QuerySet[Handover]:
    if not can(user, Area.DUTY_READ):
        return Handover.objects.none()
    return Handover.objects.select_related("outgoing", "incoming")


def filter_incidents(
    queryset: QuerySet[Incident],
    *,
    now: datetime,
    status: str = "",
    severity: int | None = None,
    kind: str = "",
    owner: int | None = None,
    exercise: bool | None = None,
    overdue: bool = False,
) -> QuerySet[Incident]:
    """The queue's filters; an empty status means every incident not closed."""
    queryset = queryset.filter(status=status) if status else queryset.live()
    if severity:
        queryset = queryset.filter(severity=severity)
    if kind:
        queryset = queryset.filter(kind=kind)
    if owner:
        queryset = queryset.filter(owner_id=owner)
    if exercise is not None:
        queryset = queryset.filter(exercise=exercise)
    if overdue:
        queryset = queryset.overdue_ack(now)
    return queryset.order_by("status", "ack_due_at", "pk")


def counts(user, *, now: datetime) -> dict[str, int]:
    """The report's counts: exercises never count."""
    real = incidents_visible_to(user).real()
    return {
        "open": real.filter(status=Status.OPEN).count(),
        "live": real.live().count(),
        "overdue": real.overdue_ack(now).count(),
    }


def incident(user, pk: int) -> Incident | None:
    return incidents_visible_to(user).filter(pk=pk).first()


def history(incident: Incident):
    return incident.events.select_related("by").order_by("at", "id")


def handover_for(user, pk: int) -> Handover | None:
    return handovers_visible_to(user).filter(pk=pk).first()


def waiting_handovers(user) -> QuerySet[Handover]:
    return handovers_visible_to(user).filter(incoming=user, countersigned_at__isnull=True)


def active_user(pk: int) -> User | None:
    """A person named by id in a form or body (an owner, the incoming officer)."""
    return User.objects.filter(pk=pk, is_active=True).first()
