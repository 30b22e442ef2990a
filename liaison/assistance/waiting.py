"""What waits at the assistance desk (the home page, ``liaison.core.waiting``)."""

from django.utils.translation import gettext_lazy as _

from liaison.assistance.models import ConsularNotification
from liaison.assistance.selectors import cases_visible_to, notifications_visible_to
from liaison.core.waiting import Waiting, item


def cases(user) -> list[Waiting]:
    visible = cases_visible_to(user)
    return [
        item(
            _("Open cases assigned to you"),
            visible.open().filter(assigned_to=user).count(),
            "assistance:cases",
        ),
        item(_("Overdue open cases"), visible.overdue().count(), "assistance:overdue", urgent=True),
    ]


def notifications(user) -> list[Waiting]:
    # Four eyes: a draft waits for someone other than its drafter.
    drafts = (
        notifications_visible_to(user)
        .filter(status=ConsularNotification.Status.DRAFT)
        .exclude(drafted_by=user)
        .count()
    )
    return [
        item(
            _("Consular notification drafts waiting for review"), drafts, "assistance:notifications"
        )
    ]
