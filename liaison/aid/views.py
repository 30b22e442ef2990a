"""The aid desk's pages: the donation queue, a donation, recording and correcting one, its
batches, their receipt, allocation, and the catalogue.

The aid officer writes (``Area.AID``); it and leadership read (``Area.AID_READ``). Each page
validates a form and calls one service or selector; lists and details record what they showed.
"""

from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from liaison.aid import (
    allocation,
    events,
    exports,
    forms,
    lots,
    selectors,
    services,
    shipping,
    states,
)
from liaison.aid.models import Donation
from liaison.core import audit
from liaison.core.access import Area, can, requires
from liaison.core.models import AuditEntry
from liaison.core.refusals import Refused, refused_on, show_on


def _filtered(request: HttpRequest):
    form = forms.DonationFilterForm(request.GET or None)
    found = selectors.donations_visible_to(request.user)
    if form.is_bound and not form.is_valid():
        return form, found.none(), 400
    if form.is_bound:
        data = form.cleaned_data
        pk = lambda name: data[name].pk if data.get(name) else None  # noqa: E731
        found = selectors.filter_donations(
            found,
            direction=data["direction"],
            status=data["status"],
            country=data["country"],
            item=pk("item"),
            since=data["since"],
            until=data["until"],
            donor=pk("donor"),
            recipient=pk("recipient"),
        )
    return form, selectors.with_parties(found), 200


@requires(Area.AID_READ)
def queue(request: HttpRequest) -> HttpResponse:
    form, found, status = _filtered(request)
    fmt = request.GET.get("format", "")
    if fmt and status == 200:
        if fmt not in exports.FORMATS:
            return render(request, "aid/queue.html", {"form": form}, status=400)
        audit.record_reads(Donation, found, action=AuditEntry.Action.EXPORT, note=fmt)
        return exports.donations_file(fmt, found)
    page = Paginator(found, 50).get_page(request.GET.get("page"))
    audit.record_reads(Donation, page.object_list, note="list")
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "can_write": can(request.user, Area.AID),
    }
    return render(request, "aid/queue.html", context, status=status)


def _rows(formset, method: str) -> list:
    return [row for form in formset for row in [getattr(form, method)()] if row is not None]


@requires(Area.AID)
def donation_new(request: HttpRequest) -> HttpResponse:
    post = request.POST if request.method == "POST" else None
    form = forms.DonationForm(post)
    lines = forms.LineFormSet(post, prefix="line")
    if post is not None and form.is_valid() and lines.is_valid():
        data = form.cleaned_data
        try:
            donation = services.record_donation(
                donor=data["donor"].pk,
                recipient=data["recipient"].pk,
                occasion=data["occasion"],
                pledged_on=data["pledged_on"],
                estimated_value=data["estimated_value"],
                currency=data["currency"],
                donor_may_be_named=data["donor_may_be_named"],
                notes=data["notes"],
                lines=_rows(lines, "line"),
                by=request.user,
            )
        except Refused as refused:
            show_on(form, refused)
        else:
            return redirect("aid:donation", donation_id=donation.pk)
    context = {"form": form, "lines": lines}
    return render(request, "aid/donation_form.html", context, status=400 if post else 200)


def _donation(request: HttpRequest, donation_id: int) -> Donation:
    return get_object_or_404(
        selectors.with_parties(selectors.donations_visible_to(request.user)), pk=donation_id
    )


@requires(Area.AID_READ)
def donation_detail(request: HttpRequest, donation_id: int) -> HttpResponse:
    donation = _donation(request, donation_id)
    audit.record_read(donation)
    writes = can(request.user, Area.AID)
    moves = [(s.value, s.label) for s in states.moves_by_hand(donation.status)]
    move_form = forms.MoveForm()
    move_form.fields["to"].choices = moves
    history = [(e, events.describe(e)) for e in selectors.events_of(donation)]
    context = {
        "donation": donation,
        "batches": selectors.batches_of(donation),
        "ledger": allocation.ledger(donation),
        "history": history,
        "can_write": writes,
        "move_form": move_form if writes and moves else None,
        "can_ship": writes and donation.status in states.SHIPPABLE,
        "allocation_form": forms.AllocationForm() if writes else None,
    }
    return render(request, "aid/donation_detail.html", context)


@require_POST
@requires(Area.AID)
def donation_move(request: HttpRequest, donation_id: int) -> HttpResponse:
    donation = _donation(request, donation_id)
    form = forms.MoveForm(request.POST)
    try:
        if not form.is_valid():
            raise Refused(_("Choose a status of the donation."), "to")
        services.move_donation(
            donation=donation,
            to=form.cleaned_data["to"],
            reason=form.cleaned_data["reason"],
            by=request.user,
        )
    except Refused as refused:
        return refused_on(request, refused, donation_detail, donation_id=donation.pk)
    return redirect("aid:donation", donation_id=donation.pk)


@requires(Area.AID)
def donation_correct(request: HttpRequest, donation_id: int) -> HttpResponse:
    donation = _donation(request, donation_id)
    post = request.POST if request.method == "POST" else None
    initial = {
        "occasion": donation.occasion,
        "pledged_on": donation.pledged_on,
        "estimated_value": donation.estimated_value or "",
        "currency": donation.currency,
        "donor_may_be_named": donation.donor_may_be_named,
        "notes": donation.notes,
    }
    form = forms.CorrectionForm(post, initial=initial)
    if post is not None and form.is_valid():
        data = dict(form.cleaned_data)
        reason = data.pop("reason")
        if data["estimated_value"] == "":
            data["estimated_value"] = None
        try:
            services.correct_donation(donation=donation, reason=reason, by=request.user, **data)
        except Refused as refused:
            show_on(form, refused)
        else:
            return redirect("aid:donation", donation_id=donation.pk)
    context = {"form": form, "donation": donation}
    return render(request, "aid/correct.html", context, status=400 if post else 200)


