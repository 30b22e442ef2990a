"""Writes of dispatch and district receipt. Each is one transaction, moves arrivals only through
``states.move`` (which writes the event) and leaves its trace in the audit trail.

Refusals raise ``core.refusals.Refused`` (``Conflict`` when the batch's, the incident's or the
traveler's state does not allow the step) with a translated message that says what to do;
nothing is changed when one is raised.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from datetime import date, datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext

from liaison.arrivals import events
from liaison.arrivals.models import Arrival, ArrivalEvent
from liaison.arrivals.states import ArrivalState, move
from liaison.core import audit
from liaison.core.access import Area, can
from liaison.core.models import AuditEntry, Jurisdiction, Site, User
from liaison.core.normalize import declaration_code
from liaison.core.refusals import Conflict, Refused
from liaison.handover import readiness
from liaison.handover.models import (
    BATCHED_DISPOSITIONS,
    Batch,
    BatchMember,
    Incident,
    Quarantine,
)
from liaison.policy.models import DispositionChoice

S = ArrivalState


class AlreadyReceived(Conflict):
    """Someone confirmed this traveler first (two officers scanning the same person)."""


class OtherJurisdiction(Refused):
    """A district officer reached for another district's traveler or batch."""


def _logs_denials(service):
    """Record a refusal for another district in the audit trail, after the service's own
    transaction rolled back (an entry written inside it would vanish with it)."""

    @functools.wraps(service)
    def wrapper(*args, **kwargs):
        try:
            return service(*args, **kwargs)
        except OtherJurisdiction:
            audit.record(AuditEntry.Action.DENIED, object_type="handover", note="other district")
            raise

    return wrapper


def _check_area(user, area: Area) -> None:
    if not can(user, area):
        raise Refused(gettext("Your role may not do this."))


def _check_jurisdiction(officer: User, jurisdiction_id: int | None, field: str = "") -> None:
    """A district officer acts only for their own jurisdiction; the refusal is logged."""
    if officer.jurisdiction_id and officer.jurisdiction_id != jurisdiction_id:
        raise OtherJurisdiction(
            gettext("This traveler is bound for another jurisdiction; you cannot receive them."),
            field,
        )


def _lock_batch(batch: Batch) -> Batch:
    return (
        Batch.objects.select_for_update()
        .select_related("destination_jurisdiction")
        .get(pk=batch.pk)
    )


# --- Dispatch -----------------------------------------------------------------------------------


@transaction.atomic
def make_batch(
    *,
    destination: Jurisdiction,
    disposition: DispositionChoice | str,
    vehicle: str,
    escort: str,
    planned_departure: datetime,
    arrivals: Iterable[Arrival] = (),
    dispatcher: User,
) -> Batch:
    """A planned batch for one jurisdiction and disposition, with its first travelers."""
    _check_area(dispatcher, Area.ARRIVALS_DISPATCH)
    if disposition not in BATCHED_DISPOSITIONS:
        raise Refused(gettext("Only quarantine and diplomatic arrangements travel in a batch."))
    if not vehicle.strip() or not escort.strip():
        field = "vehicle" if not vehicle.strip() else "escort"
        raise Refused(gettext("A batch needs a vehicle and an escort."), field)
    batch = Batch.objects.create(
        destination_jurisdiction=destination,
        disposition=disposition,
        vehicle=vehicle.strip(),
        escort=escort.strip(),
        planned_departure=planned_departure,
        created_by=dispatcher,
    )
    arrivals = list(arrivals)
    if arrivals:
        add_to_batch(batch=batch, arrivals=arrivals, dispatcher=dispatcher)
    return batch


@transaction.atomic
def add_to_batch(
    *, batch: Batch, arrivals: Iterable[Arrival], dispatcher: User
) -> list[BatchMember]:
    """Add ready travelers of the batch's jurisdiction and disposition (only while planned)."""
    _check_area(dispatcher, Area.ARRIVALS_DISPATCH)
    batch = _lock_batch(batch)
    if batch.status != Batch.Status.PLANNED:
        raise Conflict(gettext("This batch has departed; it can no longer change."))
    ids = [a.pk for a in arrivals]
    ready = readiness.ready_arrivals().filter(pk__in=ids)
    found = {a.pk: a for a in ready}
    for pk in ids:
        arrival = found.get(pk)
        if arrival is None:
            raise Refused(
                gettext("A traveler is not ready for handover (or is already in a batch).")
            )
        if (
            arrival.jurisdiction_id != batch.destination_jurisdiction_id
            or arrival.current_disposition != batch.disposition
        ):
            raise Refused(
                gettext(
                    "Traveler %(code)s is bound for another jurisdiction or disposition than "
                    "this batch."
                )
                % {"code": arrival.display_code}
            )
    try:
        with transaction.atomic():
            members = BatchMember.objects.bulk_create(
                BatchMember(batch=batch, arrival_id=pk) for pk in ids
            )
    except IntegrityError:
        raise Conflict(gettext("A traveler was put in another batch meanwhile.")) from None
    audit.record_many("create", BatchMember, [m.pk for m in members], note=f"batch {batch.pk}")
    return members


