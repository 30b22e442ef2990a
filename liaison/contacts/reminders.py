"""Reminders of the commitments ledger (issue 14): the owner is told N days before a commitment
is due and on the first day it is overdue, once per commitment, occasion and due date.

Run hourly by the job runner (liaison/contacts/jobs.py); it reads what is open today, so a day the
worker missed is caught up at its next turn, and ``notify``'s ``once_key`` makes a second run
(another worker, a run taken again after a crash) tell nobody twice. A commitment given a new
due date is reminded of again, for the new date.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from liaison.contacts.models import Commitment
from liaison.notifications.kinds import register_kind
from liaison.notifications.services import notify

DUE_SOON = register_kind(
    "contacts.commitment_due_soon",
    _("A commitment of yours is due on %(due_on)s: %(description)s"),
)
OVERDUE = register_kind(
    "contacts.commitment_overdue",
    _("A commitment of yours is overdue since %(due_on)s: %(description)s"),
)


def _tell(commitment: Commitment, *, occasion: str) -> int:
    kind = DUE_SOON if occasion == "due-soon" else OVERDUE
    return len(
        notify(
            users=[commitment.owner_user],
            kind=kind.code,
            subject_code=f"contacts.commitment:{commitment.pk}",
            data={
                "due_on": commitment.due_on.isoformat(),
                "description": commitment.description[:120],
            },
            link=reverse("contacts:commitment", args=[commitment.pk]),
            once_key=f"contacts.commitment:{commitment.pk}:{occasion}:{commitment.due_on}",
        )
    )


def send_reminders(*, today: date | None = None) -> int:
    """Tell the owners of open commitments due within the next N days or overdue; how many told."""
    today = today or timezone.localdate()
    ahead = timedelta(days=settings.LIAISON_COMMITMENT_REMINDER_DAYS)
    open_ours = (
        Commitment.objects.open().filter(owner_user__isnull=False).select_related("owner_user")
    )
    told = 0
    for commitment in open_ours.filter(due_on__gte=today, due_on__lte=today + ahead):
        told += _tell(commitment, occasion="due-soon")
    for commitment in open_ours.filter(due_on__lt=today):
        told += _tell(commitment, occasion="overdue")
    return told
