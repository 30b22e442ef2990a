"""The floors for bench/declarations.py: the least a server can do to store a declaration.

Bare WSGI handlers on the same Django settings, gunicorn and database, with no middleware and no
validation:

- ``application`` reads the JSON body and INSERTs the same arrival row with the ORM (one
  statement: no revision, event, audit entry or idempotency record) — the floor the issue names;
- ``application_same_rows`` writes the five rows a declaration must write (arrival, first
  version, first event, audit entry, idempotency record) with the ORM in one transaction, one
  INSERT each — what any handler that keeps issue 3's promises has to pay at least;
- ``application_nothing`` reads the body and answers 201, storing nothing and not even touching
  Django: the most this server and machine can answer, whatever the app does;
- ``application_app_write`` stores the declaration with the app's own write
  (``services.declare`` given an already validated declaration: ``core.rows.insert_linked``)
  — the app without its HTTP stack and without validation, to show where the rest goes.
"""

import json
import os
import secrets

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "liaison.settings")
django.setup()

from django.db import close_old_connections, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from liaison.arrivals import services  # noqa: E402
from liaison.arrivals.declaration_input import Declaration  # noqa: E402
from liaison.arrivals.models import (  # noqa: E402
    Arrival,
    ArrivalEvent,
    DeclarationRevision,
    Flight,
    IdempotencyRecord,
    new_code,
)
from liaison.core.models import AuditEntry, Jurisdiction, PortOfEntry  # noqa: E402

_flight = None
_jurisdiction = None


def application(environ, start_response):
    body, now = _read(environ)
    # bulk_create: the bare INSERT, without the audit trail's post_save receiver.
    (arrival,) = Arrival.objects.bulk_create([_arrival(body, now)])
    return _created(arrival, start_response)


def application_same_rows(environ, start_response):
    body, now = _read(environ)
    with transaction.atomic():
        (arrival,) = Arrival.objects.bulk_create([_arrival(body, now)])
        (revision,) = DeclarationRevision.objects.bulk_create(
            [
                DeclarationRevision(
                    arrival=arrival, number=1, data=body, source="api", submitted_at=now
                )
            ]
        )
        ArrivalEvent.objects.bulk_create(
            [ArrivalEvent(arrival=arrival, at=now, from_state="", to_state="declared", why="api")]
        )
        AuditEntry.objects.bulk_create(
            [AuditEntry(action="create", object_type="arrivals.arrival", object_id=str(arrival.pk))]
        )
        IdempotencyRecord.objects.bulk_create(
            [
                IdempotencyRecord(
                    key=environ.get("HTTP_IDEMPOTENCY_KEY", ""),
                    fingerprint="-",
                    arrival=arrival,
                    revision=revision,
                    created_at=now,
                )
            ]
        )
    return _created(arrival, start_response)


def application_nothing(environ, start_response):
    environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
    start_response("201 Created", [("Content-Type", "application/json")])
    return [b'{"code": ""}']


_validated = None


def validated_once(body: dict) -> Declaration:
    """``body`` as validated, its validation done for the first body only (the bench's bodies
    differ in their document number alone): for servers that measure the write, not the checks."""
    global _validated
    if _validated is None:
        _validated = services.validate(body).data
    return Declaration({**_validated, "document_number": body["document_number"]})


def application_app_write(environ, start_response):
    body, _now = _read(environ)
    result = services.declare(
        data=validated_once(body),
        source="api",
        idempotency_key=environ.get("HTTP_IDEMPOTENCY_KEY"),
        request_fingerprint="-",
    )
    return _created(result.arrival, start_response)


def _read(environ):
    global _flight, _jurisdiction
    close_old_connections()
    body = json.loads(environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0)))
    if _flight is None:
        port = PortOfEntry.objects.order_by("code").first()
        _flight, _ = Flight.objects.get_or_create(
            number="KE147", date=body["arrival_date"], port=port
        )
        _jurisdiction = Jurisdiction.objects.get(code=body["jurisdiction"])
    return body, timezone.now()


def _arrival(body, now) -> Arrival:
    return Arrival(
        code=new_code(),
        status_token=secrets.token_urlsafe(24),
        surname_native=body["surname_native"],
        given_names_native=body["given_names_native"],
        surname_latin=body["surname_latin"],
        given_names_latin=body["given_names_latin"],
        sex=body["sex"],
        date_of_birth=body["date_of_birth"],
        nationality=body["nationality"],
        document_type=body["document_type"],
        document_number=body["document_number"],
        phone=body["phone"],
        email=body["email"],
        language=body["language"],
        flight=_flight,
        seat=body["seat"],
        arrival_date=body["arrival_date"],
        category=body["category"],
        history=body["history"],
        transits=body["transits"],
        symptoms=body["symptoms"],
        contact_with_cases=body["contact_with_cases"],
        destination_kind=body["destination_kind"],
        jurisdiction=_jurisdiction,
        address=body["address"],
        consented_at=now,
        source="api",
        created_at=now,
        updated_at=now,
    )


def _created(arrival, start_response):
    out = json.dumps({"code": arrival.code}).encode()
    start_response("201 Created", [("Content-Type", "application/json")])
    return [out]
