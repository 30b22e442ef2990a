"""Staff pages of the arrivals desk: assisted declaration with the MRZ, arrivals, flights."""

import uuid

from django import forms as django_forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from liaison.arrivals import conflicts, selectors, services
from liaison.arrivals import mrz as mrz_reader
from liaison.arrivals.declaration_input import (
    ADD_ROW_BUTTONS,
    IDEMPOTENCY_KEY,
    DeclarationInput,
    mrz_fields,
)
from liaison.arrivals.listing import show
from liaison.arrivals.models import Arrival, ManifestEntry, Source
from liaison.core import audit
from liaison.core.access import Area, requires
from liaison.core.refusals import Refused


@requires(Area.ARRIVALS_DESK)
def arrival_list(request: HttpRequest) -> HttpResponse:
    """Every arrival this officer may see, newest first: filtered, searched, exported."""
    listing = show(
        request,
        visible=selectors.arrivals_visible_to(request.user),
        name="arrivals",
        note="arrivals list",
        count_flights=False,
    )
    if listing.export is not None:
        return listing.export
    return render(request, "arrivals/staff/list.html", {"listing": listing}, status=listing.status)


@requires(Area.ARRIVALS_DESK)
def arrival_detail(request: HttpRequest, pk: int) -> HttpResponse:
    arrival = selectors.open_arrival(request.user, pk)
    return _detail_page(request, arrival)


def _detail_page(request, arrival, *, refused=None, status=200):
    on_file = selectors.declared_data(arrival)
    return render(
        request,
        "arrivals/staff/detail.html",
        {
            "arrival": arrival,
            "events": selectors.events_of(arrival),
            "revisions": selectors.revisions_of(arrival),
            "conflicts": [
                (c, selectors.differences(on_file, c.data)) for c in selectors.conflicts_of(arrival)
            ],
            "outcomes": conflicts.OUTCOMES,
            "open_conflicts": selectors.open_conflict_count(arrival),
            "refused": refused,
        },
        status=status,
    )


class ResolveForm(django_forms.Form):
    outcome = django_forms.ChoiceField(
        label=gettext_lazy("Resolution"),
        choices=[(o.value, o.label) for o in conflicts.OUTCOMES],
    )
    reason = django_forms.CharField(
        label=gettext_lazy("Reason (required)"), max_length=conflicts.MAX_REASON
    )


@requires(Area.ARRIVALS_DESK)
@require_POST
def resolve_conflict(request: HttpRequest, pk: int, conflict_pk: int) -> HttpResponse:
    """Dismiss a conflicting declaration, or apply it to the traveler's, with a written reason."""
    conflict = selectors.open_conflict(request.user, pk, conflict_pk, Area.ARRIVALS_DESK)
    form = ResolveForm(request.POST)
    if not form.is_valid():
        first = next(iter(form.errors.values()))[0]
        refused = {"conflict": conflict.pk, "message": first}
        return _detail_page(request, conflict.arrival, refused=refused, status=400)
    try:
        conflicts.resolve_conflict(
            conflict=conflict,
            by=request.user,
            reason=form.cleaned_data["reason"],
            outcome=form.cleaned_data["outcome"],
        )
    except Refused as error:  # the declaration is past the disposition, or invalid
        refused = {"conflict": conflict.pk, "message": error.message}
        return _detail_page(request, conflict.arrival, refused=refused, status=409)
    messages.success(request, _("Conflicting declaration resolved; the reason is on record."))
    return redirect("arrivals:detail", conflict.arrival_id)


@requires(Area.ARRIVALS_DESK)
@require_http_methods(["GET", "POST"])
def staff_declare(request: HttpRequest) -> HttpResponse:
    """The traveler's form at the desk, with the passport zone read into it."""
    if request.method == "GET":
        return _page(request, DeclarationInput(initial={"language": "en"}), str(uuid.uuid4()))
    key = request.POST.get("idempotency_key", "")
    if not IDEMPOTENCY_KEY.match(key):
        key = str(uuid.uuid4())
    if request.POST.get("read_mrz"):
        return _read_mrz(request, key)
    for button, prefix in ADD_ROW_BUTTONS.items():
        if button in request.POST:
            return _page(request, DeclarationInput.with_another_row(request.POST, prefix), key)
    try:
        result = services.declare(
            data=request.POST,
            source=Source.STAFF,
            entered_by=request.user,
            idempotency_key=key,
        )
    except services.InvalidDeclaration as invalid:
        bound = invalid.input or DeclarationInput(request.POST)
        return _page(request, bound, key, errors=invalid.errors, status=400)
    except Refused as refused:  # a reused key: a new one
        return _page(
            request,
            DeclarationInput(request.POST),
            str(uuid.uuid4()),
            errors=[{"field": "", "message": refused.message}],
            status=refused.status,
        )
    if isinstance(result, services.Received):
        # This traveler had declared already: the entry waits beside it, to apply with a reason.
        held = selectors.conflict_by_reference(request.user, result.reference, Area.ARRIVALS_DESK)
        message = _(
            "This traveler had already declared for this flight and day. Your entry changed "
            "nothing: it is kept as a conflicting declaration (reference %(reference)s) to "
            "apply or dismiss with a reason."
        ) % {"reference": result.display_reference}
        messages.warning(request, message)
        if held is not None:
            return redirect("arrivals:detail", held.arrival_id)
        return redirect("arrivals:declare")
    return redirect("arrivals:detail", result.arrival.pk)


