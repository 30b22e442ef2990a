"""Staff pages of the airport side: the desk, sampling, the laboratory and the timeline.

Thin on purpose: each page reads through the selectors (what this officer may see, the read of a
person's record audited) and writes through one service; a refusal is shown beside the form.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from liaison.arrivals import selectors as arrival_selectors
from liaison.arrivals.listing import show
from liaison.arrivals.models import ManifestEntry
from liaison.arrivals.states import ArrivalState
from liaison.core import audit
from liaison.core.access import Area, requires
from liaison.core.models import Site
from liaison.core.normalize import country_name, declaration_code
from liaison.core.params import query_date
from liaison.core.refusals import Refused, show_on
from liaison.core.selectors import get_visible, sites_of_kind
from liaison.handover.services import AT_THE_AIRPORT, transfer_to_hospital
from liaison.policy.engine import render_record
from liaison.policy.models import DispositionChoice
from liaison.policy.selectors import fever_threshold_in_force
from liaison.screening import desk_page, queues, selectors
from liaison.screening.alarms import alarms_for, alarms_shown
from liaison.screening.desk import confirm_history, record_temperature, screen
from liaison.screening.dispositions import override_disposition
from liaison.screening.models import ImportStatus, LabResult, ResultValue
from liaison.screening.next_step import next_step
from liaison.screening.results import record_result
from liaison.screening.results_import import (
    preview_results_file,
    save_results_file,
    stage_results_file,
)
from liaison.screening.sampling import register_sample

# --- forms ------------------------------------------------------------------------------------


class TemperatureForm(forms.Form):
    celsius = forms.DecimalField(label=gettext_lazy("Temperature (°C)"), decimal_places=1)
    device = forms.CharField(label=gettext_lazy("Device"), max_length=100)
    taken_at = forms.DateTimeField(label=gettext_lazy("Taken at"), required=False)


class SampleForm(forms.Form):
    code = forms.CharField(label=gettext_lazy("Traveler's code (scan)"), max_length=100)
    barcode = forms.CharField(label=gettext_lazy("Tube barcode (scan)"), max_length=60)
    site = forms.ModelChoiceField(
        label=gettext_lazy("Sampling site"),
        queryset=None,  # the user's choices, set when the form is made
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = sites_of_kind(user, Site.Kind.SAMPLING_SITE)


class ResultForm(forms.Form):
    barcode = forms.CharField(label=gettext_lazy("Tube barcode"), max_length=60)
    # Radio buttons with none chosen: the officer picks the value; nothing is preselected.
    result = forms.ChoiceField(
        label=gettext_lazy("Result"),
        choices=ResultValue.choices,
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Choose the result.")},
    )
    tested_at = forms.DateTimeField(label=gettext_lazy("Tested at"))
    lab = forms.CharField(label=gettext_lazy("Laboratory"), max_length=200)


class ResultsFileForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Results file (CSV or XLSX)"))
    lab = forms.CharField(label=gettext_lazy("Laboratory"), max_length=200)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > 20 * 1024 * 1024:
            raise ValidationError(_("The file is larger than 20 MB; split it."))
        return upload


class HospitalForm(forms.Form):
    """Sending a traveler from the desk to a designated hospital (an ambulance is called)."""

    hospital = forms.ModelChoiceField(
        label=gettext_lazy("Designated hospital"), queryset=None, required=False
    )
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=300, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["hospital"].queryset = sites_of_kind(user, Site.Kind.DESIGNATED_HOSPITAL)


class OverrideForm(forms.Form):
    disposition = forms.ChoiceField(
        label=gettext_lazy("Disposition"), choices=DispositionChoice.choices
    )
    reason = forms.CharField(
        label=gettext_lazy("Reason (required)"), widget=forms.Textarea(attrs={"rows": 3})
    )


# --- the desk ---------------------------------------------------------------------------------


@requires(Area.ARRIVALS_DESK)
def desk(request: HttpRequest) -> HttpResponse:
    """Find a traveler: a scanner types the declaration code like a keyboard, then Enter."""
    q = request.GET.get("q", "")[:100]
    found = list(selectors.find_arrivals(request.user, Area.ARRIVALS_DESK, q)) if q else []
    if len(found) == 1:
        return redirect("screening:desk_arrival", found[0].pk)
    # The page opens on its queue (the day's flights, or the day asked for); the search's
    # travelers are read in the same audit entry as the queue's page.
    day = query_date(request.GET.get("day"))
    listing = show(
        request,
        visible=queues.screening_desk_visible(request.user, day=day),
        queue=queues.screening_queue(request.user, day=day),
        name="screening-queue",
        note="desk search" if q else "desk queue",
        also_shown=found,
    )
    if listing.export is not None:
        return listing.export
    return render(
        request,
        "screening/desk.html",
        {"q": q, "found": found, "searched": bool(q), "listing": listing},
        status=listing.status,
    )


def _history_text(history: list[dict]) -> str:
    return "\n".join(
        f"{r['country']}, {r.get('city', '')}, {r['date_from']}, {r['date_to']}" for r in history
    )


def _parse_history(text: str) -> list[dict]:
    rows = []
    for line in text.splitlines():
        if not line.strip():
            continue
        cells = [c.strip() for c in line.replace("，", ",").split(",")]
        if len(cells) == 3:
            cells.insert(1, "")
        if len(cells) != 4:
            raise Refused(
                _("Write each stay as: country code, city, from, to (e.g. KR, Seoul, …)."),
                "history",
            )
        rows.append(dict(zip(("country", "city", "date_from", "date_to"), cells, strict=True)))
    return rows


@requires(Area.ARRIVALS_DESK)
@require_http_methods(["GET", "POST"])
def desk_arrival(request: HttpRequest, pk: int) -> HttpResponse:
    # Read here, audited with the alarms the page shows: one entry for the request (below).
    arrival = get_visible(
        arrival_selectors.arrivals_visible_to(request.user, Area.ARRIVALS_DESK),
        "arrivals.arrival",
        pk=pk,
    )
    temperature = TemperatureForm(initial={"device": request.session.get("screening_device", "")})
    history_error = hospital_error = ""
    hospital = HospitalForm(user=request.user)
    status = 200
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "hospital":
                hospital = HospitalForm(request.POST, user=request.user)
                if hospital.is_valid():
                    transfer_to_hospital(
                        arrival=arrival,
                        officer=request.user,
                        hospital=hospital.cleaned_data["hospital"],
                        reason=hospital.cleaned_data["reason"],
                    )
                    messages.success(
                        request,
                        _("%(code)s is on the way to hospital.") % {"code": arrival.display_code},
                    )
                    return redirect("screening:desk_arrival", arrival.pk)
                status = 400
            elif action == "temperature":
                temperature = TemperatureForm(request.POST)
                if temperature.is_valid():
                    data = temperature.cleaned_data
                    record_temperature(
                        arrival=arrival,
                        celsius=data["celsius"],
                        device=data["device"],
                        taken_at=data["taken_at"],
                        officer=request.user,
                    )
                    request.session["screening_device"] = data["device"]
                    messages.success(request, _("Temperature recorded."))
                    return redirect("screening:desk_arrival", arrival.pk)
                status = 400
            elif action in ("confirm_history", "correct_history"):
                history = None
                if action == "correct_history":
                    history = _parse_history(request.POST.get("history", ""))
                check = confirm_history(
                    arrival=arrival,
                    history=history,
                    officer=request.user,
                    note=request.POST.get("note", ""),
                )
                messages.success(
                    request,
                    _("History corrected.") if check.corrected else _("History confirmed."),
                )
                return redirect("screening:desk_arrival", arrival.pk)
            elif action == "screen":
                decided = screen(
                    arrival=arrival, officer=request.user, where=str(arrival.flight.port)
                )
                messages.success(request, _("Marked screened."))
                if decided is not None:
                    messages.warning(
                        request,
                        _("The policy already decided: %(value)s.")
                        % {"value": decided.get_disposition_display()},
                    )
                return redirect("screening:desk_arrival", arrival.pk)
        except Refused as refused:  # the state machine's InvalidMove too: its 409
            status = refused.status
            if action == "hospital":
                hospital_error = refused.message
            elif action == "temperature":
                show_on(temperature, refused)
            else:
                history_error = refused.message
    threshold = fever_threshold_in_force()
    return render(
        request,
        "screening/desk_arrival.html",
        {
            "arrival": arrival,
            "alarms": alarms_shown(
                request.user, Area.ARRIVALS_DESK, also=[arrival], note="desk: traveler, alarms"
            ),
            "next_step": next_step(request.user, arrival),
            "threshold": threshold,
            "symptoms": desk_page.symptom_labels(arrival),
            "history_rows": desk_page.history_rows(arrival),
            "transit_rows": desk_page.transit_rows(arrival),
            "temperature_form": temperature,
            "readings": desk_page.readings(arrival, threshold),
            "checks": selectors.history_checks_of(arrival),
            "history_text": _history_text(arrival.history),
            "history_error": history_error,
            "can_screen": arrival.state == ArrivalState.DECLARED,
            "hospital_form": hospital,
            "hospital_error": hospital_error,
            "can_send_to_hospital": arrival.state in AT_THE_AIRPORT,
            "disposition": selectors.current_disposition(arrival),
            "open_conflicts": arrival_selectors.open_conflict_count(arrival),
        },
        status=status,
    )


@requires(Area.ARRIVALS_DESK)
def desk_flights(request: HttpRequest) -> HttpResponse:
    day = request.GET.get("date") or timezone.localdate().isoformat()
    if query_date(day) is None:
        messages.error(request, _("Give the date as YYYY-MM-DD."))
        return render(request, "screening/desk_flights.html", {"rows": [], "day": ""}, status=400)
    flights = selectors.desk_flights(request.user, day=day)
    rows = [(f, arrival_selectors.reconcile(f)["not_declared"]) for f in flights]
    audit.record_reads(
        ManifestEntry,
        [entry for _flight, entries in rows for entry in entries],
        note=f"desk flights of {day}: listed, not declared",
    )
    return render(request, "screening/desk_flights.html", {"rows": rows, "day": day})


# --- sampling ---------------------------------------------------------------------------------


@requires(Area.ARRIVALS_SAMPLING)
@require_http_methods(["GET", "POST"])
def sampling(request: HttpRequest) -> HttpResponse:
    initial = {"site": request.user.site_id or request.session.get("screening_site")}
    form = SampleForm(request.POST or None, initial=initial, user=request.user)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            code = form.cleaned_data["code"]
            found = list(selectors.find_arrivals(request.user, Area.ARRIVALS_SAMPLING, code))
            exact = [a for a in found if a.code == declaration_code(code)] or found
            if len(exact) != 1:
                form.add_error("code", _("No traveler has this code; scan it again."))
            else:
                try:
                    sample = register_sample(
                        arrival=exact[0],
                        barcode=form.cleaned_data["barcode"],
                        site=form.cleaned_data["site"],
                        collector=request.user,
                    )
                except Refused as refused:
                    show_on(form, refused)
                else:
                    request.session["screening_site"] = form.cleaned_data["site"].pk
                    messages.success(
                        request,
                        _("Sample %(barcode)s registered for %(code)s.")
                        % {"barcode": sample.barcode, "code": exact[0].display_code},
                    )
                    return redirect("screening:sampling")
    alarms = alarms_for(request.user, Area.ARRIVALS_SAMPLING)
    listing = show(
        request,
        visible=arrival_selectors.arrivals_visible_to(request.user, Area.ARRIVALS_SAMPLING),
        queue=queues.sampling_queue(request.user),
        name="sampling-queue",
        note="sampling: queue",
        also_shown=alarms.arrivals,
    )
    if listing.export is not None:
        return listing.export
    return render(
        request,
        "screening/sampling.html",
        {"form": form, "listing": listing, "alarms": alarms},
        status=max(status, listing.status),
    )


# --- the laboratory ---------------------------------------------------------------------------


@requires(Area.ARRIVALS_LAB)
@require_http_methods(["GET", "POST"])
def lab(request: HttpRequest) -> HttpResponse:
    lab_name = request.session.get("screening_lab", "")
    result_form = ResultForm(
        initial={"lab": lab_name, "tested_at": timezone.localtime().strftime("%Y-%m-%d %H:%M")}
    )
    file_form = ResultsFileForm(initial={"lab": lab_name})
    status = 200
    if request.method == "POST" and request.POST.get("action") == "result":
        result_form = ResultForm(request.POST)
        status = 400
        if result_form.is_valid():
            data = result_form.cleaned_data
            try:
                recorded = record_result(
                    barcode=data["barcode"],
                    result=data["result"],
                    lab=data["lab"],
                    tested_at=data["tested_at"],
                    reported_by=request.user,
                    source="ui",
                )
            except Refused as refused:
                show_on(result_form, refused)
            else:
                request.session["screening_lab"] = data["lab"]
                if recorded.created:
                    messages.success(request, _("Result recorded."))
                else:
                    messages.info(request, _("This result was already recorded; nothing changed."))
                return redirect("screening:lab")
    elif request.method == "POST" and request.POST.get("action") == "file":
        file_form = ResultsFileForm(request.POST, request.FILES)
        status = 400
        if file_form.is_valid():
            upload = file_form.cleaned_data["file"]
            try:
                staged = stage_results_file(
                    file=upload.read(),
                    filename=upload.name,
                    lab=file_form.cleaned_data["lab"],
                    uploaded_by=request.user,
                )
            except Refused as refused:  # too large once unpacked, not a workbook …
                show_on(file_form, refused)
            else:
                request.session["screening_lab"] = file_form.cleaned_data["lab"]
                return redirect("screening:lab_preview", staged.pk)
    alarms = alarms_for(request.user, Area.ARRIVALS_LAB)
    listing = show(
        request,
        visible=arrival_selectors.arrivals_visible_to(request.user, Area.ARRIVALS_LAB),
        queue=queues.lab_queue(request.user),
        name="lab-queue",
        note="laboratory: waiting for a result",
        also_shown=alarms.arrivals,
    )
    if listing.export is not None:
        return listing.export
    return render(
        request,
        "screening/lab.html",
        {
            "result_form": result_form,
            "file_form": file_form,
            "recent": _shown_results(request),
            "imports": selectors.imports_visible_to(request.user)[:10],
            "listing": listing,
            "alarms": alarms,
        },
        status=max(status, listing.status),
    )


def _shown_results(request: HttpRequest) -> list:
    recent = list(selectors.recent_results(request.user))
    audit.record_reads(LabResult, recent, note="laboratory: recent results")
    return recent


def _staged(request: HttpRequest, pk: int):
    return get_object_or_404(
        selectors.imports_visible_to(request.user).defer(None), pk=pk, uploaded_by=request.user
    )


@requires(Area.ARRIVALS_LAB)
def lab_preview(request: HttpRequest, pk: int) -> HttpResponse:
    staged = _staged(request, pk)
    preview = preview_results_file(file=bytes(staged.content), filename=staged.filename)
    return render(
        request,
        "screening/lab_preview.html",
        {"staged": staged, "preview": preview, "saved": staged.status == ImportStatus.SAVED},
    )


@requires(Area.ARRIVALS_LAB)
@require_POST
def lab_save(request: HttpRequest, pk: int) -> HttpResponse:
    """Save the good rows of a previewed file, all in one transaction, and say what was saved
    (or why nothing was). The request runs to its end whether or not the officer's browser
    waits for it: the rows are committed together or not at all."""
    staged = _staged(request, pk)
    try:
        outcome = save_results_file(staged=staged, reported_by=request.user)
    except Refused as refused:  # a traveler moved meanwhile, no policy in force
        context, status = {"staged": staged, "refused": refused.message}, 409
    else:
        context, status = {"staged": staged, "outcome": outcome}, 200
    return render(request, "screening/lab_saved.html", context, status=status)


# --- the timeline -----------------------------------------------------------------------------


def _decision_lines(record: dict | None) -> list[str]:
    if not record:
        return []
    from liaison.policy.selectors import rule_titles

    titles = rule_titles(record)
    language = translation.get_language() or "en"
    return render_record(record, language, country_name, titles).split("\n")


@requires(Area.ARRIVALS_DESK)
@require_http_methods(["GET", "POST"])
def timeline(request: HttpRequest, pk: int) -> HttpResponse:
    arrival = arrival_selectors.open_arrival(request.user, pk, Area.ARRIVALS_DESK)
    current = selectors.current_disposition(arrival)
    initial = {"disposition": current.disposition if current else ""}
    form = OverrideForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                override_disposition(
                    arrival=arrival,
                    disposition=form.cleaned_data["disposition"],
                    reason=form.cleaned_data["reason"],
                    officer=request.user,
                )
            except Refused as refused:
                show_on(form, refused)
            else:
                messages.success(request, _("Disposition overridden; the reason is on record."))
                return redirect("screening:timeline", arrival.pk)
    return render(
        request,
        "screening/timeline.html",
        {
            "arrival": arrival,
            # The declaration's own history too: later versions, conflicting declarations.
            "entries": sorted(
                selectors.timeline(arrival) + arrival_selectors.timeline_entries(arrival),
                key=lambda entry: entry["at"],
            ),
            "open_conflicts": arrival_selectors.open_conflict_count(arrival),
            "disposition": current,
            "decision_lines": _decision_lines(current.decision if current else None),
            "form": form,
        },
        status=status,
    )
