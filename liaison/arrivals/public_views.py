"""Traveler-facing pages: the declaration form, the receipt and status page, the poster.

No account and little bandwidth: plain HTML forms that work with JavaScript off, compressed, one
small stylesheet inline. The language follows the browser (or the switcher); Persian and Arabic
pages are right-to-left.
"""

import uuid
from datetime import datetime

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.views.decorators.cache import never_cache
from django.views.decorators.gzip import gzip_page
from django.views.decorators.http import require_GET, require_http_methods

from liaison.arrivals import progress, selectors, services
from liaison.arrivals.api import PerAddressThrottle
from liaison.arrivals.declaration_input import (
    ADD_ROW_BUTTONS,
    IDEMPOTENCY_KEY,
    DeclarationInput,
    flatten,
)
from liaison.arrivals.models import Source
from liaison.arrivals.states import ArrivalState
from liaison.core.access import public
from liaison.core.errors import too_many_requests
from liaison.core.refusals import Refused
from liaison.core.selectors import qr_png as qr_png_image
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
    return _submit(request)


def _submit(request: HttpRequest, *, status_token: str = "", **page) -> HttpResponse:
    """Send the posted form to ``declare`` (an amendment of the traveler's own with their
    ``status_token``); ``page`` is what ``_form_page`` needs to show it again."""
    key = request.POST.get("idempotency_key", "")
    if not IDEMPOTENCY_KEY.match(key):
        # An old tab or a hand-made request: a fresh key, nothing lost from what was typed.
        key = str(uuid.uuid4())
    if "switch_language" in request.POST:
        return _switch_language(request, key=key, **page)
    for button, prefix in ADD_ROW_BUTTONS.items():
        if button in request.POST:
            return _form_page(
                request, DeclarationInput.with_another_row(request.POST, prefix), key=key, **page
            )
    # The same limit per client address as the declarations API, counted together.
    throttle = PerAddressThrottle()
    if not throttle.allow_request(request):
        return too_many_requests(request, seconds=throttle.wait() or 60)
    try:
        result = services.declare(
            data=request.POST, source=Source.SELF, idempotency_key=key, status_token=status_token
        )
    except services.InvalidDeclaration as invalid:
        bound = invalid.input or DeclarationInput(request.POST)
        return _form_page(request, bound, key=key, errors=invalid.errors, status=400, **page)
    except Refused as refused:  # a reused key, or a declaration past "declared": a new key
        return _form_page(
            request,
            DeclarationInput(request.POST),
            key=str(uuid.uuid4()),
            errors=[{"field": "", "message": refused.message}],
            status=refused.status,
            **page,
        )
    if isinstance(result, services.Received):
        # Someone already declared this document on this flight: nothing of theirs is shown.
        return render(
            request,
            "arrivals/public/received.html",
            {"received": result, "qr": qr_svg(result.reference, scale=6)},
            status=202,
        )
    done = "?amended=1" if status_token else "?new=1"
    return redirect(reverse("declare:status", args=[result.arrival.status_token]) + done)


def _switch_language(request: HttpRequest, *, key: str, **page) -> HttpResponse:
    """The page's language switch inside the form: what was typed comes back unbound (nothing
    checked, nothing saved, not counted by the limiter), in the chosen language, which is kept
    in the language cookie as the header's switch keeps it."""
    chosen = request.POST.get("page_language", "")
    before = translation.get_language()
    if chosen not in dict(settings.LANGUAGES):
        chosen = before
    data = request.POST.copy()
    # "Preferred language" still at the page's language follows it; one the traveler chose stays.
    if data.get("language") == before:
        data["language"] = chosen
    translation.activate(chosen)
    request.LANGUAGE_CODE = chosen
    typed = DeclarationInput.with_another_row(data, prefix="")
    response = _form_page(request, typed, key=key, **page)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        chosen,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    return response


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
        "language_in_form": True,
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
            "amended": request.GET.get("amended") == "1",
            "can_amend": arrival.state == ArrivalState.DECLARED,
            "status_url": request.build_absolute_uri(request.path),
            "progress": progress.of(arrival),
        },
    )
    # The address is the key to this page: never send it on to another site.
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex"
    return response


@public
@gzip_page
@never_cache
@require_http_methods(["GET", "POST"])
def amend(request: HttpRequest, token: str) -> HttpResponse:
    """The traveler changes their own declaration; the private link is the proof it is theirs.

    Only while "declared": after the health desk, the staff change it (with a reason).
    """
    arrival = selectors.arrival_by_status_token(token)
    if arrival is None:
        raise Http404
    _traveler_language(request, arrival)
    page = {"template": "arrivals/public/amend.html", "extra": {"arrival": arrival}}
    if arrival.state != ArrivalState.DECLARED:
        refused = services.AmendmentRefused(arrival.state)
        response = render(
            request, "arrivals/public/amend.html", {"arrival": arrival, "refused": refused}
        )
        response.status_code = 409 if request.method == "POST" else 200
    elif request.method == "POST":
        response = _submit(request, status_token=arrival.status_token, **page)
    else:
        bound = DeclarationInput.with_another_row(flatten(_as_typed(arrival)), prefix="")
        response = _form_page(request, bound, key=str(uuid.uuid4()), **page)
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex"
    return response


def _as_typed(arrival) -> dict:
    """The declaration on file as the form shows it (the departure in local time, to the minute:
    what the browser's date-and-time field takes)."""
    data = dict(selectors.declared_data(arrival))
    if data.get("onward_departure"):
        departure = datetime.fromisoformat(data["onward_departure"])
        if timezone.is_aware(departure):
            departure = timezone.localtime(departure)
        data["onward_departure"] = departure.strftime("%Y-%m-%dT%H:%M")
    return data


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
@never_cache
@require_GET
def qr_png(request: HttpRequest, token: str) -> HttpResponse:
    """The code as a picture a phone keeps in its photos (not every phone opens an SVG)."""
    arrival = selectors.arrival_by_status_token(token)
    if arrival is None:
        raise Http404
    response = HttpResponse(qr_png_image(arrival.code), content_type="image/png")
    response["Content-Disposition"] = f'attachment; filename="declaration-{arrival.code}.png"'
    response["Referrer-Policy"] = "no-referrer"
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
