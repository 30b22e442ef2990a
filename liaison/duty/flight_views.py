"""The duty desk's flight schedule: the flights the airport expects, by weekday and local arrival
time, which language coverage lays over the roster days ahead (``flights.py``, ``coverage.py``).
The duty officer writes it (``Area.DUTY``); the desk and leadership read it."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison.core.access import Area, can, requires
from liaison.core.refusals import Refused, show_on
from liaison.duty import flights
from liaison.duty.forms import ScheduleForm


def _save(request: HttpRequest, form: ScheduleForm, flight=None) -> HttpResponse | None:
    """The redirect once saved; None when the form is shown again (its errors on it)."""
    if not can(request.user, Area.DUTY):
        raise Http404
    if not form.is_valid():
        return None
    try:
        flights.save_scheduled_flight(by=request.user, data=form.schedule(), flight=flight)
    except Refused as refusal:
        show_on(form, refusal)
        return None
    messages.success(request, _("The flight schedule is saved."))
    return redirect("duty:flights")


@requires(Area.DUTY_READ)
def schedule(request: HttpRequest) -> HttpResponse:
    form = ScheduleForm(request.POST or None, initial={"valid_from": timezone.localdate()})
    if request.method == "POST":
        saved = _save(request, form)
        if saved:
            return saved
    context = {
        "flights": flights.scheduled_flights(request.user, on=timezone.localdate()),
        "form": form,
        "can_write": can(request.user, Area.DUTY),
    }
    return render(request, "duty/flights.html", context, status=400 if form.is_bound else 200)


@requires(Area.DUTY_READ)
def scheduled_flight(request: HttpRequest, pk: int) -> HttpResponse:
    flight = flights.scheduled_flight(request.user, pk)
    if flight is None:
        raise Http404
    form = ScheduleForm(request.POST or None, initial=ScheduleForm.initial_of(flight))
    if request.method == "POST":
        saved = _save(request, form, flight)
        if saved:
            return saved
    context = {"flight": flight, "form": form, "can_write": can(request.user, Area.DUTY)}
    return render(request, "duty/flight.html", context, status=400 if form.is_bound else 200)