@requires(Area.AID)
def batch_new(request: HttpRequest, donation_id: int) -> HttpResponse:
    donation = _donation(request, donation_id)
    post = request.POST if request.method == "POST" else None
    form = forms.BatchForm(post)
    held = list(donation.lines.all())
    lines = forms.ShipLineFormSet(post, prefix="ship", initial=[{"line": ln.pk} for ln in held])
    if post is not None and form.is_valid() and lines.is_valid():
        data = form.cleaned_data
        try:
            shipping.send_batch(
                donation=donation,
                sent_on=data["sent_on"],
                expected_on=data["expected_on"],
                waybill=data["waybill"],
                carrier=data["carrier"],
                route=data["route"],
                consignee=data["consignee"].pk if data["consignee"] else None,
                lines=_rows(lines, "shipped"),
                by=request.user,
            )
        except Refused as refused:
            show_on(form, refused)
        else:
            return redirect("aid:donation", donation_id=donation.pk)
    gone = shipping.shipped_units(donation)
    rows = [(f, ln, ln.units - gone.get(ln.pk, 0)) for f, ln in zip(lines, held, strict=False)]
    context = {"form": form, "lines": lines, "rows": rows, "donation": donation}
    return render(request, "aid/batch_form.html", context, status=400 if post else 200)


@requires(Area.AID)
def batch_receive(request: HttpRequest, donation_id: int, number: int) -> HttpResponse:
    batch = selectors.visible_batch(request.user, donation_id, number)
    if batch is None or batch.received:
        raise Http404
    post = request.POST if request.method == "POST" else None
    form = forms.ReceiptForm(post)
    shipped = list(selectors.shipped_lines(batch))
    initial = [{"line": row.pk, "accepted": row.units, "rejected": 0} for row in shipped]
    lines = forms.ReceiveLineFormSet(post, prefix="receive", initial=initial)
    if post is not None and form.is_valid() and lines.is_valid():
        try:
            shipping.receive_batch(
                batch=batch,
                arrived_on=form.cleaned_data["arrived_on"],
                lines=[f.received() for f in lines],
                by=request.user,
            )
        except Refused as refused:
            show_on(form, refused)
        else:
            return redirect("aid:donation", donation_id=donation_id)
    rows = list(zip(lines, shipped, strict=False))
    context = {"form": form, "lines": lines, "rows": rows, "batch": batch}
    return render(request, "aid/receive_form.html", context, status=400 if post else 200)


@require_POST
@requires(Area.AID)
def allocate(request: HttpRequest, donation_id: int) -> HttpResponse:
    donation = _donation(request, donation_id)
    form = forms.AllocationForm(request.POST)
    try:
        if not form.is_valid():
            raise Refused(_("Give the units, a recipient and the day."), "units")
        data = form.cleaned_data
        line = selectors.visible_line(request.user, donation.pk, data["line"])
        if line is None:
            raise Refused(_("This line is not of this donation."), "line")
        allocation.allocate(
            line=line,
            units=data["units"],
            site=data["site"].pk if data["site"] else None,
            jurisdiction=data["jurisdiction"].pk if data["jurisdiction"] else None,
            allocated_on=data["allocated_on"],
            note=data["note"],
            by=request.user,
        )
    except Refused as refused:
        return refused_on(request, refused, donation_detail, donation_id=donation.pk)
    return redirect("aid:donation", donation_id=donation.pk)


@requires(Area.AID_READ)
def catalogue(request: HttpRequest) -> HttpResponse:
    writes = can(request.user, Area.AID)
    context = {
        "items": selectors.catalogue(),
        "lot_form": forms.LotForm() if writes else None,
        "certificate_form": forms.CertificateForm() if writes else None,
    }
    return render(request, "aid/catalogue.html", context)


@require_POST
@requires(Area.AID)
def lot_new(request: HttpRequest) -> HttpResponse:
    form = forms.LotForm(request.POST)
    try:
        if not form.is_valid():
            raise Refused(_("Give the item and the lot number."), "number")
        data = form.cleaned_data
        lots.add_lot(
            item=data["item"].pk,
            number=data["number"],
            manufacturer=data["manufacturer"],
            expires_on=data["expires_on"],
            by=request.user,
        )
    except Refused as refused:
        return refused_on(request, refused, catalogue)
    return redirect("aid:catalogue")


@require_POST
@requires(Area.AID)
def certificate_new(request: HttpRequest, lot_id: int) -> HttpResponse:
    lot = get_object_or_404(selectors.lots_visible_to(request.user), pk=lot_id)
    form = forms.CertificateForm(request.POST, request.FILES)
    try:
        if not form.is_valid():
            raise Refused(_("A certificate must be a PDF or an image (JPEG, PNG)."), "file")
        data = form.cleaned_data
        lots.attach_certificate(
            lot=lot, kind=data["kind"], number=data["number"], upload=data["file"], by=request.user
        )
    except Refused as refused:
        return refused_on(request, refused, catalogue)
    return redirect("aid:catalogue")


@requires(Area.AID_READ)
def certificate_file(request: HttpRequest, certificate_id: int) -> FileResponse:
    certificate = selectors.visible_certificate(request.user, certificate_id)
    if certificate is None:
        raise Http404
    return FileResponse(
        certificate.file.open("rb"),
        as_attachment=True,
        filename=certificate.file_name,
        content_type=certificate.content_type,
    )
