"""The daily briefing's writes: drafted (by the job at its set time, or by an officer), its
highlights written, approved by a leader. Each one transaction with its audit entry; an approved
briefing is frozen (``states``)."""

from __future__ import annotations

from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison.core import audit
from liaison.core.access import Area, can
from liaison.core.models import AuditEntry
from liaison.core.params import EARLIEST, LATEST
from liaison.core.refusals import Conflict, Refused
from liaison.leadership import figures, states
from liaison.leadership.models import Briefing, BriefingStatus

MAX_HIGHLIGHTS = 4000


def _record(by, action: str, briefing: Briefing, **kwargs) -> None:
    """The audit entry, named after ``by`` when no request names anyone (a command, a test);
    the job runner's drafts after the job."""
    if audit.current().actor_id is None and not audit.current().actor_username:
        actor = {"user": by} if by is not None else {"username": "job leadership.draft_briefing"}
        with audit.acting_as(**actor):
            audit.record(action, briefing, **kwargs)
    else:
        audit.record(action, briefing, **kwargs)


@transaction.atomic
def draft(*, day: date, by=None) -> Briefing:
    """The briefing of ``day``, its figures taken at its cut-off (24:00) and stored.

    ``by`` None: the job runner. Refused before the cut-off has passed (the day is not over),
    and a second time for the same day (409: the first one stands, its figures unchanged)."""
    if not (EARLIEST <= day <= LATEST):
        raise Refused(_("Enter a real day."), "day")
    cutoff = figures.cutoff_of(day)
    now = timezone.now()
    if cutoff > now:
        raise Refused(_("The day's data cut-off (24:00) has not passed yet."), "day")
    if by is not None and not can(by, Area.LEADERSHIP):
        raise Refused(_("You may not draft briefings."), "", status=403)
    if Briefing.objects.filter(day=day).exists():
        raise Conflict(_("The briefing of this day is already drafted."), "day")
    try:
        with transaction.atomic():
            briefing = Briefing.objects.create(
                day=day,
                cutoff=cutoff,
                snapshot=figures.snapshot(day=day, cutoff=cutoff),
                drafted_at=now,
                drafted_by=by,
            )
    except IntegrityError:  # drafted meanwhile by the job or another officer
        raise Conflict(_("The briefing of this day is already drafted."), "day") from None
    _record(by, AuditEntry.Action.CREATE, briefing, note="drafted" if by else "drafted by job")
    return briefing


@transaction.atomic
def write_highlights(*, briefing: Briefing, by, zh: str, en: str) -> Briefing:
    """The officer's highlights in both languages, on a draft only."""
    if not can(by, Area.LEADERSHIP):
        raise Refused(_("You may not write briefings."), "", status=403)
    problems = [
        (field, _("At most %(n)s characters.") % {"n": MAX_HIGHLIGHTS})
        for field, text in (("highlights_zh", zh), ("highlights_en", en))
        if len(text) > MAX_HIGHLIGHTS
    ]
    if problems:
        raise Refused(problems=problems)
    locked = Briefing.objects.select_for_update().get(pk=briefing.pk)
    states.check_editable(locked.status)
    locked.highlights_zh = zh.strip()
    locked.highlights_en = en.strip()
    locked.highlights_by = by
    locked.highlights_at = timezone.now()
    locked.save(update_fields=["highlights_zh", "highlights_en", "highlights_by", "highlights_at"])
    _record(
        by,
        AuditEntry.Action.UPDATE,
        locked,
        fields=["highlights_zh", "highlights_en"],
        note="highlights",
    )
    return locked


@transaction.atomic
def approve(*, briefing: Briefing, by) -> Briefing:
    """A leader approves the draft: who and when recorded and audited; frozen from now on.

    The draft's own status is checked under its row lock, so two leaders approving at once
    approve it once (the second is told 409)."""
    if not can(by, Area.BRIEFING_APPROVE):
        raise Refused(_("Only leadership approves a briefing."), "", status=403)
    locked = Briefing.objects.select_for_update().get(pk=briefing.pk)
    states.check_move(locked.status, BriefingStatus.APPROVED)
    if not (locked.highlights_zh and locked.highlights_en):
        raise Refused(_("Write the highlights in both languages first."), "highlights_zh")
    locked.status = BriefingStatus.APPROVED
    locked.approved_by = by
    locked.approved_at = timezone.now()
    locked.save(update_fields=["status", "approved_by", "approved_at"])
    _record(
        by,
        AuditEntry.Action.UPDATE,
        locked,
        fields=["status", "approved_by", "approved_at"],
        note="approved",
    )
    return locked
