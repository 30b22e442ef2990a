"""The incident desk's scheduled jobs: every minute, the pipeline's alarms become incidents
and the unacknowledged ones escalate. Both are idempotent (``alarms``, ``escalation``)."""

from datetime import datetime, timedelta

from django.utils.translation import gettext_lazy as _

from liaison.incidents import alarms, escalation
from liaison.jobs.registry import scheduled
from liaison.notifications.kinds import register_kind

register_kind(
    escalation.ESCALATED,
    _("Incident #%(incident)s (severity %(severity)s) waits for your acknowledgement"),
)


@scheduled("incidents.open_alarm_incidents", every=timedelta(minutes=1))
def open_alarm_incidents(*, due_at: datetime) -> None:
    alarms.open_alarm_incidents(now=due_at)


@scheduled("incidents.escalate", every=timedelta(minutes=1))
def escalate(*, due_at: datetime) -> None:
    escalation.escalate_due(now=due_at)
