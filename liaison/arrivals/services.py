"""Writes of the arrivals desk. Each is one transaction and writes its event and audit entry."""

from __future__ import annotations

import hashlib
import ipaddress
import json
import logging
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext

from liaison.arrivals import events, states
from liaison.arrivals.declaration_data import IDENTITY_FIELDS, apply, identity_of
from liaison.arrivals.declaration_input import (
    Declaration,
    DeclarationInput,
    InvalidInput,
    fingerprint,
)
from liaison.arrivals.models import (
    Arrival,
    ConflictingDeclaration,
    DeclarationRevision,
    Flight,
    IdempotencyRecord,
    Source,
    new_code,
    new_status_token,
)
from liaison.core import audit, normalize
from liaison.core.models import AuditEntry, Jurisdiction, PortOfEntry, User
from liaison.core.refusals import Conflict, Refused
from liaison.core.rows import NewRow, insert_linked

logger = logging.getLogger(__name__)
T = TypeVar("T")


class InvalidDeclaration(Refused):
    """The declaration does not validate. ``errors`` name each field with a translated message
    (its ``problems``, all at once); ``input`` is the bound form, for a page to show the errors
    beside the fields."""

    def __init__(self, errors: list[dict[str, str]], input: DeclarationInput | None = None):
        super().__init__(problems=[(e["field"], e["message"]) for e in errors])
        self.errors = errors
        self.input = input


class IdempotencyConflict(Conflict):
    """The idempotency key was already used for a different request."""

    def __init__(self):
        super().__init__(
            gettext(
                "This Idempotency-Key was already used for a different declaration; "
                "use a new key for a new declaration."
            ),
            "Idempotency-Key",
        )


class AmendmentRefused(Conflict):
    """The traveler proved the declaration is theirs, but it can no longer be changed online:
    it is past "declared". Nothing was changed."""

    def __init__(self, state: str):
        self.state = state
        super().__init__(
            gettext(
                "Your declaration can no longer be changed here: it is already at the step "
                "“%(state)s”. Please tell the staff at the health desk what has changed."
            )
            % {"state": states.label(state)},
            "status_token",
        )


@dataclass(frozen=True)
class Declared:
    arrival: Arrival
    revision: DeclarationRevision
    created: bool  # a new arrival (False: a new version of an existing one, or a replay)
    replayed: bool  # the same idempotency key and body: the first answer, nothing written


@dataclass(frozen=True)
class Received:
    """A declaration held for the desk (``ConflictingDeclaration``): it claimed an existing
    traveler's document, flight and day without their private status link.

    Its receipt names only this submission. It holds no arrival, on purpose: nothing of the
    declaration on file — its code, link or data — can reach the submitter through it.
    """

    reference: str

    @property
    def display_reference(self) -> str:
        return f"{self.reference[:4]}-{self.reference[4:]}"


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
    entered_by: User | None = None,
    idempotency_key: str | None = None,
    request_fingerprint: str | None = None,
    port: PortOfEntry | None = None,
    status_token: str = "",
) -> Declared | Received:
    """Record a health declaration: a new arrival, the traveler's amendment of their own, or a
    conflicting declaration held for the desk.

    ``data`` is raw input — a browser's form data (a QueryDict) or an API body (a dict) — or an
    already validated ``Declaration``. ``status_token`` is the proof that an existing declaration
    is the submitter's own: the token of their private status link.

    1. A known idempotency key with the same request replays the first answer and writes
       nothing; with another request it raises ``IdempotencyConflict``.
    2. Otherwise the input must be valid (``InvalidDeclaration`` names each bad field).
    3. With ``status_token``: the traveler amends their own declaration (``_amend``), only while
       it is "declared" (else ``AmendmentRefused``), and never its document, flight or day.
    4. Without: a traveler's first declaration — arrival in state "declared", first version,
       first event, audit entry, idempotency record — is one write (``_declare_new``), with no
       look-up first: the unique constraints on the key and on document + flight + day refuse a
       retry or a second declaration, and nothing is written.
    5. Then, in a transaction, the general path looks (``_declare``): a retry is replayed
       (step 1); a declaration for a document, flight and day already declared changes nothing
       there and is held for the desk as a ``ConflictingDeclaration`` (``Received``: a receipt
       of its own); a race lost to another request is tried again.
    """
    key_fingerprint = request_fingerprint
    if idempotency_key and key_fingerprint is None:
        key_fingerprint = fingerprint(data if not isinstance(data, Declaration) else data.data)
        if status_token:  # the proof is part of the request: a retry without it is another one
            key_fingerprint = fingerprint({"request": key_fingerprint, "proof": status_token})
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
    if status_token:
        return _retrying(
            idempotency_key,
            key_fingerprint,
            lambda: _amend(declaration, raw=data, status_token=status_token, **write),
        )
    day = date.fromisoformat(declaration.data["arrival_date"])
    flight = _flight(declaration.data["flight_number"], day, port)
    try:
        return _declare_new(declaration, flight=flight, **write)
    except IntegrityError:
        # A retry (the key is taken), a second declaration for this traveler, or a lost race:
        # nothing was written; find out which, in a transaction.
        pass
    return _retrying(
        idempotency_key, key_fingerprint, lambda: _declare(declaration, flight=flight, **write)
    )


