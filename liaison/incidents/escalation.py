"""Incidents not acknowledged in time go up the chain, every minute, until acknowledged.

``escalate_due(now=…)`` is pure in its time: the scheduler passes the clock, tests pass theirs.
1. Step *i* of the chain is due at the deadline plus the minutes of steps 1…*i*.
2. Every due step not yet told is told (each step once), in order, with one event each.
3. Once every step has been told, the top of the chain is told again every
   ``deadlines.repeat_every()`` (round 1, 2, …; a scan that was down catches up with one notice,
   not with every round it missed).
The incident's row is locked while its counters move, and each notice's key is unique, so two
runs at the same instant (two workers, a retried job) tell nobody twice.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.urls import reverse

from liaison.incidents import chain, deadlines, seams
from liaison.incidents.models import EscalationNotice, EscalationStep, Incident, IncidentEvent

# The notification's kind (registered in ``incidents.jobs``).
ESCALATED = "incidents.escalated"


def step_due_times(incident: Incident, steps: list[EscalationStep]) -> list[datetime]:
    due, times = incident.ack_due_at, []
    for step in steps:
        due = due + timedelta(minutes=step.after_minutes)
        times.append(due)
    return times


def escalate_due(*, now: datetime) -> int:
    """Tell whoever is due about every unacknowledged incident past its deadline; how many
    notices went out."""
    steps = chain.steps()
    if not steps:
        return 0
    due = Incident.objects.overdue_ack(now).values_list("pk", flat=True)
    return sum(_escalate_one(pk, steps=steps, now=now) for pk in list(due))


@transaction.atomic
def _escalate_one(pk: int, *, steps: list[EscalationStep], now: datetime) -> int:
    incident = Incident.objects.select_for_update().get(pk=pk)
    if not incident.is_overdue(now):  # acknowledged meanwhile
        return 0
    times = step_due_times(incident, steps)
    reached = sum(1 for t in times if t <= now)
    sent = 0
    for index in range(incident.escalation_steps_done, reached):
        sent += _tell(incident, steps[index], round_=0, now=now)
    incident.escalation_steps_done = max(incident.escalation_steps_done, reached)
    if reached == len(steps):
        rounds = int((now - times[-1]) / deadlines.repeat_every())
        if rounds > incident.escalation_round:
            sent += _tell(incident, steps[-1], round_=rounds, now=now)
            incident.escalation_round = rounds
    incident.save(update_fields=["escalation_steps_done", "escalation_round"])
    return sent


def _tell(incident: Incident, step: EscalationStep, *, round_: int, now: datetime) -> int:
    told = []
    for user in chain.holders(step, now):
        try:
            with transaction.atomic():
                EscalationNotice.objects.create(
                    incident=incident,
                    position=step.position,
                    round=round_,
                    recipient=user,
                    sent_at=now,
                )
        except IntegrityError:
            continue  # told already at this step and round
        seams.notify(
            user=user,
            kind=ESCALATED,
            subject=f"incidents.incident:{incident.pk}",
            data={"incident": incident.pk, "severity": incident.severity},
            link=reverse("incidents:detail", args=[incident.pk]),
            once_key=f"incidents.escalated:{incident.pk}:{step.position}:{round_}",
        )
        told.append(user.username)
    IncidentEvent.objects.create(
        incident=incident,
        at=now,
        code=IncidentEvent.Code.ESCALATED,
        data={"position": step.position, "post": step.post, "round": round_, "told": told},
    )
    return len(told)
