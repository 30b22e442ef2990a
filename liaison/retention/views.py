"""Officers' pages: retention (rules, dry run, receipts, holds) and the correction queue."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from liaison.core import audit
from liaison.core.access import Area, requires
from liaison.core.refusals import Refused, refused_on
from liaison.retention import runs, selectors, services
from liaison.retention.forms import HoldForm, ReasonForm, ResolveForm
from liaison.retention.models import CorrectionRequest, Kind
from liaison.retention.rules import rules


@require_GET
@requires(Area.RETENTION)
def overview(request: HttpRequest, hold_form: HoldForm | None = None) -> HttpResponse:
    context = {
        "rules": rules(),
        "due": runs.counts(),
        "receipts": selectors.receipts(request.user, limit=50),
        "holds": list(selectors.holds(request.user)[:200]),
        "hold_form": hold_form or HoldForm(),
        "lift_form": ReasonForm(),
    }
    return render(request, "retention/overview.html", context)


@require_POST
@requires(Area.RETENTION)
def place_hold(request: HttpRequest) -> HttpResponse:
    form = HoldForm(request.POST)
    if not form.is_valid():
        response = overview(request, hold_form=form)
        response.status_code = 400
        return response
    try:
        services.place_hold(**form.cleaned_data, officer=request.user)
    except Refused as refusal:
        return refused_on(request, refusal, overview)
    messages.success(request, _("The hold is placed."))
    return redirect("retention:overview")


@require_POST
@requires(Area.RETENTION)
def lift_hold(request: HttpRequest, pk: int) -> HttpResponse:
    hold = selectors.hold(request.user, pk)
    if hold is None:
        raise Http404
    form = ReasonForm(request.POST)
    if not form.is_valid():
        return refused_on(request, Refused(_("Give the reason."), "reason"), overview)
    try:
        services.lift_hold(hold=hold, reason=form.cleaned_data["reason"], officer=request.user)
    except Refused as refusal:
        return refused_on(request, refusal, overview)
    messages.success(request, _("The hold is lifted."))
    return redirect("retention:overview")


@require_GET
@requires(Area.ARRIVALS_DESK)
def corrections(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", CorrectionRequest.Status.OPEN)
    if status not in CorrectionRequest.Status.values and status != "all":
        return render(request, "retention/corrections.html", {"bad_status": True}, status=400)
    found = list(
        selectors.correction_requests(request.user, status="" if status == "all" else status)[:200]
    )
    audit.record_reads(CorrectionRequest, found)
    dates = selectors.due_dates(Kind.ARRIVAL, [r.arrival for r in found])
    context = {
        "requests": [(r, dates.get(r.arrival_id)) for r in found],
        "status": status,
        "form": ResolveForm(),
    }
    return render(request, "retention/corrections.html", context)


@require_POST
@requires(Area.ARRIVALS_DESK)
def resolve(request: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.correction_request(request.user, pk)
    if found is None:
        raise Http404
    form = ResolveForm(request.POST)
    if not form.is_valid():
        return refused_on(request, Refused(_("Give the reason."), "resolution"), corrections)
    try:
        services.resolve_correction(
            request=found, resolution=form.cleaned_data["resolution"], officer=request.user
        )
    except Refused as refusal:
        return refused_on(request, refusal, corrections)
    messages.success(request, _("The request is resolved."))
    return redirect("retention:corrections")
