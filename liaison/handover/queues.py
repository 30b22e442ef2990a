"""What waits at dispatch and at a district's receipt, oldest first, through the access layer.

- dispatch: travelers whose disposition is decided and who are in no open batch (``readiness``),
  grouped on the page by destination and disposition as before (``selectors.ready_groups``);
- receipt: batches departed to my jurisdiction and not yet closed, and their travelers still on
  the road (in handover, not yet confirmed).
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, QuerySet

from liaison.arrivals.listing import waiting_since
from liaison.arrivals.models import Arrival
from liaison.arrivals.selectors import arrivals_visible_to
from liaison.arrivals.states import ArrivalState
from liaison.core.access import Area
from liaison.handover import readiness
from liaison.handover.models import Batch, BatchMember
from liaison.handover.selectors import batches_visible_to


def dispatch_visible(user) -> QuerySet[Arrival]:
    return arrivals_visible_to(user, Area.ARRIVALS_DISPATCH)


def dispatch_queue(user) -> QuerySet[Arrival]:
    """Ready to leave the airport: disposition decided, in no open batch."""
    return waiting_since(readiness.disposed(dispatch_visible(user)))


def receiving_visible(user) -> QuerySet[Arrival]:
    return arrivals_visible_to(user, Area.ARRIVALS_RECEIVING)


def batches_waiting_for_receipt(user) -> QuerySet[Batch]:
    """Departed batches bound for my jurisdiction (every district's, for a city-level officer),
    the longest on the road first."""
    return batches_visible_to(user).filter(status=Batch.Status.DEPARTED).order_by("departed_at")


def receiving_queue(user) -> QuerySet[Arrival]:
    """Travelers on the road to me in a departed batch, not yet confirmed received."""
    on_the_road = BatchMember.objects.filter(
        arrival=OuterRef("pk"),
        open=True,
        confirmed_at__isnull=True,
        batch__status=Batch.Status.DEPARTED,
    )
    return waiting_since(
        receiving_visible(user).filter(state=ArrivalState.IN_HANDOVER).filter(Exists(on_the_road))
    )
