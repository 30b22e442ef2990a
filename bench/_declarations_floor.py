"""The floor for bench/declarations.py: the least a server can do to store a declaration.

A bare WSGI handler on the same Django settings, gunicorn and database: read the JSON body and
INSERT the same arrival row with the ORM (one statement, no validation, no idempotency, no
revision, no event, no audit, no middleware). What the real endpoint costs above this is ours.
"""

import json
import os
import secrets

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "liaison.settings")
django.setup()

from django.db import close_old_connections  # noqa: E402
from django.utils import timezone  # noqa: E402

from liaison.arrivals.models import Arrival, Flight, new_code  # noqa: E402
from liaison.core.models import Jurisdiction, PortOfEntry  # noqa: E402

_flight = None
_jurisdiction = None


def application(environ, start_response):
    global _flight, _jurisdiction
    close_old_connections()
    body = json.loads(environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0)))
    if _flight is None:
        port = PortOfEntry.objects.order_by("code").first()
        _flight, _ = Flight.objects.get_or_create(
            number="KE147", date=body["arrival_date"], port=port
        )
        _jurisdiction = Jurisdiction.objects.get(code=body["jurisdiction"])
    now = timezone.now()
    # bulk_create: the bare INSERT, without the audit trail's post_save receiver.
    (arrival,) = Arrival.objects.bulk_create(
        [
            Arrival(
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
        ]
    )
    out = json.dumps({"code": arrival.code}).encode()
    start_response("201 Created", [("Content-Type", "application/json")])
    return [out]
