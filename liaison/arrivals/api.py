"""The public declarations API: POST /api/v1/declarations, same validation as the form.

Public (travel agencies, airline apps, kiosks), so it is rate-limited per client address. The body
is parsed here rather than by a pydantic schema so that every problem — not JSON, not UTF-8, a
wrong type, an unknown field — comes back in one format, naming the field, in the language of
the Accept-Language header: ``{"errors": [{"field": "...", "message": "..."}]}``.
"""

from __future__ import annotations

import re
import threading
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.urls import get_script_prefix, reverse
from django.utils import translation
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from ninja.errors import Throttled
from ninja.throttling import BaseThrottle

from liaison.arrivals import declaration_input, forms, services
from liaison.arrivals.models import Arrival, DeclarationRevision, Source
from liaison.core import rate_limit
from liaison.core.access import PUBLIC
from liaison.core.api_auth import api_area
from liaison.core.api_errors import Errors, errors
from liaison.core.client_address import within
from liaison.core.input_guard import BadJson, load_json

router = Router(tags=["declarations"])


# The settings' rate, read once per text (checked at start: liaison/settings.py).
_rate = lru_cache(maxsize=8)(rate_limit.Rate.parse)


class PerAddressThrottle(BaseThrottle):
    """``LIAISON_DECLARATION_RATE`` requests per client address ("60/min"; empty: no limit).

    Keyed on REMOTE_ADDR: a client could write any X-Forwarded-For it likes. Behind a proxy,
    REMOTE_ADDR is the client's address taken from the header only as far as the proxies named
    in LIAISON_TRUSTED_PROXIES wrote it (liaison/core/client_address.py).
    An address in ``LIAISON_SHARED_NETWORKS`` (an airport's Wi-Fi behind one NAT, where a
    plane's travelers declare at once) is counted at ``LIAISON_SHARED_NETWORK_RATE`` instead,
    on a count of its own.
    Counted by ``liaison.core.rate_limit`` in the database, shared by every app server.
    """

    scope = "declarations"

    def __init__(self):
        # One instance serves every request of the process: the wait of this thread's request,
        # which ninja asks for right after refusing it (a server with threads would otherwise
        # tell one client another's wait).
        self._mine = threading.local()

    def allow_request(self, request) -> bool:
        address = request.META.get("REMOTE_ADDR") or ""
        scope, rate = self.scope, getattr(settings, "LIAISON_DECLARATION_RATE", "")
        if within(address, tuple(getattr(settings, "LIAISON_SHARED_NETWORKS", ()))):
            scope, rate = f"{self.scope}-shared", settings.LIAISON_SHARED_NETWORK_RATE
        self._mine.wait = None
        if not rate:
            return True
        decision = rate_limit.hit(scope, address, _rate(rate))
        self._mine.wait = decision.wait or None
        return decision.allowed

    def wait(self) -> int | None:
        return getattr(self._mine, "wait", None)


def too_many_requests(request, exc: Throttled):
    """The rate limit's answer, in the declarations' error shape and the client's language."""
    from liaison.api import api

    with translation.override(translation.get_language_from_request(request)):
        message = _(
            "Too many declarations from this address. Wait %(seconds)d seconds and send again."
        ) % {"seconds": int(exc.wait or 60)}
    response = api.create_response(request, errors(("", message)), status=429)
    response["Retry-After"] = str(int(exc.wait or 60))
    return response


class DeclarationOut(Schema):
    code: str
    display_code: str
    state: str
    version: int
    status_url: str
    qr_svg_url: str


class ReceivedOut(Schema):
    """A declaration held for the health desk: the receipt of this submission only."""

    reference: str
    display_reference: str
    state: str
    message: str


def _received(result: services.Received) -> dict:
    return {
        "reference": result.reference,
        "display_reference": result.display_reference,
        "state": "received",
        "message": _(
            "Your declaration was received. Please see the staff at the health desk on arrival "
            "and show this reference: %(reference)s."
        )
        % {"reference": result.display_reference},
    }


def _answer(request, arrival: Arrival, revision: DeclarationRevision) -> dict:
    status_path, qr_path = _private_paths(arrival.status_token)
    return {
        "code": arrival.code,
        "display_code": arrival.display_code,
        "state": arrival.state,
        "version": revision.number,
        "status_url": request.build_absolute_uri(status_path),
        "qr_svg_url": request.build_absolute_uri(qr_path),
    }


_PRIVATE_LINKS = ("declare:status", "declare:qr")
_URL_SAFE = re.compile(r"[A-Za-z0-9_-]+")  # what secrets.token_urlsafe makes: no quoting
_MARK = "~token~"


def _private_paths(token: str) -> list[str]:
    """The traveler's status page and QR code: each path reversed once per URL prefix, with the
    token put in its place (two reversals were a twentieth of a declaration's time)."""
    if not _URL_SAFE.fullmatch(token):
        return [reverse(name, args=[token]) for name in _PRIVATE_LINKS]
    return [before + token + after for before, after in _paths_around(get_script_prefix())]


@lru_cache(maxsize=16)
def _paths_around(script_prefix: str) -> tuple[tuple[str, str], ...]:
    return tuple(tuple(reverse(name, args=[_MARK]).split(_MARK)) for name in _PRIVATE_LINKS)


_FIXED_CHOICES = {"sex", "document_type", "language", "category", "destination_kind"}