def _read_mrz(request: HttpRequest, key: str) -> HttpResponse:
    """Fill identity from the zone (unbound form: nothing is checked or saved yet)."""
    data = {k: v for k, v in request.POST.items() if k not in {"read_mrz", "csrfmiddlewaretoken"}}
    try:
        zone = mrz_reader.parse(data.get("mrz", ""))
    except mrz_reader.MrzError:
        message, css = (
            _("This is not a passport zone: it must be two lines of 44 characters."),
            "error",
        )
        zone = None
    if zone is not None and not zone.valid:
        message, css = (
            _("Wrong check digit (%(what)s): please look for a typo in the zone.")
            % {"what": ", ".join(zone.bad_check_digits)},
            "error",
        )
    elif zone is not None:
        data.update({k: v for k, v in mrz_fields(zone).items() if v})
        data["mrz"] = "\n".join(mrz_reader.normalise(data["mrz"]))
        message, css = _("Identity read from the zone; check it against the passport."), "success"
    bound = DeclarationInput(initial=data)
    return _page(request, bound, key, mrz_message=message, mrz_class=css)


def _page(request, bound, key, *, errors=None, status=200, **extra):
    context = {
        "input": bound,
        "form": bound.form,
        "history": bound.history,
        "transits": bound.transits,
        "idempotency_key": key,
        "unknown_fields": bound.unknown_fields,
        "error_count": len(errors or []),
        "general_errors": [e["message"] for e in errors or [] if not e["field"]],
        "staff": True,
        **extra,
    }
    return render(request, "arrivals/staff/declare.html", context, status=status)


class ManifestForm(django_forms.Form):
    flight_number = django_forms.CharField(label=gettext_lazy("Flight number"), max_length=10)
    date = django_forms.DateField(
        label=gettext_lazy("Date of arrival"),
        widget=django_forms.DateInput(attrs={"type": "date"}),
    )
    file = django_forms.FileField(
        label=gettext_lazy("Passenger list (CSV or XLSX: name, document, seat)")
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise django_forms.ValidationError(_("Upload a .csv or .xlsx file."))
        if upload.size > 5 * 1024 * 1024:
            raise django_forms.ValidationError(_("The file is larger than 5 MB."))
        return upload


@requires(Area.ARRIVALS_DESK)
def flights(request: HttpRequest) -> HttpResponse:
    form = ManifestForm(initial={"date": timezone.localdate()})
    return render(
        request,
        "arrivals/staff/flights.html",
        {"form": form, "flights": selectors.flights_visible_to(request.user)[:200]},
    )


@requires(Area.ARRIVALS_DESK)
@require_POST
def import_manifest(request: HttpRequest) -> HttpResponse:
    form = ManifestForm(request.POST, request.FILES)
    if not form.is_valid():
        return render(
            request,
            "arrivals/staff/flights.html",
            {"form": form, "flights": selectors.flights_visible_to(request.user)[:200]},
            status=400,
        )
    upload = form.cleaned_data["file"]
    result = services.import_manifest(
        flight_number=form.cleaned_data["flight_number"],
        day=form.cleaned_data["date"],
        content=upload.read(),
        filename=upload.name,
    )
    if result.problems:
        return render(
            request,
            "arrivals/staff/flights.html",
            {
                "form": form,
                "flights": selectors.flights_visible_to(request.user)[:200],
                "problems": result.problems,
            },
            status=400,
        )
    messages.success(
        request,
        _(
            "Manifest imported: %(created)d new, %(updated)d updated, %(unchanged)d unchanged, "
            "%(removed)d no longer on the list removed."
        )
        % {
            "created": result.created,
            "updated": result.updated,
            "unchanged": result.unchanged,
            "removed": result.removed,
        },
    )
    return redirect("arrivals:flight", result.flight.pk)


@requires(Area.ARRIVALS_DESK)
def flight(request: HttpRequest, pk: int) -> HttpResponse:
    return _flight_page(
        request, get_object_or_404(selectors.flights_visible_to(request.user), pk=pk)
    )


def _flight_page(request, flight):
    reconciliation = selectors.reconcile(flight)
    # The passenger list, one entry for the page: the travelers who declared (the note counts
    # the listed names that had not), or the airline's list when nobody has declared yet.
    declared = [*reconciliation["matched"], *reconciliation["not_on_manifest"]]
    not_declared = reconciliation["not_declared"]
    audit.record_reads(
        Arrival if declared else ManifestEntry,
        declared or not_declared,
        note=f"flight {flight.pk} passenger list; {len(not_declared)} listed, not declared",
    )
    return render(
        request,
        "arrivals/staff/flight.html",
        {"flight": flight, "reconciliation": reconciliation},
    )
