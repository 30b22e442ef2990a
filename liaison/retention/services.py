"""Writes of retention: legal holds placed and lifted, corrections asked for and resolved.

Each is one transaction and audited (the models are ``AuditedModel``s: their creates and updates
are recorded with the fields changed, never the values). Bad input raises ``Refused`` (400), a
record that is not there a 404, a role outside the area a 403, a state that does not allow it
``Conflict`` (409).
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison.core.access import Area, can
from liaison.core.models import User
from liaison.core.refusals import Conflict, Refused
from liaison.retention.models import Anonymized, CorrectionRequest, Hold, Kind
from liaison.retention.selectors import record_exists

MAX_REASON = 500


def _reason(text: str, field: str = "reason", limit: int = MAX_REASON) -> str:
    text = (text or "").strip()
    if not text:
        raise Refused(_("Give the reason."), field)
    if len(text) > limit:
        raise Refused(_("The reason is too long (at most %(n)s characters).") % {"n": limit}, field)
    return text


def _check(officer: User, area: Area) -> None:
    if not can(officer, area):
        raise Refused(_("Your role may not do this."), status=403)


@transaction.atomic
def place_hold(*, kind: str, record_id: int, reason: str, officer: User) -> Hold:
    """Keep a record whole until the hold is lifted (a dispute with a consulate, a court)."""
    _check(officer, Area.RETENTION)
    if kind not in Kind.values:
        raise Refused(_("There is no such kind of record."), "kind")
    reason = _reason(reason)
    if not record_exists(kind, record_id):
        raise Refused(_("There is no such record."), "record_id", status=404)
    if Anonymized.objects.filter(kind=kind, record_id=record_id).exists():
        raise Conflict(_("This record is already anonymized: there is nothing left to hold."))
    try:
        with transaction.atomic():
            return Hold.objects.create(
                kind=kind, record_id=record_id, reason=reason, placed_by=officer
            )
    except IntegrityError:
        raise Conflict(_("This record is already on hold.")) from None


@transaction.atomic
def lift_hold(*, hold: Hold, reason: str, officer: User) -> Hold:
    """Lift a hold: the record is anonymized by the next run if it is due."""
    _check(officer, Area.RETENTION)
    reason = _reason(reason)
    # The lock makes a second lift wait and then see the first.
    hold = Hold.objects.select_for_update().get(pk=hold.pk)
    if hold.lifted_at is not None:
        raise Conflict(_("This hold was already lifted."))
    hold.lifted_at = timezone.now()
    hold.lifted_by = officer
    hold.lift_reason = reason
    hold.save(update_fields=["lifted_at", "lifted_by", "lift_reason"])
    return hold


@transaction.atomic
def ask_correction(*, arrival, reason: str) -> CorrectionRequest:
    """A traveler asks, through their private link, that their data be corrected (PIPL art. 46)."""
    if Anonymized.objects.filter(kind=Kind.ARRIVAL, record_id=arrival.pk).exists():
        raise Conflict(_("Your data was anonymized: there is nothing left to correct."))
    reason = _reason(reason, limit=2000)
    # The traveler's row locked: a request sent twice (a second tap, a retry on a bad line) is
    # the one request, not two in the desk's queue.
    type(arrival).objects.select_for_update().filter(pk=arrival.pk).exists()
    same = CorrectionRequest.objects.filter(
        arrival=arrival, status=CorrectionRequest.Status.OPEN, reason=reason
    ).first()
    return same or CorrectionRequest.objects.create(arrival=arrival, reason=reason)


@transaction.atomic
def resolve_correction(
    *, request: CorrectionRequest, resolution: str, officer: User
) -> CorrectionRequest:
    """The desk says what it did (corrected through a staff version, or why not)."""
    _check(officer, Area.ARRIVALS_DESK)
    resolution = _reason(resolution, "resolution")
    request = CorrectionRequest.objects.select_for_update().get(pk=request.pk)
    if request.status != CorrectionRequest.Status.OPEN:
        raise Conflict(_("This request was already resolved."))
    request.status = CorrectionRequest.Status.RESOLVED
    request.resolution = resolution
    request.resolved_by = officer
    request.resolved_at = timezone.now()
    request.save(update_fields=["status", "resolution", "resolved_by", "resolved_at"])
    return request
