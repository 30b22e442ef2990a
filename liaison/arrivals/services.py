"""Writes of the arrivals desk. Each is one transaction and writes its event and audit entry."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext

from liaison.arrivals import states
from liaison.arrivals.forms import (
    Declaration,
    DeclarationInput,
    InvalidInput,
    active_jurisdictions,
    fingerprint,
)
from liaison.arrivals.models import (
    Arrival,
    Category,
    DeclarationRevision,
    DestinationKind,
    Flight,
    IdempotencyRecord,
    Source,
    new_code,
    new_status_token,
)
from liaison.core import audit
from liaison.core.models import AuditEntry, Jurisdiction, PortOfEntry
from liaison.core.rows import NewRow, insert_linked
from liaison.policy.engine import Facts, facts_to_record

logger = logging.getLogger(__name__)

_ENGINE_CATEGORY = {
    Category.CREW: "crew",
    Category.DIPLOMAT: "diplomat",
    Category.CONSULAR: "consular",
}
# Fields of a declaration copied onto the arrival as they are.
_PLAIN_FIELDS = (
    "surname_native",
    "given_names_native",
    "surname_latin",
    "given_names_latin",
    "sex",
    "nationality",
    "document_type",
    "document_number",
    "mrz",
    "phone",
    "email",
    "language",
    "seat",
    "category",
    "accreditation_number",
    "purpose",
    "history",
    "transits",
    "symptoms",
    "contact_with_cases",
    "pregnant",
    "severe_condition",
    "unaccompanied_minor",
    "destination_kind",
    "address",
    "onward_destination",
)


class InvalidDeclaration(Exception):  # noqa: N818
    """The declaration does not validate. ``errors`` name each field with a translated message;
    ``input`` is the bound form, for a page to show the errors beside the fields."""

    def __init__(self, errors: list[dict[str, str]], input: DeclarationInput | None = None):
        super().__init__("; ".join(f"{e['field']}: {e['message']}" for e in errors))
        self.errors = errors
        self.input = input


class IdempotencyConflict(Exception):  # noqa: N818
    """The idempotency key was already used for a different request."""

    def __init__(self):
        self.message = gettext(
            "This Idempotency-Key was already used for a different declaration; "
            "use a new key for a new declaration."
        )
        super().__init__(self.message)


@dataclass(frozen=True)
class Declared:
    arrival: Arrival
    revision: DeclarationRevision
    created: bool  # a new arrival (False: a new version of an existing one, or a replay)
    replayed: bool  # the same idempotency key and body: the first answer, nothing written


def validate(data: Mapping[str, Any]) -> Declaration:
    """Validate raw input (a browser's form data or an API body); raise InvalidDeclaration."""
    try:
        bound = (
            DeclarationInput(data) if hasattr(data, "getlist") else DeclarationInput.from_json(data)
        )
    except InvalidInput as invalid:
        raise InvalidDeclaration(invalid.errors) from None
    if not bound.is_valid():
        raise InvalidDeclaration(bound.errors(), bound)
    return bound.cleaned()


def declare(
    *,
    data: Mapping[str, Any] | Declaration,
    source: Source | str,
    entered_by=None,
    idempotency_key: str | None = None,
    request_fingerprint: str | None = None,
    port: PortOfEntry | None = None,
) -> Declared:
    """Record a health declaration: a new arrival, or a new version of the same traveler's one.

    ``data`` is raw input — a browser's form data (a QueryDict) or an API body (a dict) — or an
    already validated ``Declaration``.

    1. A known idempotency key with the same request replays the first answer and writes
       nothing; with another request it raises ``IdempotencyConflict``.
    2. Otherwise the input must be valid (``InvalidDeclaration`` names each bad field).
    3. A traveler's first declaration — arrival in state "declared", first version, first event,
       audit entry, idempotency record — is one write (``_declare_new``), with no look-up first:
       the unique constraints on the key and on document + flight + day refuse a retry or a second
       declaration, and nothing is written.
    4. Then, in a transaction, the general path looks: a retry is replayed (step 1), the same
       traveler gets a new version of the one arrival (facts rebuilt, version kept, audit
       written), and a race lost to another request is tried again.
    """
    key_fingerprint = request_fingerprint
    if idempotency_key and key_fingerprint is None:
        key_fingerprint = fingerprint(data if not isinstance(data, Declaration) else data.data)
    try:
        declaration = data if isinstance(data, Declaration) else validate(data)
    except InvalidDeclaration:
        # A retry of a request that was valid when first made, or a reused key: say so.
        replay = _replay(idempotency_key, key_fingerprint)
        if replay is not None:
            return replay
        raise
    write = {
        "source": Source(source),
        "entered_by": entered_by,
        "idempotency_key": idempotency_key,
        "key_fingerprint": key_fingerprint,
    }
    day = date.fromisoformat(declaration.data["arrival_date"])
    flight = _flight(declaration.data["flight_number"], day, port)
    try:
        return _declare_new(declaration, flight=flight, **write)
    except IntegrityError:
        # A retry (the key is taken), this traveler's new version, or a lost race: nothing was
        # written; find out which, in a transaction.
        pass
    for attempt in range(5):
        replay = _replay(idempotency_key, key_fingerprint)
        if replay is not None:
            return replay
        try:
            with transaction.atomic():
                return _declare(declaration, flight=flight, **write)
        except IntegrityError:
            # Someone else wrote the same key, traveler or code first: look again.
            if attempt == 4:
                raise
    raise AssertionError("unreachable")


def _replay(idempotency_key: str | None, key_fingerprint: str | None) -> Declared | None:
    if not idempotency_key:
        return None
    found = IdempotencyRecord.objects.filter(key=idempotency_key).values_list(
        "fingerprint", "arrival_id", "revision_id"
    )[:1]
    if not found:
        return None
    ((stored_fingerprint, arrival_id, revision_id),) = found
    if stored_fingerprint != key_fingerprint:
        raise IdempotencyConflict()
    return Declared(
        Arrival.objects.get(pk=arrival_id),
        DeclarationRevision.objects.get(pk=revision_id),
        created=False,
        replayed=True,
    )


def _declare_new(
    declaration: Declaration,
    *,
    flight: Flight,
    source: Source,
    entered_by,
    idempotency_key: str | None,
    key_fingerprint: str | None,
) -> Declared:
    """A traveler's first declaration: its five rows in one write (``insert_linked``).

    Raises IntegrityError, having written nothing, if the traveler already declared for this
    flight and day or the idempotency key is taken; ``declare`` then takes the general path.
    """
    data = declaration.data
    now = timezone.now()
    arrival = _new_arrival(data, flight=flight, source=source, entered_by=entered_by, now=now)
    revision = DeclarationRevision(
        arrival=arrival, number=1, data=data, source=source, entered_by=entered_by, submitted_at=now
    )
    to_arrival = {"arrival_id": 0}
    rows = [
        NewRow(arrival),
        NewRow(revision, to_arrival),
        NewRow(_first_event(arrival, flight, source, entered_by), to_arrival),
        NewRow(audit.new_entry(AuditEntry.Action.CREATE, arrival), {"object_id": 0}),
    ]
    if idempotency_key:
        record = IdempotencyRecord(key=idempotency_key, fingerprint=key_fingerprint, created_at=now)
        rows.append(NewRow(record, {"arrival_id": 0, "revision_id": 1}))
    insert_linked(rows)
    arrival._audit_snapshot()
    return Declared(arrival, revision, created=True, replayed=False)


def _new_arrival(data: dict[str, Any], *, flight: Flight, source, entered_by, now) -> Arrival:
    arrival = Arrival(
        code=new_code(),
        status_token=new_status_token(),
        flight=flight,
        arrival_date=date.fromisoformat(data["arrival_date"]),
        source=source,
        entered_by=entered_by,
        created_at=now,
    )
    _apply(arrival, data, now=now)
    return arrival


def _first_event(arrival: Arrival, flight: Flight, source: Source, entered_by):
    return states.first_event(
        arrival,
        actor=entered_by,
        where=str(flight.port),
        # Stored words stay in one language; pages translate the state, not this note.
        why=f"health declaration ({Source(source).value})",
    )


def _declare(
    declaration: Declaration,
    *,
    flight: Flight,
    source: Source,
    entered_by,
    idempotency_key: str | None,
    key_fingerprint: str | None,
) -> Declared:
    """The general path, in the caller's transaction: a new version of this traveler's
    declaration, or (if the first write lost a race on its code) a new arrival."""
    data = declaration.data
    arrival = (
        Arrival.objects.select_for_update()
        .filter(
            document_type=data["document_type"],
            document_number=data["document_number"],
            flight=flight,
            arrival_date=data["arrival_date"],
        )
        .first()
    )
    now = timezone.now()
    created = arrival is None
    if created:
        arrival = _new_arrival(data, flight=flight, source=source, entered_by=entered_by, now=now)
        number = 1
    else:
        number = arrival.revisions.count() + 1
        _apply(arrival, data, now=now)
    arrival.save()
    revision = DeclarationRevision.objects.create(
        arrival=arrival,
        number=number,
        data=data,
        source=source,
        entered_by=entered_by,
        submitted_at=now,
    )
    if created:
        _first_event(arrival, flight, source, entered_by).save()
    if idempotency_key:
        IdempotencyRecord.objects.create(
            key=idempotency_key,
            fingerprint=key_fingerprint,
            arrival=arrival,
            revision=revision,
            created_at=now,
        )
    return Declared(arrival, revision, created=created, replayed=False)


def _apply(arrival: Arrival, data: dict[str, Any], *, now: datetime) -> None:
    for name in _PLAIN_FIELDS:
        setattr(arrival, name, data[name])
    arrival.date_of_birth = date.fromisoformat(data["date_of_birth"])
    arrival.onward_departure = (
        datetime.fromisoformat(data["onward_departure"]) if data["onward_departure"] else None
    )
    arrival.jurisdiction = _jurisdiction(data["jurisdiction"])
    arrival.consented_at = now
    arrival.updated_at = now
    arrival.facts = facts_to_record(facts_of(arrival, keep=arrival.facts or None))


def facts_of(arrival: Arrival, *, keep: Mapping[str, Any] | None = None) -> Facts:
    """The policy engine's facts of an arrival's declaration.

    Screening and the laboratory add temperatures and the test result later; a new version of the
    declaration must not forget them, so they are carried over from ``keep`` (the stored facts).
    """
    keep = keep or {}
    age = None
    if arrival.date_of_birth:
        born, on = arrival.date_of_birth, arrival.arrival_date
        age = on.year - born.year - ((on.month, on.day) < (born.month, born.day))
    hours = None
    if arrival.destination_kind == DestinationKind.ONWARD and arrival.onward_departure:
        start = datetime.combine(
            arrival.arrival_date, time.min, tzinfo=timezone.get_current_timezone()
        )
        reference = (
            max(start, timezone.now()) if arrival.arrival_date == timezone.localdate() else start
        )
        hours = round((arrival.onward_departure - reference) / timedelta(hours=1), 1)
    return Facts(
        arrival_date=arrival.arrival_date,
        history=[
            {
                "country": row["country"],
                "date_from": date.fromisoformat(row["date_from"]),
                "date_to": date.fromisoformat(row["date_to"]),
                "city": row.get("city", ""),
            }
            for row in arrival.history
        ],
        transits=[
            {
                "country": row["country"],
                "on": date.fromisoformat(row["on"]),
                "city": row.get("city", ""),
            }
            for row in arrival.transits
        ],
        temperatures=tuple(keep.get("temperatures", ())),
        symptoms=bool(arrival.symptoms),
        contact_with_cases=arrival.contact_with_cases,
        test_result=keep.get("test_result"),
        age=age,
        pregnant=arrival.pregnant,
        severe_condition=arrival.severe_condition,
        unaccompanied_minor=arrival.unaccompanied_minor,
        category=_ENGINE_CATEGORY.get(arrival.category, "ordinary"),
        accreditation_number=arrival.accreditation_number or None,
        destination_kind=arrival.destination_kind,
        destination_jurisdiction=arrival.jurisdiction.code if arrival.jurisdiction_id else None,
        onward_departure_hours=hours,
    )


def _jurisdiction(code: str) -> Jurisdiction | None:
    if not code:
        return None
    return active_jurisdictions().get(code) or Jurisdiction.objects.get(code=code)


# Flights and the airport are looked up once per process: a plane brings hundreds of travelers.
_flights: dict[tuple[str, date, int], Flight] = {}
_port: dict[str, PortOfEntry] = {}


def default_port() -> PortOfEntry:
    """The city's airport: the first port of entry that is an airport."""
    if "default" not in _port:
        port = PortOfEntry.objects.filter(kind=PortOfEntry.Kind.AIRPORT).order_by("code").first()
        if port is None:
            raise RuntimeError("No airport in the reference data: run `manage.py load_reference`.")
        _port["default"] = port
    return _port["default"]


def forget_cached_flights() -> None:
    _flights.clear()
    _port.clear()


def _flight(number: str, day: date, port: PortOfEntry | None) -> Flight:
    port = port or default_port()
    key = (number, day, port.pk)
    flight = _flights.get(key)
    if flight is None:
        flight, _created = Flight.objects.select_related("port").get_or_create(
            number=number, date=day, port=port
        )
        # Not cached until committed: a rolled-back flight must not be remembered.
        transaction.on_commit(lambda: _flights.__setitem__(key, flight))
    return flight


@dataclass(frozen=True)
class ManifestImport:
    flight: Flight
    created: int
    updated: int
    unchanged: int
    problems: list[tuple[int, str]]
    removed: int = 0


def import_manifest(
    *, flight_number: str, day: date, content: bytes, filename: str, port: PortOfEntry | None = None
) -> ManifestImport:
    """Load an airline's passenger list as the flight's expected arrivals.

    All or nothing: a file with any bad row changes nothing and reports every bad row with its
    line number. Rows are keyed by document number, so importing the same file again changes
    nothing; a corrected file is the flight's list from then on: names and seats are updated in
    place, and passengers no longer on it are removed.
    """
    from liaison.arrivals import manifests
    from liaison.arrivals.forms import normalise_flight
    from liaison.arrivals.models import ManifestEntry

    parsed = manifests.read(content, filename)
    number = normalise_flight(flight_number)
    with transaction.atomic():
        flight = _flight(number, day, port)
        if parsed.problems:
            return ManifestImport(flight, 0, 0, 0, parsed.problems)
        existing = {e.document_number: e for e in ManifestEntry.objects.filter(flight=flight)}
        new, changed, unchanged = [], [], 0
        for row in parsed.rows:
            entry = existing.get(row.document_number)
            if entry is None:
                new.append(
                    ManifestEntry(
                        flight=flight,
                        name=row.name,
                        document_number=row.document_number,
                        seat=row.seat,
                        line=row.line,
                    )
                )
            elif (entry.name, entry.seat, entry.line) != (row.name, row.seat, row.line):
                entry.name, entry.seat, entry.line = row.name, row.seat, row.line
                changed.append(entry)
            else:
                unchanged += 1
        listed = {row.document_number for row in parsed.rows}
        gone = [e.pk for number, e in existing.items() if number not in listed]
        ManifestEntry.objects.filter(pk__in=gone).delete()
        ManifestEntry.objects.bulk_create(new)
        ManifestEntry.objects.bulk_update(changed, ["name", "seat", "line"])
        created_ids = ManifestEntry.objects.filter(
            flight=flight, document_number__in=[e.document_number for e in new]
        ).values_list("pk", flat=True)
        audit.record_many("create", ManifestEntry, created_ids, note=f"manifest {flight}")
        audit.record_many(
            "update", ManifestEntry, [e.pk for e in changed], note=f"manifest {flight}"
        )
        audit.record_many("delete", ManifestEntry, gone, note=f"manifest {flight}")
    return ManifestImport(flight, len(new), len(changed), unchanged, [], removed=len(gone))


def forget_cached_reference(**kwargs) -> None:
    """Reference data or a flight changed (or was loaded afresh): drop what this process cached."""
    from liaison.arrivals.forms import forget_reference

    forget_reference()
    forget_cached_flights()


def connect_cache_invalidation() -> None:
    from django.db.models.signals import post_delete, post_save

    for model in (Jurisdiction, PortOfEntry, Flight):
        post_save.connect(forget_cached_reference, sender=model, dispatch_uid=f"arrivals-{model}")
        post_delete.connect(
            forget_cached_reference, sender=model, dispatch_uid=f"arrivals-del-{model}"
        )
