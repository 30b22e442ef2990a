"""Pages of dispatch, district receipt and the closed-loop board. Views validate and delegate."""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from liaison.arrivals.listing import show
from liaison.arrivals.models import Arrival
from liaison.arrivals.selectors import arrivals_visible_to
from liaison.core import audit
from liaison.core.access import Area, requires
from liaison.core.models import AuditEntry
from liaison.core.params import query_date, query_id
from liaison.core.redirects import safe_next
from liaison.core.refusals import Refused, flash, refused_back, refused_on, show_on
from liaison.handover import board_views, manifest, queues, selectors, services
from liaison.handover.forms import (
    BatchForm,
    IncidentForm,
    QuarantineForm,
    ReasonForm,
    ReleaseForm,
    ScanForm,
)
from liaison.handover.models import BATCHED_DISPOSITIONS, Batch
from liaison.policy.models import DispositionChoice
from liaison.screening.alarms import alarms_for


def _batch_for(request: HttpRequest, pk: int) -> Batch:
    return selectors.get_visible(
        selectors.batches_visible_to(request.user), "handover.batch", pk=pk
    )


def _members_shown(batch: Batch, *, note: str, action: str = AuditEntry.Action.READ) -> list:
    """A batch's members, their travelers read once (one audit entry naming them all)."""
    members = list(selectors.members_of(batch))
    audit.record_reads(Arrival, [m.arrival_id for m in members], action=action, note=note)
    return members


# --- Dispatch -----------------------------------------------------------------------------------


@requires(Area.ARRIVALS_DISPATCH)
def dispatch(request: HttpRequest) -> HttpResponse:
    alarms = alarms_for(request.user, Area.ARRIVALS_DISPATCH)
    listing = show(
        request,
        visible=queues.dispatch_visible(request.user),
        queue=queues.dispatch_queue(request.user),
        name="dispatch-queue",
        note="dispatch: ready to leave",
        also_shown=alarms.arrivals,
    )
    if listing.export is not None:
        return listing.export
    return render(
        request,
        "handover/dispatch.html",
        {
            "listing": listing,
            "alarms": alarms,
            "groups": selectors.ready_groups(request.user),
            "planned": selectors.batches_of(request.user, status=Batch.Status.PLANNED),
            "departed": selectors.batches_of(request.user, status=Batch.Status.DEPARTED),
            "closed": selectors.batches_of(request.user, status=Batch.Status.CLOSED)[:20],
            "incidents": selectors.open_incidents(request.user),
            "batched": BATCHED_DISPOSITIONS,
        },
        status=listing.status,
    )


@requires(Area.ARRIVALS_DISPATCH)
@require_http_methods(["GET", "POST"])
def ready_group(request: HttpRequest, jurisdiction_id: int, disposition: str) -> HttpResponse:
    """The travelers of one group: make a batch of those ticked, or send them on their way."""
    if disposition not in DispositionChoice.values:
        raise selectors.not_found("handover.group")
    travelers = selectors.ready_for(
        request.user, jurisdiction_id=jurisdiction_id, disposition=disposition
    )
    jurisdiction = selectors.destination(request.user, jurisdiction_id) if jurisdiction_id else None
    form = BatchForm(
        request.POST or None,
        initial={"planned_departure": timezone.localtime() + timedelta(minutes=30)},
    )
    status = 200
    if request.method == "POST":
        ticked = [v for v in request.POST.getlist("arrival") if v.isdigit()]
        chosen = list(
            selectors.ready_for(
                request.user,
                jurisdiction_id=jurisdiction_id,
                disposition=disposition,
                among=ticked,
            )
        )
        if not chosen:
            messages.error(request, _("Tick at least one traveler."))
            status = 400
        elif jurisdiction is None or disposition not in BATCHED_DISPOSITIONS:
            messages.error(
                request, _("Only quarantine and diplomatic arrangements travel in a batch.")
            )
            status = 400
        elif form.is_valid():
            try:
                batch = services.make_batch(
                    destination=jurisdiction,
                    disposition=disposition,
                    arrivals=chosen,
                    dispatcher=request.user,
                    **form.cleaned_data,
                )
            except Refused as refused:
                flash(request, refused)
                status = 400
            else:
                messages.success(request, _("Batch %(batch)s made.") % {"batch": batch.number})
                return redirect("handover:batch", batch.pk)
        else:
            status = 400
    shown = list(travelers)
    audit.record_reads(Arrival, shown, note=f"dispatch: ready group {disposition}")
    return render(
        request,
        "handover/ready_group.html",
        {
            "jurisdiction": jurisdiction,
            "disposition": DispositionChoice(disposition),
            "batched": disposition in BATCHED_DISPOSITIONS and jurisdiction is not None,
            "travelers": shown,
            "form": form,
        },
        status=status,
    )