@transaction.atomic
def remove_from_batch(*, batch: Batch, arrival: Arrival, dispatcher: User) -> None:
    _check_area(dispatcher, Area.ARRIVALS_DISPATCH)
    batch = _lock_batch(batch)
    if batch.status != Batch.Status.PLANNED:
        raise Conflict(gettext("This batch has departed; it can no longer change."))
    member = BatchMember.objects.filter(batch=batch, arrival=arrival).first()
    if member is None:
        raise Refused(gettext("This traveler is not in this batch."))
    audit.record("delete", member, note=f"batch {batch.pk}")
    member.delete()


@transaction.atomic
def mark_departed(*, batch: Batch, dispatcher: User, at: datetime | None = None) -> Batch:
    """The vehicle left: every traveler in it moves to "in handover"."""
    _check_area(dispatcher, Area.ARRIVALS_DISPATCH)
    batch = _lock_batch(batch)
    if batch.status != Batch.Status.PLANNED:
        raise Conflict(gettext("This batch has already departed."))
    members = list(batch.members.select_related("arrival"))
    if not members:
        raise Refused(gettext("An empty batch cannot depart."))
    for member in members:
        move(
            member.arrival,
            S.IN_HANDOVER,
            actor=dispatcher,
            where=batch.vehicle,
            data={"kind": events.DEPARTED, "batch": batch.pk, "number": batch.number},
        )
    batch.status = Batch.Status.DEPARTED
    batch.departed_at = at or timezone.now()
    batch.save(update_fields=["status", "departed_at"])
    return batch


# Still at the airport, not yet handed over: the desk may send them to hospital itself.
AT_THE_AIRPORT = frozenset({S.DECLARED, S.SCREENED, S.SAMPLED, S.RESULT, S.DISPOSED})


def _check_may_send_to_hospital(officer: User, arrival: Arrival) -> None:
    """Dispatch, for anyone still in the city's care; a district officer, for their own
    travelers (another district's is a logged refusal); the airport desk, for travelers still at
    the airport."""
    if can(officer, Area.ARRIVALS_DISPATCH):
        return
    if can(officer, Area.ARRIVALS_RECEIVING):
        _check_jurisdiction(officer, arrival.jurisdiction_id)
        return
    if can(officer, Area.ARRIVALS_DESK):
        if arrival.state not in AT_THE_AIRPORT:
            raise Conflict(
                gettext("This traveler has left the airport; ask dispatch or their district.")
            )
        return
    raise Refused(gettext("Your role may not do this."))


@_logs_denials
@transaction.atomic
def transfer_to_hospital(
    *, arrival: Arrival, officer: User, hospital: Site | None = None, reason: str = ""
) -> ArrivalEvent:
    """By ambulance, one traveler, to a designated hospital: the one way into "in hospital" for
    the whole pipeline — a fever case at the desk, a hospital disposition waiting at the
    airport, someone taken ill in transit, or a received traveler who fell ill in quarantine.

    1. who may ask: ``_check_may_send_to_hospital``;
    2. without a hospital disposition the officer says why;
    3. the move (the table refuses a traveler who already left the city's care);
    4. a departed batch left with nobody in transit closes.
    """
    arrival = Arrival.objects.select_for_update().get(pk=arrival.pk)
    _check_may_send_to_hospital(officer, arrival)
    if hospital is not None and hospital.kind != Site.Kind.DESIGNATED_HOSPITAL:
        raise Refused(gettext("Choose a designated hospital."), "hospital")
    reason = (reason or "").strip()
    if not reason and readiness.disposition_of(arrival) != DispositionChoice.HOSPITAL:
        raise Refused(gettext("Say why the traveler goes to hospital."), "reason")
    event = move(
        arrival,
        S.IN_HOSPITAL,
        actor=officer,
        where=hospital.name if hospital else "",
        why=reason[:300],
        data={
            "kind": events.TO_HOSPITAL_BECAUSE if reason else events.TO_HOSPITAL,
            **({"hospital": hospital.code} if hospital else {}),
        },
    )
    _close_if_complete(arrival)
    return event