def _request_schema() -> dict:
    """The body's JSON schema, from the form fields themselves (one source of truth)."""
    properties: dict = {}
    for name in declaration_input.TEXT_FIELDS:
        field = forms.DeclarationForm.base_fields[name]
        prop: dict = {"type": "string"}
        if isinstance(field, forms.forms.DateField):
            prop["format"] = "date"
        elif isinstance(field, forms.forms.DateTimeField):
            prop["format"] = "date-time"
            prop["nullable"] = True
        elif name in _FIXED_CHOICES:
            prop["enum"] = [str(v) for v, _label in field.choices]
        with translation.override("en"):
            prop["description"] = str(field.label) + (
                f" — {field.help_text}" if field.help_text else ""
            )
        properties[name] = prop
    for name in declaration_input.BOOLEAN_FIELDS + ["contact_with_cases"]:
        properties[name] = {"type": "boolean"}
    properties["symptoms"] = {
        "type": "array",
        "items": {"type": "string", "enum": [v for v, _label in forms.SYMPTOMS]},
    }
    properties["nationality"]["description"] = (
        "ISO 3166-1 alpha-2 code, e.g. KR. Not TW, HK or MO: residents of these regions of "
        "China declare CN with their mainland travel permit as document_type."
    )
    properties["jurisdiction"]["description"] = "Code of a jurisdiction of the city, e.g. 500112"
    properties["history"] = {
        "type": "array",
        "minItems": 1,
        "maxItems": forms.MAX_HISTORY_ROWS,
        "items": {
            "type": "object",
            "required": ["country", "date_from", "date_to"],
            "properties": {
                "country": {"type": "string", "description": "ISO 3166-1 alpha-2"},
                "city": {"type": "string"},
                "date_from": {"type": "string", "format": "date"},
                "date_to": {"type": "string", "format": "date"},
            },
        },
    }
    properties["transits"] = {
        "type": "array",
        "maxItems": forms.MAX_TRANSIT_ROWS,
        "items": {
            "type": "object",
            "required": ["country", "on"],
            "properties": {
                "country": {"type": "string"},
                "city": {"type": "string"},
                "on": {"type": "string", "format": "date"},
            },
        },
    }
    properties["status_token"] = {
        "type": "string",
        "maxLength": 64,
        "description": (
            "To amend your own declaration: the token of its private status link (the last part "
            "of `status_url`). Accepted while the declaration is still `declared`; the document, "
            "flight and day cannot be changed."
        ),
    }
    required = [
        n for n, f in forms.DeclarationForm.base_fields.items() if f.required and n in properties
    ] + ["history"]
    return {"type": "object", "properties": properties, "required": required}


@router.post(
    "/declarations",
    auth=None,
    throttle=[PerAddressThrottle()],
    response={
        201: DeclarationOut,
        202: ReceivedOut,
        400: Errors,
        409: Errors,
        413: Errors,
        415: Errors,
        429: Errors,
    },
    summary="Submit a health declaration (public)",
    description=(
        "The same validation as the traveler's form. Send an `Idempotency-Key` header (8–100 "
        "characters, e.g. a UUID) made by the client: a retry with the same key and body returns "
        "the first answer and creates nothing; the same key with another body is refused (409). "
        "A new declaration is answered 201 with its code and private status link. To amend it, "
        "send it again with `status_token` (the token of its status link) while it is still "
        "`declared` (201, a new `version`); after that the answer is 409 and nothing changes. "
        "The same document, flight and day declared again *without* the token changes nothing: "
        "it is kept for the health desk to check, and answered 202 with a `reference` of this "
        "submission only (no code, link or data of any other declaration). "
        "Errors name each field, in the language of `Accept-Language`."
    ),
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": _request_schema()}},
        },
        "parameters": [
            {
                "in": "header",
                "name": "Idempotency-Key",
                "required": True,
                "schema": {"type": "string", "minLength": 8, "maxLength": 100},
            }
        ],
    },
)
@api_area(PUBLIC)
def create_declaration(request):
    # The API is a staff namespace (Chinese and English); travelers read their own language.
    with translation.override(translation.get_language_from_request(request)):
        return _create_declaration(request)


def _create_declaration(request):
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    too_big = errors(("", _("The request body is too large (at most %(n)d bytes).") % {"n": limit}))
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > limit:
        return Status(413, too_big)
    try:
        body = request.body
    except RequestDataTooBig:
        return Status(413, too_big)
    if not body:
        return Status(400, errors(("", _("The body is empty: send the declaration as JSON."))))
    if (request.content_type or "") != "application/json":
        message = _("Send the declaration as JSON (Content-Type: application/json).")
        return Status(415, errors(("", message)))
    key = request.headers.get("Idempotency-Key", "")
    if not declaration_input.IDEMPOTENCY_KEY.match(key):
        return Status(400, errors(("Idempotency-Key", declaration_input.IDEMPOTENCY_KEY_MESSAGE)))
    try:
        payload = load_json(body)  # not UTF-8, not JSON, too deep, a lone surrogate: 400
    except BadJson as bad:
        return Status(400, errors((bad.field, bad.message)))
    token = payload.pop("status_token", None) if isinstance(payload, dict) else None
    if token is not None and not isinstance(token, str):
        return Status(400, errors(("status_token", _("Expected text."))))
    # Refused: 400 naming each bad field, 409 for a reused Idempotency-Key or a declaration
    # past "declared" (api_errors.install answers it).
    result = services.declare(
        data=payload,
        source=Source.API,
        idempotency_key=key,
        # The token is part of the request: the same body without it is another request.
        request_fingerprint=declaration_input.fingerprint(
            payload if token is None else {**payload, "status_token": token}
        ),
        status_token=token or "",
    )
    if isinstance(result, services.Received):
        return Status(202, _received(result))
    return Status(201, _answer(request, result.arrival, result.revision))
