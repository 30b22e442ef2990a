"""The duty desk's pages: on duty now, the roster's week with its gaps, a shift (edit, swap),
templates, officers' languages, the duty log (filters, CSV/XLSX). Each validates a form and
calls one service or selector; the duty officer writes (Area.DUTY), leadership reads
(DUTY_READ)."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from liaison.core import audit, exports, params
from liaison.core.access import Area, can, requires
from liaison.core.refusals import Refused, refused_on, show_on
from liaison.duty import coverage, forms, log, selectors, services
from liaison.duty.models import LogEntry, Shift


def _writer(request) -> bool:
    return can(request.user, Area.DUTY)


@requires(Area.DUTY_READ)
def now(request: HttpRequest) -> HttpResponse:
    shifts = selectors.shifts_now(request.user)
    audit.record_reads(Shift, shifts, note="on duty now")
    return render(
        request,
        "duty/now.html",
        {
            "shifts": shifts,
            "gaps": selectors.gaps_ahead(request.user, days=3),
            "language_gaps": coverage.language_gaps(request.user, days=3),
        },
    )


def _monday(request) -> tuple[object, int]:
    raw = request.GET.get("week")
    day = params.query_date(raw)
    status = 400 if raw and day is None else 200
    day = day or timezone.localdate()
    return day - timedelta(days=day.weekday()), status


@requires(Area.DUTY_READ)
def roster(request: HttpRequest) -> HttpResponse:
    monday, status = _monday(request)
    officers = selectors.officers(request.user)
    form = forms.ShiftForm(request.POST or None, officers=officers)
    if request.method == "POST":
        if not _writer(request):
            raise Http404
        if form.is_valid():
            try:
                shift = services.add_shift(by=request.user, data=form.shift())
            except Refused as refusal:
                show_on(form, refusal)
                status = refusal.status
            else:
                messages.success(request, _("The shift is on the roster."))
                return redirect(f"{request.path}?week={timezone.localdate(shift.starts_at)}")
        else:
            status = 400
    days = selectors.roster_week(request.user, monday)
    audit.record_reads(Shift, {s.pk for d in days for s in d.shifts}, note="roster")
    return render(
        request,
        "duty/roster.html",
        {
            "days": days,
            "monday": monday,
            "previous": monday - timedelta(days=7),
            "next": monday + timedelta(days=7),
            "language_gaps": coverage.language_gaps(request.user, start=monday),
            "form": form,
            "can_write": _writer(request),
        },
        status=status,
    )


def _shift(request, pk: int) -> Shift:
    try:
        return selectors.shift_detail(request.user, pk)
    except Shift.DoesNotExist as error:
        raise Http404 from error


@requires(Area.DUTY_READ)
def shift(request: HttpRequest, pk: int) -> HttpResponse:
    found = _shift(request, pk)
    officers = selectors.officers(request.user)
    edit = forms.ShiftForm(
        request.POST if request.POST.get("action") == "edit" else None,
        officers=officers,
        initial={
            "officer": found.officer_id,
            "post": found.post,
            "starts_at": timezone.localtime(found.starts_at),
            "ends_at": timezone.localtime(found.ends_at),
            "phone": found.phone,
            "note": found.note,
        },
    )
    give = forms.SwapForm(
        request.POST if request.POST.get("action") == "swap" else None, officers=officers
    )
    status = 200
    if request.method == "POST":
        if not _writer(request):
            raise Http404
        bound = edit if edit.is_bound else give
        if not bound.is_valid():
            status = 400
        else:
            try:
                if bound is edit:
                    services.change_shift(by=request.user, shift=found, data=edit.shift())
                else:
                    services.swap(
                        by=request.user,
                        shift=found,
                        to_officer_id=give.cleaned_data["to_officer"],
                        reason=give.cleaned_data["reason"],
                        phone=give.cleaned_data["phone"],
                    )
            except Refused as refusal:
                show_on(bound, refusal)
                status = refusal.status
            else:
                messages.success(request, _("The shift is saved."))
                return redirect("duty:shift", found.pk)
    audit.record_read(found, note="shift")
    return render(
        request,
        "duty/shift.html",
        {"shift": found, "edit": edit, "give": give, "can_write": _writer(request)},
        status=status,
    )


@requires(Area.DUTY_READ)
def templates(request: HttpRequest) -> HttpResponse:
    officers = selectors.officers(request.user)
    found = selectors.template_list(request.user)
    add = forms.TemplateForm(request.POST if request.POST.get("action") == "add" else None)
    week = forms.WeekForm(
        request.POST if request.POST.get("action") == "week" else None,
        templates=found,
        officers=officers,
    )
    status = 200
    if request.method == "POST":
        if not _writer(request):
            raise Http404
        bound = add if add.is_bound else week
        if not bound.is_valid():
            status = 400
        else:
            data = bound.cleaned_data
            try:
                if bound is add:
                    services.save_template(
                        by=request.user,
                        post=data["post"],
                        starts=data["starts"],
                        hours=data["hours"],
                    )
                    messages.success(request, _("The template is saved."))
                else:
                    template = selectors.template_detail(request.user, data["template"])
                    services.generate_week(
                        by=request.user,
                        template=template,
                        monday=data["monday"],
                        officer_ids=data["officers"],
                        phone=data["phone"],
                    )
                    messages.success(request, _("A week of shifts is on the roster."))
                    return redirect(f"/duty/roster/?week={data['monday']}")
            except Refused as refusal:
                show_on(bound, refusal)
                status = refusal.status
            else:
                return redirect("duty:templates")
    return render(
        request,
        "duty/templates.html",
        {"templates": found, "add": add, "week": week, "can_write": _writer(request)},
        status=status,
    )


@requires(Area.DUTY_READ)
def languages(request: HttpRequest) -> HttpResponse:
    officers = selectors.officers(request.user)
    form = forms.LanguagesForm(request.POST or None, officers=officers)
    status = 200
    if request.method == "POST":
        if not _writer(request):
            raise Http404
        if form.is_valid():
            try:
                services.set_languages(
                    by=request.user,
                    officer_id=form.cleaned_data["officer"],
                    languages=form.cleaned_data["languages"],
                )
            except Refused as refusal:
                show_on(form, refusal)
                status = refusal.status
            else:
                messages.success(request, _("The languages are saved."))
                return redirect("duty:languages")
        else:
            status = 400
    return render(
        request,
        "duty/languages.html",
        {
            "spoken": selectors.languages_by_officer(request.user),
            "coverage": coverage.airport_coverage(request.user, start=timezone.localdate()),
            "form": form,
            "can_write": _writer(request),
        },
        status=status,
    )


LOG_HEADER = (
    gettext_lazy("Entry no."),
    gettext_lazy("Time"),
    gettext_lazy("Recorded at"),
    gettext_lazy("Written by"),
    gettext_lazy("What"),
    gettext_lazy("Corrects entry"),
    gettext_lazy("Traveler (arrival id)"),
    gettext_lazy("Handover batch"),
    gettext_lazy("Assistance case"),
    gettext_lazy("Organization"),
    gettext_lazy("Emergency incident"),
)


def _log_rows(entries: list[LogEntry]):
    def text(value) -> str:
        return "" if value is None else str(value)

    for e in entries:
        yield [
            str(e.pk),
            timezone.localtime(e.at).strftime("%Y-%m-%d %H:%M"),
            timezone.localtime(e.recorded_at).strftime("%Y-%m-%d %H:%M"),
            e.author.get_full_name() or e.author.username,
            e.text,
            text(e.corrects_id),
            text(e.arrival_id),
            text(e.batch_id),
            text(e.case_id),
            text(e.organization_id),
            text(e.incident_id),
        ]


@requires(Area.DUTY_READ)
def duty_log(request: HttpRequest) -> HttpResponse:
    officers = selectors.officers(request.user)
    filters = forms.LogFilterForm(request.GET or None, officers=officers)
    form = forms.EntryForm(request.POST or None)
    status = 200
    if filters.is_bound and not filters.is_valid():
        status = 400
    if request.method == "POST":
        if not _writer(request):
            raise Http404
        if form.is_valid():
            try:
                log.log(by=request.user, data=form.entry())
            except Refused as refusal:
                show_on(form, refusal)
                status = refusal.status
            else:
                messages.success(request, _("The entry is in the log."))
                return redirect("duty:log")
        else:
            status = 400
    entries = selectors.log_list(request.user, filters.filters())
    audit.record_reads(LogEntry, entries, note="duty log")
    fmt = filters.cleaned_data.get("format") if status == 200 and filters.is_bound else ""
    if fmt:
        return exports.file_response(
            fmt,
            name="duty-log",
            title=_("Duty log"),
            header=[str(h) for h in LOG_HEADER],
            rows=list(_log_rows(entries)),
        )
    return render(
        request,
        "duty/log.html",
        {"entries": entries, "filters": filters, "form": form, "can_write": _writer(request)},
        status=status,
    )


@requires(Area.DUTY)
@require_POST
def correct(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        entry = selectors.log_entry(request.user, pk)
    except LogEntry.DoesNotExist as error:
        raise Http404 from error
    form = forms.EntryForm(request.POST)
    try:
        if not form.is_valid():
            raise Refused(_("Say what the correction is."), "text")
        log.correct(by=request.user, entry=entry, data=form.entry())
    except Refused as refusal:
        # The log again, with why, and a 4xx: the entry stands as it was, nothing is added.
        return refused_on(request, refusal, duty_log)
    messages.success(request, _("The correction is in the log."))
    return redirect("duty:log")
