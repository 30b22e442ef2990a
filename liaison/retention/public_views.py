"""The traveler's own data, through their private status link: see it, download it, and ask for
a correction (PIPL art. 45 and 46). In the traveler's language, never cached, never indexed."""

import json

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from liaison.arrivals import selectors as arrival_selectors
from liaison.arrivals.api import PerAddressThrottle
from liaison.arrivals.public_views import _traveler_language
from liaison.core import audit
from liaison.core.access import public
from liaison.core.errors import too_many_requests
from liaison.core.models import AuditEntry
from liaison.core.refusals import Refused, show_on
from liaison.retention import services
from liaison.retention import your_data as holdings
from liaison.retention.forms import CorrectionForm
from liaison.retention.models import Kind
from liaison.retention.selectors import lifecycle


def _arrival(request: HttpRequest, token: str):
    arrival = arrival_selectors.arrival_by_status_token(token)
    if arrival is None:
        raise Http404
    _traveler_language(request, arrival)
    return arrival


def _private(response: HttpResponse) -> HttpResponse:
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex"
    return response


@public
@never_cache
@require_GET
def your_data(request: HttpRequest, token: str) -> HttpResponse:
    arrival = _arrival(request, token)
    audit.record_reads(type(arrival), [arrival], note="traveler's own data")
    context = {
        "arrival": arrival,
        "data": holdings.data_of(arrival),
        "life": lifecycle(Kind.ARRIVAL, arrival),
        "asked": request.GET.get("asked") == "1",
    }
    return _private(render(request, "retention/public/your_data.html", context))


@public
@never_cache
@require_GET
def download(request: HttpRequest, token: str) -> HttpResponse:
    arrival = _arrival(request, token)
    audit.record_reads(
        type(arrival), [arrival], action=AuditEntry.Action.EXPORT, note="traveler's own data"
    )
    body = json.dumps(holdings.download_of(arrival), ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="liaison-{arrival.code}.json"'
    return _private(response)


@public
@never_cache
@require_http_methods(["GET", "POST"])
def correction(request: HttpRequest, token: str) -> HttpResponse:
    arrival = _arrival(request, token)
    form = CorrectionForm(request.POST or None)
    status = 200
    if request.method == "POST":
        # The declaration form's limit per client address, counted with it.
        throttle = PerAddressThrottle()
        if not throttle.allow_request(request):
            return too_many_requests(request, seconds=throttle.wait() or 60)
        if form.is_valid():
            try:
                services.ask_correction(arrival=arrival, reason=form.cleaned_data["reason"])
            except Refused as refusal:
                show_on(form, refusal)
                status = refusal.status
            else:
                return redirect(reverse("your_data:page", args=[token]) + "?asked=1")
        else:
            status = 400
    context = {"arrival": arrival, "form": form, "life": lifecycle(Kind.ARRIVAL, arrival)}
    return _private(render(request, "retention/public/correction.html", context, status=status))
