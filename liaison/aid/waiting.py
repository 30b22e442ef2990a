"""What waits for the aid officer on the home page (``liaison.core.waiting``)."""

from django.db.models import F
from django.utils.translation import gettext_lazy as _

from liaison.aid.models import Batch, Direction, DonationStatus, Stock
from liaison.aid.selectors import donations_visible_to
from liaison.core.waiting import Waiting, item


def aid_desk(user) -> list[Waiting]:
    visible = donations_visible_to(user)
    in_transit = Batch.objects.filter(donation__in=visible, arrived_on__isnull=True)
    to_allocate = Stock.objects.filter(
        line__donation__in=visible.filter(direction=Direction.INBOUND),
        received__gt=0,
    ).exclude(allocated=F("received"))
    return [
        item(
            _("Pledged, not yet committed"),
            visible.filter(status=DonationStatus.PLEDGED).count(),
            "aid:queue",
        ),
        item(_("Batches in transit"), in_transit.count(), "aid:queue"),
        item(_("Received goods not yet allocated"), to_allocate.count(), "aid:queue", urgent=True),
        item(
            _("Delivered, not yet acknowledged"),
            visible.filter(status=DonationStatus.DELIVERED).count(),
            "aid:queue",
        ),
    ]