def _retrying(
    idempotency_key: str | None, key_fingerprint: str | None, write: Callable[[], T]
) -> T | Declared:
    """``write`` in a transaction, replaying a retry first; looked at again after a lost race."""
    for attempt in range(5):
        replay = _replay(idempotency_key, key_fingerprint)
        if replay is not None:
            return replay
        try:
            with transaction.atomic():
                return write()
        except IntegrityError:
            # Someone else wrote the same key, traveler, code or conflict first: look again.
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
    entered_by: User | None,
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


def _new_arrival(
    data: dict[str, Any], *, flight: Flight, source, entered_by: User | None, now
) -> Arrival:
    arrival = Arrival(
        code=new_code(),
        status_token=new_status_token(),
        flight=flight,
        arrival_date=date.fromisoformat(data["arrival_date"]),
        source=source,
        entered_by=entered_by,
        created_at=now,
    )
    apply(arrival, data, now=now)
    return arrival


def _first_event(arrival: Arrival, flight: Flight, source: Source, entered_by: User | None):
    return states.first_event(
        arrival,
        actor=entered_by,
        where=str(flight.port),
        # A code and its parameter: pages say it in the reader's language (events.describe).
        data={"kind": events.DECLARED, "source": Source(source).value, "port": flight.port.code},
    )


def _declare(
    declaration: Declaration,
    *,
    flight: Flight,
    source: Source,
    entered_by: User | None,
    idempotency_key: str | None,
    key_fingerprint: str | None,
) -> Declared | Received:
    """The general path, in the caller's transaction: a conflicting declaration held for the desk
    if this document, flight and day are declared already, else (the first write lost a race on
    its code) a new arrival.

    Without the traveler's proof nothing of the declaration on file changes — not its data, state
    or jurisdiction — and nothing of it is returned.
    """
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
    if arrival is not None:
        return _hold(arrival, declaration, source=source, entered_by=entered_by, now=now)
    arrival = _new_arrival(data, flight=flight, source=source, entered_by=entered_by, now=now)
    arrival.save()
    revision = DeclarationRevision.objects.create(
        arrival=arrival, number=1, data=data, source=source, entered_by=entered_by, submitted_at=now
    )
    _first_event(arrival, flight, source, entered_by).save()
    _keep_answer(idempotency_key, key_fingerprint, revision, now=now)
    return Declared(arrival, revision, created=True, replayed=False)


def _keep_answer(key: str | None, key_fingerprint: str | None, revision, *, now) -> None:
    if key:
        IdempotencyRecord.objects.create(
            key=key,
            fingerprint=key_fingerprint,
            arrival_id=revision.arrival_id,
            revision=revision,
            created_at=now,
        )


def submitted_data_fingerprint(data: Mapping[str, Any]) -> str:
    """A digest of a validated declaration: the same data for the same arrival is one conflict."""
    text = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def _client_address() -> str | None:
    address = audit.current().ip_address
    try:
        return str(ipaddress.ip_address(address)) if address else None
    except ValueError:
        return None


