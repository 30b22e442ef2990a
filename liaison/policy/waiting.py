"""What waits for a policy reviewer (the home page, ``liaison.core.waiting``)."""

from django.utils.translation import gettext_lazy as _

from liaison.core.waiting import Waiting, item
from liaison.policy.selectors import pending_reviews_visible_to


def reviews(user) -> list[Waiting]:
    pending = pending_reviews_visible_to(user).count()
    return [
        item(_("Travelers a new policy version would move, to review"), pending, "policy:reviews")
    ]
