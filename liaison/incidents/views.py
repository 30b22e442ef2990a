"""The incident desk's pages: the queue, an incident with its history and its forms, the
escalation chain, the shift handovers. The duty desk writes (``Area.DUTY``); it and leadership
read (``Area.DUTY_READ``); acknowledging is for whoever is on the chain (the service says)."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from liaison.core import audit
from liaison.core.access import Area, can, requires
from liaison.core.refusals import Refused, flash, refused_on, show_on
from liaison.incidents import chain, events, forms, handovers, selectors, services, states
from liaison.incidents.models import Incident


def _found(request: HttpRequest, pk: int) -> Incident:
    incident = selectors.incident(request.user, pk)
    if incident is None:
        raise Http404
    return incident


@requires(Area.DUTY_READ)
def queue(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    form = forms.QueueFilterForm(request.GET or None)
    found, status = selectors.incidents_visible_to(request.user), 200
    if form.is_bound and not form.is_valid():
        found, status = found.none(), 400
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    found = selectors.filter_incidents(
        found,
        now=now,
        status=data.get("status", ""),
        severity=data.get("severity"),
        kind=data.get("kind", ""),
        owner=data["owner"].pk if data.get("owner") else None,
        exercise=data.get("exercise"),
        overdue=data.get("overdue", False),
    )
    rows = list(found[:200])
    audit.record_reads(Incident, rows, note="queue")
    context = {
        "form": form,
        "incidents": rows,
        "now": now,
        "counts": selectors.counts(request.user, now=now),
        "can_write": can(request.user, Area.DUTY),
    }
    return render(request, "incidents/queue.html", context, status=status)


@requires(Area.DUTY_READ)
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    incident = _found(request, pk)
    audit.record_reads(Incident, [incident], note="detail")
    history = [(event, events.sentence(event)) for event in selectors.history(incident)]
    context = {
        "incident": incident,
        "history": history,
        "now": timezone.now(),
        "moves": states.allowed_moves(incident.status),
        "can_write": can(request.user, Area.DUTY),
        "assign_form": forms.AssignForm(),
        "action_form": forms.ActionForm(),
        "move_form": forms.MoveForm(),
    }
    return render(request, "incidents/detail.html", context)


@requires(Area.DUTY)
def report(request: HttpRequest) -> HttpResponse:
    form = forms.ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            incident = services.report(
                by=request.user,
                at=timezone.now(),
                kind=data["kind"],
                severity=data["severity"],
                title=data["title"],
                description=data["description"],
                place=data["place"],
                occurred_at=data["occurred_at"],
                exercise=data["exercise"],
            )
        except Refused as refusal:
            show_on(form, refusal)
        else:
            return redirect("incidents:detail", incident.pk)
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "incidents/report.html", {"form": form}, status=status)


def _act(request: HttpRequest, pk: int, do) -> HttpResponse:
    """A button of the incident's page (acknowledge, assign, act, move): ``do`` the service on
    the incident this officer may see, then back to its page, or the page again with why."""
    incident = _found(request, pk)
    try:
        do(incident)
    except Refused as refusal:
        return refused_on(request, refusal, detail, pk=incident.pk)
    return redirect("incidents:detail", incident.pk)


def _form_refused(request: HttpRequest, pk: int, form) -> HttpResponse:
    """A button's form that does not validate: the incident's page again, with why, as a 400."""
    _found(request, pk)
    problems = [
        (field, f"{form.fields[field].label}: {message}" if field in form.fields else message)
        for field, errors in form.errors.items()
        for message in errors
    ]
    return refused_on(request, Refused(problems=problems), detail, pk=pk)


@require_POST
@requires(Area.DUTY_READ)
def acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        lambda i: services.acknowledge(incident=i, by=request.user, at=timezone.now()),
    )


@require_POST
@requires(Area.DUTY)
def assign(request: HttpRequest, pk: int) -> HttpResponse:
    form = forms.AssignForm(request.POST)
    if not form.is_valid():
        return _form_refused(request, pk, form)
    owner = form.cleaned_data["owner"]
    return _act(
        request,
        pk,
        lambda i: services.assign(incident=i, owner=owner, by=request.user, at=timezone.now()),
    )


@require_POST
@requires(Area.DUTY)
def act(request: HttpRequest, pk: int) -> HttpResponse:
    form = forms.ActionForm(request.POST)
    if not form.is_valid():
        return _form_refused(request, pk, form)
    text = form.cleaned_data["text"]
    return _act(
        request,
        pk,
        lambda i: services.act(incident=i, text=text, by=request.user, at=timezone.now()),
    )


@require_POST
@requires(Area.DUTY)
def move(request: HttpRequest, pk: int) -> HttpResponse:
    form = forms.MoveForm(request.POST)
    if not form.is_valid():
        return _form_refused(request, pk, form)
    data = form.cleaned_data
    return _act(
        request,
        pk,
        lambda i: services.move(
            incident=i, to=data["to"], text=data["text"], by=request.user, at=timezone.now()
        ),
    )


@requires(Area.DUTY)
def chain_settings(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    steps = chain.steps()
    initial = [{"post": s.post, "user": s.user, "after_minutes": s.after_minutes} for s in steps]
    formset = forms.StepFormSet(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        if formset.is_valid():
            new = [f.cleaned_data for f in formset if f.cleaned_data.get("post")]
            try:
                chain.set_chain(new_steps=new, by=request.user, at=now)
            except Refused as refusal:
                status = refusal.status
                flash(request, refusal)
            else:
                return redirect("incidents:chain")
        else:
            status = 400
    context = {"formset": formset, "steps": steps, "may_edit": chain.may_edit(request.user, now)}
    return render(request, "incidents/chain.html", context, status=status)


@requires(Area.DUTY_READ)
def handover_list(request: HttpRequest) -> HttpResponse:
    form = forms.HandoverForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if not can(request.user, Area.DUTY):
            return render(request, "core/forbidden.html", status=403)
        if form.is_valid():
            try:
                handover = handovers.write(
                    outgoing=request.user,
                    incoming=form.cleaned_data["incoming"],
                    note=form.cleaned_data["note"],
                    at=timezone.now(),
                )
            except Refused as refusal:
                show_on(form, refusal)
                status = refusal.status
            else:
                return redirect("incidents:handover", handover.pk)
        else:
            status = 400
    context = {
        "form": form,
        "handovers": list(selectors.handovers_visible_to(request.user)[:50]),
        "can_write": can(request.user, Area.DUTY),
    }
    return render(request, "incidents/handovers.html", context, status=status)


@requires(Area.DUTY_READ)
def handover(request: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.handover_for(request.user, pk)
    if found is None:
        raise Http404
    form = forms.CountersignForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                handovers.countersign(
                    handover=found,
                    by=request.user,
                    confirmed_count=form.cleaned_data["confirmed_count"],
                    at=timezone.now(),
                )
            except Refused as refusal:
                show_on(form, refusal)
                status = refusal.status
            else:
                return redirect("incidents:handover", found.pk)
        else:
            status = 400
    shown = list(handovers.open_incidents())
    audit.record_reads(Incident, shown, note="handover")
    context = {"handover": found, "form": form, "incidents": shown, "now": timezone.now()}
    return render(request, "incidents/handover.html", context, status=status)
