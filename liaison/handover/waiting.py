"""What waits at dispatch, at a district's receipt and on the board (the home page,
``liaison.core.waiting``): each count one query through the access layer."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from liaison.core.access import Area, can, scoped
from liaison.core.waiting import Waiting, item
from liaison.handover import readiness
from liaison.handover.models import Batch, BatchMember, Incident
from liaison.handover.selectors import alerts, quarantines_visible_to
from liaison.policy.models import DispositionChoice

DEPARTED = Batch.Status.DEPARTED


def dispatch(user) -> list[Waiting]:
    if not can(user, Area.ARRIVALS_DISPATCH):
        return []
    limit = timezone.now() - timedelta(hours=settings.LIAISON_BATCH_CONFIRM_HOURS)
    return [
        item(
            _("Travelers ready for a batch"),
            readiness.ready_arrivals().count(),
            "handover:dispatch",
        ),
        item(
            _("Travelers waiting for a hospital transfer"),
            readiness.disposed().filter(current_disposition=DispositionChoice.HOSPITAL).count(),
            "handover:dispatch",
            urgent=True,
        ),
        item(
            _("Batches overdue for receipt"),
            Batch.objects.filter(status=DEPARTED, departed_at__lt=limit).count(),
            "handover:dispatch",
            urgent=True,
        ),
        item(
            _("Open incidents"),
            Incident.objects.filter(resolved_at__isnull=True).count(),
            "handover:dispatch",
            urgent=True,
        ),
    ]


def receiving(user) -> list[Waiting]:
    area = Area.ARRIVALS_RECEIVING
    in_transit = scoped(
        Batch.objects.filter(status=DEPARTED), user, area, field="destination_jurisdiction"
    ).count()
    unconfirmed = scoped(
        BatchMember.objects.filter(batch__status=DEPARTED, confirmed_at__isnull=True),
        user,
        area,
        field="batch__destination_jurisdiction",
    ).count()
    ending = (
        quarantines_visible_to(user)
        .filter(released_at__isnull=True, planned_end__lte=timezone.localdate())
        .count()
    )
    return [
        item(_("Batches on their way to you"), in_transit, "handover:receiving"),
        item(_("Travelers in those batches not yet received"), unconfirmed, "handover:receiving"),
        item(
            _("Quarantines ending today or earlier, not yet released"), ending, "handover:receiving"
        ),
    ]


def board(user) -> list[Waiting]:
    return [
        item(
            _("Alerts on the closed-loop board"), alerts(user).count, "handover:board", urgent=True
        )
    ]
