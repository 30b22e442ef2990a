"""What waits for a media desk officer on their home page (``liaison.core.waiting``)."""

from django.utils.translation import gettext_lazy as _

from liaison.core.waiting import Waiting, item
from liaison.media.selectors import open_requests_of


def my_requests(user) -> list[Waiting]:
    mine = open_requests_of(user)
    return [
        item(_("Media requests assigned to you"), mine.count(), "media:mine"),
        item(
            _("Media requests past their deadline"),
            mine.overdue().count(),
            "media:mine",
            urgent=True,
        ),
    ]
