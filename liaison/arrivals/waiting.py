"""What waits at the airport desk from the declarations: today's travelers not yet screened,
conflicting declarations to check (the home page, ``liaison.core.waiting``)."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from liaison.arrivals.models import ConflictingDeclaration
from liaison.arrivals.selectors import arrivals_visible_to
from liaison.arrivals.states import ArrivalState
from liaison.core.access import Area
from liaison.core.waiting import Waiting, item


def desk(user) -> list[Waiting]:
    visible = arrivals_visible_to(user, Area.ARRIVALS_DESK)
    not_screened = visible.filter(
        arrival_date=timezone.localdate(), state=ArrivalState.DECLARED
    ).count()
    conflicts = ConflictingDeclaration.objects.filter(
        resolution=ConflictingDeclaration.Resolution.OPEN, arrival__in=visible.values("pk")
    ).count()
    return [
        item(
            _("Travelers arriving today, declared and not yet screened"),
            not_screened,
            "screening:desk",
        ),
        item(_("Conflicting declarations to check"), conflicts, "arrivals:list", urgent=True),
    ]