def _hold(
    arrival: Arrival, declaration: Declaration, *, source: Source, entered_by: User | None, now
) -> Received:
    """Keep a declaration that claims ``arrival`` (locked by the caller) without its proof.

    The same data for the same arrival again is the same conflict (its fingerprint is unique per
    arrival). Data identical to the version on file is kept too, as resolved on arrival: a
    double tap, or someone who already knows everything, learns nothing and changes nothing.
    """
    data = declaration.data
    digest = submitted_data_fingerprint(data)
    held = ConflictingDeclaration.objects.filter(arrival=arrival, fingerprint=digest)
    reference = held.values_list("reference", flat=True).first()
    if reference is not None:
        return Received(reference)
    on_file = arrival.revisions.order_by("-number").values_list("data", flat=True).first()
    identical = on_file == data
    conflict = ConflictingDeclaration(
        arrival=arrival,
        reference=new_code(),
        fingerprint=digest,
        data=data,
        source=source,
        entered_by=entered_by,
        submitted_at=now,
        client_address=_client_address(),
        resolution=(
            ConflictingDeclaration.Resolution.IDENTICAL
            if identical
            else ConflictingDeclaration.Resolution.OPEN
        ),
        resolved_at=now if identical else None,
    )
    # A race on the same data (or the reference) raises IntegrityError: ``declare`` looks again.
    conflict.save()
    return Received(conflict.reference)


def _amend(
    declaration: Declaration,
    *,
    raw,
    status_token: str,
    source: Source,
    entered_by: User | None,
    idempotency_key: str | None,
    key_fingerprint: str | None,
) -> Declared:
    """The traveler's new version of their own declaration, in the caller's transaction.

    The status token is the proof; a wrong one is refused without saying whether anything was
    declared with this document. Only while "declared", and not the document, flight or day
    (another declaration's, perhaps: the desk corrects those).
    """
    arrival = (
        Arrival.objects.select_for_update()
        .select_related("flight")
        .filter(status_token=status_token)
        .first()
        if 0 < len(status_token) <= 64
        else None
    )
    if arrival is None or not secrets.compare_digest(arrival.status_token, status_token):
        message = gettext("This status link is not valid. Use the link from your receipt.")
        raise InvalidDeclaration([{"field": "status_token", "message": message}])
    identity = identity_of(arrival)
    changed = [name for name in IDENTITY_FIELDS if declaration.data[name] != identity[name]]
    if changed:
        message = gettext(
            "This cannot be changed in your declaration; the staff at the health desk can "
            "correct it."
        )
        errors = [{"field": name, "message": message} for name in changed]
        bound = None
        if hasattr(raw, "getlist"):
            bound = DeclarationInput(raw)
            bound.is_valid()
            for name in changed:
                bound.form.add_error(name, message)
        raise InvalidDeclaration(errors, bound)
    if arrival.state != states.ArrivalState.DECLARED:
        raise AmendmentRefused(arrival.state)
    now = timezone.now()
    number = arrival.revisions.count() + 1
    apply(arrival, declaration.data, now=now)
    arrival.save()
    revision = DeclarationRevision.objects.create(
        arrival=arrival,
        number=number,
        data=declaration.data,
        source=source,
        entered_by=entered_by,
        submitted_at=now,
    )
    _keep_answer(idempotency_key, key_fingerprint, revision, now=now)
    return Declared(arrival, revision, created=False, replayed=False)


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
    flight: Flight | None  # None when the file was refused
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
    from liaison.arrivals.models import ManifestEntry

    parsed = manifests.read(content, filename)
    if parsed.problems:
        # Refused before anything is written: not even the flight is created.
        return ManifestImport(None, 0, 0, 0, parsed.problems)
    number = normalize.flight_number(flight_number)
    with transaction.atomic():
        flight = _flight(number, day, port)
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
    from liaison.arrivals.reference_cache import forget_reference

    forget_reference()
    forget_cached_flights()


def connect_cache_invalidation() -> None:
    from django.db.models.signals import post_delete, post_save

    for model in (Jurisdiction, PortOfEntry, Flight):
        post_save.connect(forget_cached_reference, sender=model, dispatch_uid=f"arrivals-{model}")
        post_delete.connect(
            forget_cached_reference, sender=model, dispatch_uid=f"arrivals-del-{model}"
        )
