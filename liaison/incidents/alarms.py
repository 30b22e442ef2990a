"""The pipeline's alarms open incidents by themselves, one per cause, not one per check.

``open_alarm_incidents(now=…)`` is the scheduled scan. Each cause has a key (``positive:<arrival
id>``); an incident already opened for it — open, closed or an exercise — is never opened again,
and the key is unique in the database, so two scans at once open it once.

- a fever at the desk (at the threshold of the rules in force) of a traveler still at the
  airport: severity 2;
- a positive result of a traveler still at the airport: severity 1;
- a batch departed more than ``LIAISON_BATCH_CONFIRM_HOURS`` ago and not confirmed: severity 3;
- a missing person reported at receipt and not resolved: severity 2;
- a traveler sampled more than ``LIAISON_RESULT_WAIT_HOURS`` ago without a result: severity 4.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction

from liaison.arrivals.models import Arrival
from liaison.arrivals.states import ArrivalState
from liaison.handover.models import Batch
from liaison.handover.models import Incident as ReceiptIncident
from liaison.incidents import services
from liaison.incidents.models import Incident, Kind
from liaison.policy.selectors import fever_threshold_in_force
from liaison.screening import alarms as screening_alarms
from liaison.screening.waiting import AT_THE_AIRPORT

SEVERITY = {
    Kind.POSITIVE: 1,
    Kind.FEVER: 2,
    Kind.MISSING_PERSON: 2,
    Kind.BATCH_UNCONFIRMED: 3,
    Kind.RESULT_OVERDUE: 4,
}


def causes(now: datetime) -> list[tuple[str, Kind, dict]]:
    """Every alarm standing at ``now``: (its key, its type, the records it links)."""
    found: list[tuple[str, Kind, dict]] = []
    at_airport = Arrival.objects.filter(state__in=AT_THE_AIRPORT)
    for arrival in screening_alarms.positives(at_airport).distinct():
        found.append((f"positive:{arrival.pk}", Kind.POSITIVE, {"arrival": arrival}))
    for arrival in screening_alarms.fevers(at_airport, fever_threshold_in_force()):
        found.append((f"fever:{arrival.pk}", Kind.FEVER, {"arrival": arrival}))
    batch_limit = now - timedelta(hours=settings.LIAISON_BATCH_CONFIRM_HOURS)
    late = Batch.objects.filter(status=Batch.Status.DEPARTED, departed_at__lt=batch_limit)
    for batch in late.order_by("pk"):
        found.append((f"batch:{batch.pk}", Kind.BATCH_UNCONFIRMED, {"batch": batch}))
    missing = ReceiptIncident.objects.filter(
        kind=ReceiptIncident.Kind.MISSING, resolved_at__isnull=True
    ).select_related("batch", "arrival")
    for receipt in missing.order_by("pk"):
        links = {"batch": receipt.batch, "arrival": receipt.arrival}
        found.append((f"missing:{receipt.pk}", Kind.MISSING_PERSON, links))
    result_limit = now - timedelta(hours=settings.LIAISON_RESULT_WAIT_HOURS)
    waiting = Arrival.objects.filter(state=ArrivalState.SAMPLED, updated_at__lt=result_limit)
    for arrival in waiting.order_by("pk"):
        found.append((f"result:{arrival.pk}", Kind.RESULT_OVERDUE, {"arrival": arrival}))
    return found


def open_alarm_incidents(*, now: datetime) -> list[Incident]:
    """Open an incident for every standing alarm that has none yet; the ones opened."""
    standing = causes(now)
    known = set(
        Incident.objects.filter(cause__in=[key for key, _kind, _links in standing]).values_list(
            "cause", flat=True
        )
    )
    opened = []
    for key, kind, links in standing:
        if key in known:
            continue
        try:
            with transaction.atomic():
                opened.append(
                    services.report(kind=kind, severity=SEVERITY[kind], at=now, cause=key, **links)
                )
        except IntegrityError:
            continue  # another scan opened it a moment ago
    return opened
