"""What the duty desk shows on home pages (``liaison.core.waiting``): its own waiting items
(coverage and language gaps ahead), and for every staff role the line "on duty now"."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from liaison.core.waiting import Panel, Waiting, item
from liaison.duty import coverage, selectors
from liaison.duty.models import Post

DAYS_AHEAD = 7


def gaps(user) -> list[Waiting]:
    return [
        item(
            _("Coverage gaps in the next seven days"),
            len(selectors.gaps_ahead(user, days=DAYS_AHEAD)),
            "duty:roster",
            urgent=True,
        ),
        item(
            _("Language gaps at the airport desk in the next seven days"),
            len(coverage.language_gaps(user, days=DAYS_AHEAD)),
            "duty:languages",
            urgent=True,
        ),
    ]


def on_duty_line(user) -> Panel | None:
    """The duty officer and the duty chief now, with their shift phones, for every staff role
    (whom to call). Their names and work phones are the duty post's, published to all staff: not
    a read of personal data to audit."""
    if not getattr(user, "role", ""):
        return None
    lines = selectors.on_duty_now(now=timezone.now(), posts=(Post.DUTY_OFFICER, Post.DUTY_CHIEF))
    return Panel("duty/home_panel.html", {"lines": lines})
