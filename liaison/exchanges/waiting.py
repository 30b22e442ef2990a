"""What waits at the exchanges desk (the home page, ``liaison.core.waiting``)."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from liaison.core.waiting import Waiting, item
from liaison.exchanges.models import Conference
from liaison.exchanges.selectors import conferences_visible_to


def conferences(user) -> list[Waiting]:
    visible = conferences_visible_to(user)
    now = timezone.now()
    return [
        item(
            _("Upcoming conferences"),
            visible.filter(ends_at__gte=now).count(),
            "exchanges:conferences",
        ),
        # Held, but its minutes are still open: they wait to be completed and finalized.
        item(
            _("Conferences held whose minutes are not finalized"),
            visible.filter(ends_at__lt=now, status=Conference.Status.PLANNED).count(),
            "exchanges:conferences",
            urgent=False,
        ),
    ]