@requires(Area.ARRIVALS_DISPATCH)
def batch(request: HttpRequest, pk: int) -> HttpResponse:
    the_batch = _batch_for(request, pk)
    return render(
        request,
        "handover/batch.html",
        {
            "batch": the_batch,
            "members": _members_shown(the_batch, note=f"dispatch: batch {the_batch.pk}"),
            "incidents": selectors.incidents_of(the_batch),
        },
    )


@requires(Area.ARRIVALS_DISPATCH)
@require_POST
def depart(request: HttpRequest, pk: int) -> HttpResponse:
    the_batch = _batch_for(request, pk)
    try:
        services.mark_departed(batch=the_batch, dispatcher=request.user)
    except Refused as refused:
        return refused_on(request, refused, batch, pk=the_batch.pk)
    else:
        messages.success(request, _("Departure recorded."))
    return redirect("handover:batch", the_batch.pk)


@requires(Area.ARRIVALS_DISPATCH)
@require_POST
def remove_member(request: HttpRequest, pk: int, arrival_pk: int) -> HttpResponse:
    the_batch = _batch_for(request, pk)
    arrival = selectors.get_visible(
        the_batch.members.all(), "handover.batchmember", arrival_id=arrival_pk
    ).arrival
    try:
        services.remove_from_batch(batch=the_batch, arrival=arrival, dispatcher=request.user)
    except Refused as refused:
        return refused_on(request, refused, batch, pk=the_batch.pk)
    return redirect("handover:batch", the_batch.pk)


def _manifest_context(request: HttpRequest, pk: int) -> tuple[Batch, list]:
    the_batch = _batch_for(request, pk)
    members = _members_shown(
        the_batch, note=f"manifest of batch {the_batch.pk}", action=AuditEntry.Action.EXPORT
    )
    return the_batch, members


@requires(Area.ARRIVALS_DISPATCH)
def manifest_page(request: HttpRequest, pk: int) -> HttpResponse:
    the_batch, members = _manifest_context(request, pk)
    return render(request, manifest.TEMPLATE, manifest.context(the_batch, members))


