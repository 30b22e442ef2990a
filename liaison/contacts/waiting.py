"""What waits for a commitment's owner on their home page (``liaison.core.waiting``)."""

from django.utils.translation import gettext_lazy as _

from liaison.contacts.selectors import commitments_visible_to
from liaison.core.waiting import Waiting, item


def my_commitments(user) -> list[Waiting]:
    mine = commitments_visible_to(user).filter(owner_user=user)
    return [
        item(_("Your open commitments"), mine.open().count(), "contacts:mine"),
        item(_("Your overdue commitments"), mine.overdue().count(), "contacts:mine", urgent=True),
    ]
