"""How long an incident may wait for its acknowledgement, by severity (1 is the gravest), and
how often the top of the chain is told again. Settings may override either table."""

from datetime import datetime, timedelta

from django.conf import settings

# Minutes to acknowledge, by severity: 1 → 5 min, 2 → 15, 3 → 30, 4 → 1 h, 5 → 4 h.
ACK_MINUTES = {1: 5, 2: 15, 3: 30, 4: 60, 5: 240}
# Once every step has been told, the top of the chain is told again this often.
REPEAT_MINUTES = 15


def ack_minutes(severity: int) -> int:
    return int(getattr(settings, "LIAISON_INCIDENT_ACK_MINUTES", ACK_MINUTES)[severity])


def ack_due(*, severity: int, reported_at: datetime) -> datetime:
    return reported_at + timedelta(minutes=ack_minutes(severity))


def repeat_every() -> timedelta:
    return timedelta(minutes=getattr(settings, "LIAISON_INCIDENT_REPEAT_MINUTES", REPEAT_MINUTES))
