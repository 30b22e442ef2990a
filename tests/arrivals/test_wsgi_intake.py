"""The WSGI application serves the public declarations API through its own, shorter middleware
chain (liaison/handlers.py) and every other request through the whole one.

These tests call the real WSGI application, as gunicorn does, rather than the test client (which
builds its own handler with the whole chain).
"""

import io
import json

import pytest
from django.core import signals
from django.db import close_old_connections
from django.urls import reverse

from liaison.arrivals.models import Arrival
from liaison.core.models import AuditEntry
from liaison.handlers import INTAKE_PATHS
from liaison.wsgi import application


@pytest.fixture
def call(city):
    """Call the WSGI application inside the test's transaction, as Django's test client does:
    without closing the database connection around each request."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)

    def _call(
        method: str, path: str, body: bytes = b"", content_type="application/json", **headers
    ):
        environ = {
            "REQUEST_METHOD": method,
            "PATH_INFO": path,
            "QUERY_STRING": "",
            "SERVER_NAME": "testserver",
            "SERVER_PORT": "80",
            "HTTP_HOST": "testserver",
            "REMOTE_ADDR": "203.0.113.7",
            "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(body),
            "CONTENT_LENGTH": str(len(body)),
            "CONTENT_TYPE": content_type,
            **{f"HTTP_{name.upper().replace('-', '_')}": value for name, value in headers.items()},
        }
        answer = {}

        def start_response(status, response_headers, exc_info=None):
            answer["status"] = int(status.split()[0])
            answer["headers"] = dict(response_headers)

        answer["body"] = b"".join(application(environ, start_response))
        return answer

    yield _call
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def test_the_intake_path_is_the_declarations_api():
    assert reverse("api:create_declaration") in INTAKE_PATHS


def test_a_declaration_through_the_short_chain_is_stored_and_audited(call, payload):
    body = json.dumps(payload()).encode()
    answer = call("POST", "/api/v1/declarations", body, **{"Idempotency-Key": "wsgi-intake-1"})
    assert answer["status"] == 201, answer["body"]
    code = json.loads(answer["body"])["code"]
    arrival = Arrival.objects.get(code=code)
    entry = AuditEntry.objects.get(object_type="arrivals.arrival", object_id=str(arrival.pk))
    assert (entry.action, entry.ip_address, entry.path) == (
        "create",
        "203.0.113.7",
        "/api/v1/declarations",
    )
    # The staff chain's clickjacking header is not set on this JSON answer: the short chain ran.
    assert "X-Frame-Options" not in answer["headers"]
    again = call("POST", "/api/v1/declarations", body, **{"Idempotency-Key": "wsgi-intake-1"})
    assert json.loads(again["body"])["code"] == code and Arrival.objects.count() == 1


def test_behind_a_trusted_proxy_the_short_chain_audits_the_travelers_address(
    call, payload, settings
):
    settings.LIAISON_TRUSTED_PROXIES = ["203.0.113.7"]  # the peer, here the proxy
    body = json.dumps(payload()).encode()
    answer = call(
        "POST",
        "/api/v1/declarations",
        body,
        **{"Idempotency-Key": "wsgi-intake-3", "X-Forwarded-For": "198.51.100.4"},
    )
    assert answer["status"] == 201, answer["body"]
    entry = AuditEntry.objects.get(object_type="arrivals.arrival")
    assert entry.ip_address == "198.51.100.4"


def test_errors_through_the_short_chain_are_in_the_travelers_language(call, payload):
    body = json.dumps(payload(date_of_birth="2999-01-01")).encode()
    answer = call(
        "POST",
        "/api/v1/declarations",
        body,
        **{"Idempotency-Key": "wsgi-intake-2", "Accept-Language": "ko"},
    )
    assert answer["status"] == 400
    (error,) = json.loads(answer["body"])["errors"]
    assert error["field"] == "date_of_birth"
    assert any("\uac00" <= ch <= "\ud7a3" for ch in error["message"])  # Hangul
    assert not Arrival.objects.exists()


def test_every_other_request_goes_through_the_whole_chain(call):
    page = call("GET", "/declare/", b"")
    assert page["status"] == 200
    assert page["headers"]["X-Frame-Options"] == "DENY"
    # A GET of the intake path is not the intake: the whole chain answers it.
    assert call("GET", "/api/v1/declarations")["headers"].get("X-Frame-Options") == "DENY"


@pytest.mark.parametrize(
    ("body", "content_type", "status", "field"),
    [
        (b"x" * (3 * 1024 * 1024), "application/json", 413, ""),
        (b'{"surname_latin": "\xff\xfe"}', "application/json", 400, ""),
        (b"surname_latin=KIM", "application/x-www-form-urlencoded", 415, ""),
        (b"", "application/json", 400, ""),
        (b'{"surname_latin": 7}', "application/json", 400, "surname_latin"),
    ],
)
def test_bad_bodies_through_the_short_chain_change_nothing(call, body, content_type, status, field):
    answer = call(
        "POST",
        "/api/v1/declarations",
        body,
        content_type,
        **{"Idempotency-Key": "wsgi-intake-bad"},
    )
    assert answer["status"] == status, answer["body"][:300]
    errors = json.loads(answer["body"])["errors"]
    assert field in {error["field"] for error in errors}
    assert not Arrival.objects.exists()
    assert not AuditEntry.objects.filter(object_type="arrivals.arrival").exists()
