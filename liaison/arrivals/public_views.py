"""Traveler-facing pages: the declaration form, the receipt and status page, the poster.

No account and little bandwidth: plain HTML forms that work with JavaScript off, compressed, one
small stylesheet inline. The language follows the browser (or the switcher); Persian and Arabic
pages are right-to-left.
"""

import uuid

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.views.decorators.cache import never_cache
from django.views.decorators.gzip import gzip_page
from django.views.decorators.http import require_GET, require_http_methods

from liaison.arrivals import selectors, services
from liaison.arrivals.forms import ADD_ROW_BUTTONS, IDEMPOTENCY_KEY, DeclarationInput
from liaison.arrivals.models import Source
from liaison.core.access import public
from liaison.core.selectors import qr_svg


def _new_form(request: HttpRequest) -> DeclarationInput:
    return DeclarationInput(initial={"language": translation.get_language()})


@public
@gzip_page
@never_cache
@require_http_methods(["GET", "POST"])
def declare(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return _form_page(request, _new_form(request), key=str(uuid.uuid4()))
    key = request.POST.get("idempotency_key", "")
    if not IDEMPOTENCY_KEY.match(key):
        # An old tab or a hand-made request: a fresh key, nothing lost from what was typed.
        key = str(uuid.uuid4())
    for button, prefix in ADD_ROW_BUTTONS.items():
        if button in request.POST:
            return _form_page(
                request, DeclarationInput.with_another_row(request.POST, prefix), key=key
            )
    try:
        result = services.declare(data=request.POST, source=Source.SELF, idempotency_key=key)
    except services.InvalidDeclaration as invalid:
        bound = invalid.input or DeclarationInput(request.POST)
        return _form_page(request, bound, key=key, errors=invalid.errors, status=400)
    except services.IdempotencyConflict as conflict:
        return _form_page(
            request,
            DeclarationInput(request.POST),
            key=str(uuid.uuid4()),
            errors=[{"field": "", "message": conflict.message}],
            status=409,
        )
    return redirect(reverse("declare:status", args=[result.arrival.status_token]) + "?new=1")


def _form_page(
    request,
    bound,
    *,
    key,
    errors=None,
    status=200,
    template="arrivals/public/declare.html",
    extra=None,
):
    context = {
        "input": bound,
        "form": bound.form,
        "history": bound.history,
        "transits": bound.transits,
        "idempotency_key": key,
        "unknown_fields": bound.unknown_fields,
        "error_count": len(errors or []),
        "general_errors": [e["message"] for e in errors or [] if not e["field"]],
        **(extra or {}),
    }
    return render(request, template, context, status=status)


def _traveler_language(request: HttpRequest, arrival) -> None:
    """Their own language unless they chose another with the switcher (the language cookie)."""
    if settings.LANGUAGE_COOKIE_NAME not in request.COOKIES and arrival.language:
        translation.activate(arrival.language)
        request.LANGUAGE_CODE = arrival.language


@public
@never_cache
@require_GET
def status(request: HttpRequest, token: str) -> HttpResponse:
    arrival = selectors.arrival_by_status_token(token)
    if arrival is None:
        raise Http404
    _traveler_language(request, arrival)
    response = render(
        request,
        "arrivals/public/status.html",
        {
            "arrival": arrival,
            "qr": qr_svg(arrival.code, scale=6),
            "new": request.GET.get("new") == "1",
            "status_url": request.build_absolute_uri(request.path),
        },
    )
    # The address is the key to this page: never send it on to another site.
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex"
    return response


@public
@never_cache
@require_GET
def qr(request: HttpRequest, token: str) -> HttpResponse:
    arrival = selectors.arrival_by_status_token(token)
    if arrival is None:
        raise Http404
    response = HttpResponse(qr_svg(arrival.code, scale=10), content_type="image/svg+xml")
    response["Content-Disposition"] = f'attachment; filename="declaration-{arrival.code}.svg"'
    return response


@public
@require_GET
def poster(request: HttpRequest) -> HttpResponse:
    form_url = request.build_absolute_uri(reverse("declare:form"))
    lines = []
    for code, name in settings.LANGUAGES:
        with translation.override(code):
            lines.append(
                {
                    "code": code,
                    "name": name,
                    "bidi": translation.get_language_bidi(),
                    "title": translation.gettext("Health declaration"),
                    "call": translation.gettext(
                        "Scan the code with your phone and fill in the declaration before you "
                        "reach the health desk."
                    ),
                }
            )
    return render(
        request,
        "arrivals/public/poster.html",
        {"lines": lines, "qr": qr_svg(form_url, scale=8), "form_url": form_url},
    )
