"""What every step of the airport side shares: the refusal, the clock and state checks, and the
write of the policy facts kept on the arrival.

Bad input raises ``core.refusals.Refused`` (a translated message naming the field) or
``InvalidMove``; either way nothing was written.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from liaison.arrivals import states
from liaison.arrivals.models import Arrival
from liaison.arrivals.states import ArrivalState
from liaison.core import audit
from liaison.core.refusals import Refused

S = ArrivalState
# A clock a few minutes fast at the laboratory or the desk is not an impossible time.
CLOCK_SKEW = timedelta(minutes=5)


def aware(moment: datetime) -> datetime:
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


def not_in_future(moment: datetime, field: str) -> datetime:
    moment = aware(moment)
    if moment > timezone.now() + CLOCK_SKEW:
        raise Refused(_("The time is in the future."), field)
    return moment


def save_facts(arrival: Arrival, record: dict[str, Any], note: str) -> None:
    """The arrival's policy facts, in step with what the desk or the laboratory recorded (so
    that the what-if preview of a new policy sees what they saw)."""
    Arrival.objects.filter(pk=arrival.pk).update(facts=record)
    arrival.facts = record
    audit.record("update", arrival, fields=["facts"], note=note)


def require_state(arrival: Arrival, allowed: Iterable[str], message: str) -> None:
    if arrival.state not in set(allowed):
        raise Refused(message % {"state": states.label(arrival.state)}, "state")
