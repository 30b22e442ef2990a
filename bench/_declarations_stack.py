"""What the decided stack costs by itself, for bench/declarations.py: how near its own write
any declarations endpoint built on it can come.

The project's decisions put every write behind Django's handler and a django-ninja operation
(the README's "Decisions already made"), and the API validates a declaration as the traveler's
form does (one set of rules, ``arrivals/forms.py``). These two WSGI applications are that stack
and nothing else, on the same settings, gunicorn and database as the app:

- ``application_written``: Django's handler with no middleware (only this module's URLs), one
  ninja operation with no authentication, throttle or response schema that reads the body with
  ``json.loads`` and stores it with the app's own write (``services.declare`` given an already
  validated declaration: ``_declarations_floor.validated_once``), answering its code;
- ``application_validated``: the same operation validating every body with
  ``services.validate`` (the forms) first.

Neither has the app's middleware (its address behind the proxy, HTTPS headers, the security
policy, no-store, the language, the audit context, the access check), the body's checks
(size, type, depth, surrogates), the idempotency fingerprint, the replay and conflict paths or
the answer's private links. So ``write / written`` and ``write / validated`` are the most that
"the app / its write" (issue 19, point 2) can reach on this stack, measured in the same run.
"""

import json
import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "liaison.settings")
django.setup()

from django.urls import path  # noqa: E402
from ninja import NinjaAPI  # noqa: E402

from bench._declarations_floor import validated_once  # noqa: E402
from liaison.arrivals import services  # noqa: E402
from liaison.arrivals.declaration_input import Declaration  # noqa: E402
from liaison.handlers import HandlerWith  # noqa: E402

api = NinjaAPI(urls_namespace="bench-stack", docs_url=None, openapi_url=None)


@api.post("/written", auth=None, response={201: dict})
def written(request):
    return _declared(request, validated_once(json.loads(request.body)))


@api.post("/validated", auth=None, response={201: dict})
def validated(request):
    return _declared(request, services.validate(json.loads(request.body)))


def _declared(request, declaration: Declaration):
    result = services.declare(
        data=declaration,
        source="api",
        idempotency_key=request.headers.get("Idempotency-Key"),
        request_fingerprint="-",
    )
    return 201, {"code": result.arrival.code}


urlpatterns = [path("stack/", api.urls)]


class TheseURLs:
    """The one middleware: this module's URLs instead of the project's."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.urlconf = __name__
        return self.get_response(request)


_handler = HandlerWith([f"{__name__}.TheseURLs"])


def _at(path_info: str):
    def application(environ, start_response):
        environ["PATH_INFO"] = path_info  # wrk posts to /api/v1/declarations
        return _handler(environ, start_response)

    return application


application_written = _at("/stack/written")
application_validated = _at("/stack/validated")
