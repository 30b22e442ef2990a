"""What waits at the screening desk, the sampling site and the laboratory (the home page,
``liaison.core.waiting``): each count one query through the access layer."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from liaison.arrivals.selectors import arrivals_visible_to
from liaison.arrivals.states import ArrivalState
from liaison.core.access import Area
from liaison.core.waiting import Waiting, item
from liaison.policy.selectors import fever_threshold_in_force
from liaison.screening.models import TemperatureReading

S = ArrivalState

# Still the airport's: not yet handed over, in hospital or gone.
AT_THE_AIRPORT = (S.DECLARED, S.SCREENED, S.SAMPLED, S.RESULT, S.DISPOSED)


def desk(user) -> list[Waiting]:
    visible = arrivals_visible_to(user, Area.ARRIVALS_DESK).filter(
        arrival_date=timezone.localdate(), state__in=AT_THE_AIRPORT
    )
    # A fever is what the rules in force call one; rules that read no temperature call none.
    threshold = fever_threshold_in_force()
    fevers = 0
    if threshold is not None:
        fevers = (
            TemperatureReading.objects.filter(
                celsius__gte=threshold, arrival__in=visible.values("pk")
            )
            .values("arrival")
            .distinct()
            .count()
        )
    return [
        item(
            _("Travelers of today with a fever, still at the airport"),
            fevers,
            "screening:desk",
            urgent=True,
        )
    ]


def sampling(user) -> list[Waiting]:
    screened = arrivals_visible_to(user, Area.ARRIVALS_SAMPLING).filter(state=S.SCREENED).count()
    return [item(_("Screened travelers waiting for sampling"), screened, "screening:sampling")]


def lab(user) -> list[Waiting]:
    sampled = arrivals_visible_to(user, Area.ARRIVALS_LAB).filter(state=S.SAMPLED).count()
    return [item(_("Samples waiting for a result"), sampled, "screening:lab")]