@transaction.atomic
def see_off(*, arrival: Arrival, dispatcher: User, note: str = "") -> Arrival:
    """An onward transfer left the city under escort: the closed loop ends here."""
    _check_area(dispatcher, Area.ARRIVALS_DISPATCH)
    note = (note or "").strip()
    arrival = Arrival.objects.select_for_update().get(pk=arrival.pk)
    if arrival.state == S.DISPOSED and readiness.disposition_of(arrival) not in (
        DispositionChoice.ONWARD_TRANSFER,
    ):
        raise Refused(gettext("Only an onward transfer leaves the city."))
    move(
        arrival,
        S.LEFT_CITY,
        actor=dispatcher,
        where=arrival.onward_destination,
        why=note,
        data={"kind": events.LEFT_CITY_NOTE if note else events.LEFT_CITY},
    )
    _close_if_complete(arrival)
    return arrival


# --- District receipt ---------------------------------------------------------------------------


@_logs_denials
@transaction.atomic
def receive(*, batch: Batch, arrival_code: str, officer: User) -> BatchMember:
    """Confirm one traveler of a departed batch, by the code scanned from their declaration.

    1. the batch must have departed and be bound for the officer's jurisdiction;
    2. the code must belong to a traveler of this batch (otherwise: report an unexpected person);
    3. the member row is locked, so of two officers scanning the same traveler at once, one
       confirms and the other is told (``AlreadyReceived``);
    4. the traveler moves to "received"; the batch closes when nobody is left in transit.
    """
    _check_area(officer, Area.ARRIVALS_RECEIVING)
    batch = Batch.objects.select_related("destination_jurisdiction").get(pk=batch.pk)
    _check_jurisdiction(officer, batch.destination_jurisdiction_id)
    if batch.status == Batch.Status.PLANNED:
        raise Conflict(gettext("This batch has not departed yet; nobody can be received."))
    code = declaration_code(arrival_code)[:20]
    member = (
        # No join on confirmed_by: a transaction that waited for this lock re-reads the locked
        # row only, so a joined user would still be the one read before the wait (none).
        BatchMember.objects.select_for_update(of=("self",))
        .select_related("arrival")
        .filter(batch=batch, arrival__code=code)
        .first()
    )
    if member is None:
        other = Arrival.objects.filter(code=code).only("jurisdiction_id").first()
        if other is not None and other.jurisdiction_id != officer.jurisdiction_id:
            _check_jurisdiction(officer, other.jurisdiction_id, "code")
        raise Refused(
            gettext(
                "Code %(code)s is not in this batch. If this person is on the vehicle, report "
                "an unexpected traveler."
            )
            % {"code": code},
            "code",
        )
    if member.confirmed_at is not None:
        raise AlreadyReceived(
            gettext("%(code)s was already received by %(who)s at %(when)s.")
            % {
                "code": member.arrival.display_code,
                "who": member.confirmed_by.get_username() if member.confirmed_by else "?",
                "when": timezone.localtime(member.confirmed_at).strftime("%H:%M:%S"),
            },
            "code",
        )
    move(
        member.arrival,
        S.RECEIVED,
        actor=officer,
        where=str(batch.destination_jurisdiction),
        data={
            "kind": events.RECEIVED,
            "batch": batch.pk,
            "number": batch.number,
            "jurisdiction": batch.destination_jurisdiction.code,
        },
    )
    member.confirmed_at = timezone.now()
    member.confirmed_by = officer
    member.save(update_fields=["confirmed_at", "confirmed_by"])
    audit.record("update", member, fields=["confirmed_at", "confirmed_by"])
    _close_if_complete(member.arrival, batch=batch)
    return member


def _close_if_complete(arrival: Arrival, *, batch: Batch | None = None) -> Batch | None:
    """Close the departed batch once none of its travelers is still in transit."""
    if batch is None:
        member = (
            BatchMember.objects.select_related("batch")
            .filter(arrival=arrival, open=True, batch__status=Batch.Status.DEPARTED)
            .first()
        )
        if member is None:
            return None
        batch = member.batch
    batch = _lock_batch(batch)
    if batch.status != Batch.Status.DEPARTED:
        return None
    if batch.members.filter(arrival__state=S.IN_HANDOVER).exists():
        return None
    batch.status = Batch.Status.CLOSED
    batch.closed_at = timezone.now()
    batch.save(update_fields=["status", "closed_at"])
    batch.members.update(open=False)
    return batch


