"""Writes of the duty log: an entry, and a correction (a new entry pointing to the one it
corrects). There is no path that edits or deletes an entry (the model refuses it too)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison.arrivals.models import Arrival
from liaison.assistance.models import AssistanceCase
from liaison.core.models import User
from liaison.core.refusals import Refused
from liaison.directory.models import Organization
from liaison.duty.models import LogEntry
from liaison.handover.models import Batch

MAX_TEXT = 4000


@dataclass(frozen=True)
class EntryInput:
    text: str
    at: datetime | None = None  # when it happened; now if not given
    arrival_id: int | None = None
    batch_id: int | None = None
    case_id: int | None = None
    organization_id: int | None = None
    incident_id: int | None = None


def _link(model, pk: int | None, field: str):
    if pk is None:
        return None
    found = model.objects.filter(pk=pk).first()
    if found is None:
        raise Refused(_("No such record."), field)
    return found


def _entry(*, by: User, data: EntryInput, corrects: LogEntry | None = None) -> LogEntry:
    text = data.text.strip()
    if not text:
        raise Refused(_("Say what happened."), "text")
    if len(text) > MAX_TEXT:
        raise Refused(_("At most %(n)d characters.") % {"n": MAX_TEXT}, "text")
    now = timezone.now()
    at = data.at or now
    if timezone.is_naive(at):
        raise Refused(_("Give a date and time."), "at")
    if at > now + timedelta(minutes=5):
        raise Refused(_("The duty log records what happened: the time cannot be ahead."), "at")
    if data.incident_id is not None and data.incident_id < 1:
        raise Refused(_("No such record."), "incident_id")
    return LogEntry.objects.create(
        at=at,
        author=by,
        text=text,
        recorded_at=now,
        arrival=_link(Arrival, data.arrival_id, "arrival_id"),
        batch=_link(Batch, data.batch_id, "batch_id"),
        case=_link(AssistanceCase, data.case_id, "case_id"),
        organization=_link(Organization, data.organization_id, "organization_id"),
        incident_id=data.incident_id,
        corrects=corrects,
    )


@transaction.atomic
def log(*, by: User, data: EntryInput) -> LogEntry:
    """One entry of the duty log: when, who (``by``), what, and what it concerns."""
    return _entry(by=by, data=data)


@transaction.atomic
def correct(*, by: User, entry: LogEntry, data: EntryInput) -> LogEntry:
    """A correction of ``entry``: a new entry pointing to it (a correction of a correction
    points to the original, so an entry and all its corrections are shown together)."""
    original = entry.corrects if entry.corrects_id else entry
    links = ("arrival_id", "batch_id", "case_id", "organization_id", "incident_id")
    if all(getattr(data, link) is None for link in links):
        # A correction of the words concerns what the original concerned.
        data = replace(data, **{link: getattr(original, link) for link in links})
    return _entry(by=by, data=data, corrects=original)
