"""Error pages (400, 403, 404, 429, 500) that look like the app and offer a way back.

Traveler pages (``/declare/…``) answer in the traveler's language with the traveler's look and a
link to the form; staff pages in Chinese or English with a link home; the API in its JSON error
shape. The 500 page is rendered without the request's context (no session, no user, no database
query): whatever broke may be the database itself. Only the language, chosen before the view ran,
is used.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from liaison.core.api_errors import errors

logger = logging.getLogger(__name__)

TRAVELER_PREFIX = "/declare/"
API_PREFIX = "/api/"

TITLES = {
    400: gettext_lazy("The request could not be read"),
    403: gettext_lazy("Not allowed"),
    404: gettext_lazy("Page not found"),
    429: gettext_lazy("Too many requests"),
    500: gettext_lazy("Something went wrong"),
}
MESSAGES = {
    400: gettext_lazy("Something in what was sent is not right. Go back and try again."),
    403: gettext_lazy(
        "You may not open this page, or the form had expired. Go back and try again."
    ),
    404: gettext_lazy("There is no page at this address. Check the address, or start again."),
    429: gettext_lazy(
        "Too many requests from this address. Wait %(seconds)d seconds and try again."
    ),
    500: gettext_lazy(
        "The page could not be shown. The problem has been recorded; try again in a few minutes."
    ),
}


def is_traveler_path(request: HttpRequest) -> bool:
    return request.path_info.startswith(TRAVELER_PREFIX)


def error_page(
    request: HttpRequest, status: int, *, seconds: int | None = None, with_request: bool = True
) -> HttpResponse:
    """The page for ``status``; ``seconds`` to wait for a 429 (also sent as Retry-After)."""
    if is_traveler_path(request):
        template = "arrivals/public/error.html"  # its texts are in the travelers' catalogues
    else:
        template = "errors/staff.html"
        if translation.get_language() not in settings.STAFF_LANGUAGES:
            translation.activate(settings.LANGUAGE_CODE)
    message = str(MESSAGES[status])
    if seconds is not None:
        message = message % {"seconds": seconds}
    if request.path_info.startswith(API_PREFIX):
        response = JsonResponse(errors(("", message)), status=status)
    else:
        context = {
            "status": status,
            "seconds": seconds,
            "title": TITLES[status],
            "message": message,
        }
        if with_request:
            body = loader.render_to_string(template, context, request)
        else:
            # No RequestContext: no context processors, no session, no user, no query.
            body = loader.get_template(template).render({**context, "bare": True})
        response = HttpResponse(body, status=status)
    if seconds is not None:
        response["Retry-After"] = str(seconds)
    return response


def bad_request(request: HttpRequest, exception=None) -> HttpResponse:
    return error_page(request, 400)


def permission_denied(request: HttpRequest, exception=None) -> HttpResponse:
    return error_page(request, 403)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form sent without its token (expired page, another site): the 403 page, not Django's."""
    logger.warning("CSRF refused on %s: %s", request.path, reason)
    return error_page(request, 403)


def page_not_found(request: HttpRequest, exception=None) -> HttpResponse:
    return error_page(request, 404)


def too_many_requests(request: HttpRequest, *, seconds: int) -> HttpResponse:
    return error_page(request, 429, seconds=max(1, int(seconds)))


def server_error(request: HttpRequest) -> HttpResponse:
    try:
        return error_page(request, 500, with_request=False)
    except Exception:  # the last answer must not fail in turn
        logger.exception("The 500 page could not be rendered.")
        return HttpResponse(_("Server error"), status=500, content_type="text/plain")