@requires(Area.ARRIVALS_DISPATCH)
def manifest_download(request: HttpRequest, pk: int) -> HttpResponse:
    the_batch, members = _manifest_context(request, pk)
    response = HttpResponse(
        manifest.manifest_pdf(the_batch, members), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'inline; filename="manifest-{the_batch.number}.pdf"'
    return response


@requires(Area.ARRIVALS_DISPATCH)
@require_POST
def resolve_incident(request: HttpRequest, pk: int) -> HttpResponse:
    incident = selectors.get_visible(
        selectors.incidents_visible_to(request.user), "handover.incident", pk=pk
    )
    try:
        services.resolve_incident(
            incident=incident,
            dispatcher=request.user,
            resolution=request.POST.get("resolution", ""),
        )
    except Refused as refused:
        return refused_on(request, refused, batch, pk=incident.batch_id)
    return redirect("handover:batch", incident.batch_id)


@requires(Area.ARRIVALS_DISPATCH)
@require_POST
def see_off(request: HttpRequest, arrival_pk: int) -> HttpResponse:
    arrival = selectors.get_visible(
        arrivals_visible_to(request.user, Area.ARRIVALS_DISPATCH), "arrivals.arrival", pk=arrival_pk
    )
    try:
        services.see_off(arrival=arrival, dispatcher=request.user)
    except Refused as refused:
        return refused_back(request, refused, "handover:dispatch")
    else:
        messages.success(request, _("%(code)s left the city.") % {"code": arrival.display_code})
    return redirect(safe_next(request, "handover:dispatch"))


def _to_hospital(request: HttpRequest, arrival_pk: int, area: Area, back: str) -> HttpResponse:
    arrival = selectors.get_visible(
        arrivals_visible_to(request.user, area), "arrivals.arrival", pk=arrival_pk
    )
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        services.transfer_to_hospital(arrival=arrival, officer=request.user, reason=reason)
    except Refused as refused:
        return refused_back(request, refused, back)
    else:
        messages.success(
            request, _("%(code)s is on the way to hospital.") % {"code": arrival.display_code}
        )
    return redirect(safe_next(request, back))


@requires(Area.ARRIVALS_DISPATCH)
@require_POST
def to_hospital(request: HttpRequest, arrival_pk: int) -> HttpResponse:
    return _to_hospital(request, arrival_pk, Area.ARRIVALS_DISPATCH, "handover:dispatch")


# --- District receipt ---------------------------------------------------------------------------


@requires(Area.ARRIVALS_RECEIVING)
def receiving(request: HttpRequest) -> HttpResponse:
    """Opens on what is on the road to this district: the batches, and their travelers."""
    received = selectors.recently_received(request.user)
    listing = show(
        request,
        visible=queues.receiving_visible(request.user),
        queue=queues.receiving_queue(request.user),
        name="receiving-queue",
        note="receiving: on the way and received travelers",
        also_shown=received,
    )
    if listing.export is not None:
        return listing.export
    return render(
        request,
        "handover/receiving.html",
        {
            "listing": listing,
            "in_transit": queues.batches_waiting_for_receipt(request.user),
            "closed": selectors.batches_of(request.user, status=Batch.Status.CLOSED)[:20],
            "received": received,
        },
        status=listing.status,
    )


@requires(Area.ARRIVALS_RECEIVING)
@require_http_methods(["GET", "POST"])
def receiving_batch(request: HttpRequest, pk: int) -> HttpResponse:
    """The scan box: a scanner types the code and Enter; each scan confirms one traveler."""
    the_batch = _batch_for(request, pk)
    scan = ScanForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if scan.is_valid():
            try:
                member = services.receive(
                    batch=the_batch, arrival_code=scan.cleaned_data["code"], officer=request.user
                )
            except Refused as refused:  # 409 when someone received them first
                flash(request, refused)
                status = refused.status
            else:
                messages.success(
                    request, _("%(code)s received.") % {"code": member.arrival.display_code}
                )
                return redirect("handover:receiving_batch", the_batch.pk)
        else:
            status = 400
    the_batch = _batch_for(request, pk)
    return render(
        request,
        "handover/receiving_batch.html",
        {
            "batch": the_batch,
            "members": _members_shown(the_batch, note=f"receiving: batch {the_batch.pk}"),
            "scan": ScanForm() if status == 200 else scan,
            "incident_form": IncidentForm(),
            "incidents": selectors.incidents_of(the_batch),
        },
        status=status,
    )


@requires(Area.ARRIVALS_RECEIVING)
@require_POST
def report_incident(request: HttpRequest, pk: int) -> HttpResponse:
    the_batch = _batch_for(request, pk)
    form = IncidentForm(request.POST)
    if not form.is_valid():
        refused = Refused(_("Choose what happened and describe it."))
        return refused_on(request, refused, receiving_batch, pk=the_batch.pk)
    try:
        services.report_incident(
            batch=the_batch,
            kind=form.cleaned_data["kind"],
            officer=request.user,
            note=form.cleaned_data["note"],
            arrival_code=form.cleaned_data["code"],
        )
    except Refused as refused:
        return refused_on(request, refused, receiving_batch, pk=the_batch.pk)
    else:
        messages.success(request, _("Reported to the dispatcher."))
    return redirect("handover:receiving_batch", the_batch.pk)


def _received(request: HttpRequest, arrival_pk: int) -> Arrival:
    return selectors.get_visible(
        selectors.received_visible_to(request.user), "arrivals.arrival", pk=arrival_pk
    )


@requires(Area.ARRIVALS_RECEIVING)
@require_http_methods(["GET", "POST"])
def quarantine(request: HttpRequest, arrival_pk: int) -> HttpResponse:
    """One received traveler: start of quarantine (site, planned end), release, or hospital."""
    arrival = _received(request, arrival_pk)
    form = _start_form(arrival, request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.start_quarantine(
                    arrival=arrival,
                    officer=request.user,
                    site=form.cleaned_data["site"],
                    planned_end=form.cleaned_data["planned_end"],
                )
            except Refused as refused:
                flash(request, refused)
                status = 400
            else:
                messages.success(request, _("Quarantine started."))
                return redirect("handover:quarantine", arrival.pk)
        else:
            status = 400
    return _quarantine_page(request, arrival, form=form, status=status)


def _start_form(arrival: Arrival, data=None) -> QuarantineForm:
    return QuarantineForm(
        data,
        sites=selectors.quarantine_sites_for(arrival),
        initial={"planned_end": timezone.localdate() + timedelta(days=14)},
    )


def _quarantine_page(
    request: HttpRequest, arrival: Arrival, *, form=None, release_form=None, status: int = 200
) -> HttpResponse:
    """The traveler's page: one read of their record in the audit trail, whatever was posted."""
    audit.record_reads(Arrival, [arrival], note="receiving: quarantine")
    the_quarantine = getattr(arrival, "quarantine", None)
    today = timezone.localdate()
    return render(
        request,
        "handover/quarantine.html",
        {
            "arrival": arrival,
            "quarantine": the_quarantine,
            "form": form or _start_form(arrival),
            "release_form": release_form or ReleaseForm(),
            "early": the_quarantine is not None and today < the_quarantine.planned_end,
            "today": today,
        },
        status=status,
    )


@requires(Area.ARRIVALS_RECEIVING)
@require_POST
def release(request: HttpRequest, arrival_pk: int) -> HttpResponse:
    """Release, confirmed; before the planned end only with a reason. A refusal is a 400 on the
    traveler's page, with what the officer wrote kept in the form."""
    arrival = _received(request, arrival_pk)
    the_quarantine = getattr(arrival, "quarantine", None)
    form = ReleaseForm(request.POST)
    if the_quarantine is None:
        form.is_valid()
        form.add_error(None, _("Start the quarantine first."))
        return _quarantine_page(request, arrival, release_form=form, status=400)
    if not form.is_valid():
        return _quarantine_page(request, arrival, release_form=form, status=400)
    try:
        services.release(
            quarantine=the_quarantine,
            officer=request.user,
            confirmed=form.cleaned_data["confirm"],
            reason=form.cleaned_data["reason"],
        )
    except Refused as refused:
        show_on(form, refused)
        return _quarantine_page(request, arrival, release_form=form, status=400)
    messages.success(request, _("Released."))
    return redirect("handover:quarantine", arrival.pk)


@requires(Area.ARRIVALS_RECEIVING)
@require_POST
def receiving_hospital(request: HttpRequest, arrival_pk: int) -> HttpResponse:
    _received(request, arrival_pk)
    return _to_hospital(request, arrival_pk, Area.ARRIVALS_RECEIVING, "handover:receiving")


# --- The closed-loop board ----------------------------------------------------------------------


def _day(value: str | None) -> date | None:
    return query_date(value)  # None for no date, or one out of the app's years


@requires(Area.ARRIVALS_BOARD)
def board(request: HttpRequest) -> HttpResponse:
    day = _day(request.GET.get("day")) or timezone.localdate()
    days = selectors.board(request.user, since=day - timedelta(days=6), until=day)
    alerts = selectors.alerts(request.user)
    alarms = alarms_for(request.user, Area.ARRIVALS_BOARD)
    # Codes with what waits on them (a result, screening), the alarms' and the incidents' names:
    # one read for the page.
    waiting = list(alerts.waiting_for_result[:50])
    unscreened = list(alerts.never_screened[:50])
    named = [*alarms.arrivals, *(i.arrival for i in alerts.open_incidents if i.arrival_id)]
    audit.record_reads(Arrival, [*waiting, *unscreened, *named], note="board: alerts")
    return render(
        request,
        "handover/board.html",
        {
            **board_views.links_for(request.user),
            "day": day,
            "days": days,
            "alerts": alerts,
            "alarms": alarms,
            "alert_count": alerts.count + alarms.fever_count + alarms.positive_count,
            "waiting": waiting,
            "unscreened": unscreened,
            "groups": list(selectors.GROUPS),
            "airport_states": selectors.AT_AIRPORT,
        },
    )


@requires(Area.ARRIVALS_BOARD)
def board_group(request: HttpRequest, group: str) -> HttpResponse:
    known = (selectors.GROUPS, selectors.S.values, selectors.STATE_NAMES)
    if not any(group in names for names in known):
        raise selectors.not_found("handover.board")
    day = _day(request.GET.get("day"))
    flight_id = query_id(request.GET.get("flight"))
    arrivals, count = selectors.board_group_page(
        request.user, group=group, day=day, flight_id=flight_id
    )
    audit.record_reads(Arrival, arrivals, note=f"board: {group}")
    return render(
        request,
        "handover/board_group.html",
        {
            **board_views.links_for(request.user),
            "group": group,
            "group_label": selectors.group_label(group),
            "day": day,
            "arrivals": arrivals,
            "count": count,
        },
    )
