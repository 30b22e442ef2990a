"""One error shape for the whole API: ``{"errors": [{"field": "...", "message": "..."}]}``.

A field of ``""`` means the request as a whole. Messages are translated: staff operations answer
in the staff language (``AccessMiddleware``), the public declarations API in the language of
``Accept-Language``. ``install`` makes ninja's own refusals — a failed sign-in, a bad path or
query parameter, a body that does not match its schema, a missing record — answer in this shape
too, instead of ninja's ``{"detail": ...}``; and a service's ``core.refusals.Refused`` with its
own status, so that an endpoint need not catch it.
"""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError

from liaison.core.input_guard import BadJson, GuardedParser
from liaison.core.refusals import Refused

_LOCATIONS = {"body", "query", "path", "header", "cookie", "form", "file"}


class Error(Schema):
    field: str
    message: str


class Errors(Schema):
    errors: list[Error]


# The refusals any operation for signed-in clients may answer, for its documented responses:
# ``response={200: Out, **REFUSALS}``.
REFUSALS = {401: Errors, 403: Errors}


def errors(*pairs: tuple[str, str]) -> dict:
    """The body of an error answer: one ``(field, message)`` pair per problem."""
    return {"errors": [{"field": field, "message": str(message)} for field, message in pairs]}


def install(api: NinjaAPI) -> None:
    api.parser = GuardedParser()  # every body ninja parses goes through the one JSON guard

    def answer(request, status: int, *pairs: tuple[str, str]):
        return api.create_response(request, errors(*pairs), status=status)

    def http_error(request, exc: HttpError):
        if isinstance(exc.__cause__, BadJson):  # too deep, a lone surrogate, not UTF-8 …
            return answer(request, exc.status_code, (exc.__cause__.field, exc.__cause__.message))
        if isinstance(exc.__cause__, ValueError):  # ninja could not parse the body (not JSON)
            return answer(request, exc.status_code, ("", _("The body is not valid JSON.")))
        return answer(request, exc.status_code, ("", exc.message))

    def not_found(request, exc: Http404):
        return answer(request, 404, ("", _("There is no such record, or it is not yours to see.")))

    def unauthenticated(request, exc: AuthenticationError):
        message = _("Sign in, or send a valid API token (Authorization: Bearer …).")
        return answer(request, 401, ("", message))

    def invalid(request, exc: ValidationError):
        return answer(request, 400, *(_problem(error) for error in exc.errors))

    def refused(request, exc: Refused):  # a service said no: its problems, its status
        return answer(request, exc.status, *exc.problems)

    api.add_exception_handler(HttpError, http_error)
    api.add_exception_handler(Http404, not_found)
    api.add_exception_handler(AuthenticationError, unauthenticated)
    api.add_exception_handler(ValidationError, invalid)
    api.add_exception_handler(Refused, refused)


def _problem(error: dict) -> tuple[str, str]:
    """A pydantic error as (field, translated message): ``history.0.country`` for a nested one."""
    location = [str(part) for part in error.get("loc", ())]
    if location and location[0] in _LOCATIONS:
        kind, location = location[0], location[1:]
        if kind == "body" and len(location) > 1:  # ("body", <the view's parameter>, field…)
            location = location[1:]
    kind = error.get("type", "")
    if kind == "missing":
        message = _("This field is required.")
    elif kind == "json_invalid":
        message = _("The body is not valid JSON.")
    elif kind.startswith("int_"):
        message = _("Enter a whole number.")
    elif kind.startswith("string_"):
        message = _("Give this field as text.")
    elif kind.startswith("datetime_") or kind.startswith("date_"):
        message = _("Give a date and time in ISO 8601, e.g. 2020-03-20T14:05+08:00.")
    else:
        message = _("Enter a valid value.")
    return ".".join(location), message
