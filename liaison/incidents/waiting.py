"""What waits for the duty desk on its home page: open incidents, urgent past their deadline
(exercises count too: an exercise is practised as the real thing, and marked as one)."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from liaison.core.waiting import Waiting, item
from liaison.incidents.selectors import incidents_visible_to, waiting_handovers


def incidents_waiting(user) -> list[Waiting]:
    now = timezone.now()
    visible = incidents_visible_to(user)
    return [
        item(_("Incidents to acknowledge"), visible.unacknowledged().count(), "incidents:queue"),
        item(
            _("Incidents past their acknowledgement deadline"),
            visible.overdue_ack(now).count(),
            "incidents:queue",
            urgent=True,
        ),
        item(_("Handovers to countersign"), waiting_handovers(user).count(), "incidents:handovers"),
    ]