@_logs_denials
@transaction.atomic
def report_incident(
    *,
    batch: Batch,
    kind: Incident.Kind | str,
    officer: User,
    note: str,
    arrival_code: str = "",
) -> Incident:
    """A missing or unexpected person, for the dispatcher; the batch stays open meanwhile."""
    _check_area(officer, Area.ARRIVALS_RECEIVING)
    batch = Batch.objects.get(pk=batch.pk)
    _check_jurisdiction(officer, batch.destination_jurisdiction_id)
    if batch.status == Batch.Status.PLANNED:
        raise Conflict(gettext("This batch has not departed yet."))
    if kind not in Incident.Kind.values:
        raise Refused(gettext("Choose missing or unexpected."), "kind")
    if not note.strip():
        raise Refused(gettext("Describe what happened."), "note")
    arrival = None
    if arrival_code.strip():
        code = declaration_code(arrival_code)[:20]
        if kind == Incident.Kind.MISSING:
            member = batch.members.select_related("arrival").filter(arrival__code=code).first()
            if member is None:
                raise Refused(
                    gettext("Code %(code)s is not in this batch.") % {"code": code}, "code"
                )
            if member.confirmed_at is not None:
                raise Conflict(
                    gettext("%(code)s was already received.")
                    % {"code": member.arrival.display_code},
                    "code",
                )
            arrival = member.arrival
        else:
            # An unexpected person may be anyone's traveler: link the record without showing it.
            arrival = Arrival.objects.filter(code=code).first()
    return Incident.objects.create(
        batch=batch, kind=kind, arrival=arrival, note=note.strip()[:500], reported_by=officer
    )


@transaction.atomic
def resolve_incident(*, incident: Incident, dispatcher: User, resolution: str) -> Incident:
    _check_area(dispatcher, Area.ARRIVALS_DISPATCH)
    incident = Incident.objects.select_for_update().get(pk=incident.pk)
    if incident.resolved_at is not None:
        raise Conflict(gettext("This incident is already resolved."))
    if not resolution.strip():
        raise Refused(gettext("Say how the incident was resolved."), "resolution")
    incident.resolved_at = timezone.now()
    incident.resolved_by = dispatcher
    incident.resolution = resolution.strip()[:500]
    incident.save()
    return incident


# --- Quarantine ---------------------------------------------------------------------------------


@_logs_denials
@transaction.atomic
def start_quarantine(
    *,
    arrival: Arrival,
    officer: User,
    planned_end: date,
    site: Site | None = None,
    started_at: datetime | None = None,
) -> Quarantine:
    _check_area(officer, Area.ARRIVALS_RECEIVING)
    arrival = Arrival.objects.select_for_update().get(pk=arrival.pk)
    _check_jurisdiction(officer, arrival.jurisdiction_id)
    if arrival.state != S.RECEIVED:
        raise Conflict(gettext("Quarantine starts only for a received traveler."))
    if Quarantine.objects.filter(arrival=arrival).exists():
        raise Conflict(gettext("This traveler's quarantine has already started."))
    started_at = started_at or timezone.now()
    if planned_end < timezone.localtime(started_at).date():
        raise Refused(gettext("The planned end is before the start."), "planned_end")
    if site is not None and site.jurisdiction_id != arrival.jurisdiction_id:
        raise Refused(gettext("The site is not in the traveler's jurisdiction."), "site")
    return Quarantine.objects.create(
        arrival=arrival,
        site=site,
        started_at=started_at,
        planned_end=planned_end,
        recorded_by=officer,
    )


RELEASED_EARLY = events.RELEASED_EARLY
QUARANTINE_COMPLETE = events.QUARANTINE_COMPLETE


@_logs_denials
@transaction.atomic
def release(
    *, quarantine: Quarantine, officer: User, confirmed: bool = False, reason: str = ""
) -> Quarantine:
    """Quarantine ended: the traveler is released (解除隔离). A release cannot be undone, so:

    1. the officer must confirm it (``confirmed``), on the planned end or after it as before;
    2. before the planned end (the city's calendar day), only with a written ``reason``: the
       event says "released early" with that reason, never that the period is complete.

    The event keeps a code and its parameters in ``data`` (``kind``, ``planned_end``,
    ``reason``); pages render it in the reader's language (``liaison.arrivals.events``).
    """
    _check_area(officer, Area.ARRIVALS_RECEIVING)
    quarantine = (
        Quarantine.objects.select_for_update().select_related("arrival").get(pk=quarantine.pk)
    )
    _check_jurisdiction(officer, quarantine.arrival.jurisdiction_id)
    if quarantine.released_at is not None:
        raise Conflict(gettext("This traveler was already released."))
    reason = " ".join((reason or "").split())[:300]
    early = timezone.localdate() < quarantine.planned_end
    if early and not reason:
        raise Refused(
            gettext("The planned end is %(date)s: an early release needs a written reason.")
            % {"date": quarantine.planned_end.isoformat()},
            "reason",
        )
    if not confirmed:
        raise Refused(gettext("Confirm the release: it cannot be undone."), "confirm")
    data = {
        "kind": RELEASED_EARLY if early else QUARANTINE_COMPLETE,
        "planned_end": quarantine.planned_end.isoformat(),
    }
    if early:
        data["reason"] = reason
    # ``why`` holds only the officer's own words; the sentence is rendered from ``data``.
    move(quarantine.arrival, S.RELEASED, actor=officer, why=reason if early else "", data=data)
    quarantine.released_at = timezone.now()
    quarantine.save(update_fields=["released_at"])
    return quarantine
