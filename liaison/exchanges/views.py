"""The exchanges desk's pages: list, plan and revise, detail with the Q&A and materials,
finalize, the printable minutes and their PDF. Each validates a form and calls one service or
selector; the exchange officer writes (Area.EXCHANGES), leadership reads (EXCHANGES_READ)."""

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from liaison.core import audit
from liaison.core.access import Area, can, requires
from liaison.core.models import AuditEntry
from liaison.core.refusals import Refused, flash, refused_on, show_on
from liaison.directory.models import Person
from liaison.exchanges import follow_ups, forms, minutes, selectors, services, time_zones
from liaison.exchanges.models import Conference, Material


def _conference(request: HttpRequest, pk: int) -> Conference:
    try:
        return selectors.conference_detail(request.user, pk)
    except Conference.DoesNotExist as error:
        raise Http404 from error


def _audit_people(conference: Conference, *, note: str, action=AuditEntry.Action.READ) -> None:
    """The page names the participants (people of the directory): one read naming them all."""
    audit.record_reads(Person, selectors.people_shown(conference), note=note, action=action)


@requires(Area.EXCHANGES_READ)
def conferences(request: HttpRequest) -> HttpResponse:
    form = forms.ConferenceFilterForm(request.GET or None)
    filters = {}
    status = 200
    if form.is_bound and not form.is_valid():
        status = 400
    elif form.is_bound:
        data = form.cleaned_data
        filters = {
            "when": data["when"] or "all",
            "country": data["country"],
            "status": data["status"],
            "query": data["q"].strip(),
            "ended_from": data["ended_from"],
            "ended_until": data["ended_until"],
        }
    found = selectors.conference_list(request.user, **filters)
    return render(
        request,
        "exchanges/conferences.html",
        {"form": form, "conferences": found, "can_write": can(request.user, Area.EXCHANGES)},
        status=status,
    )


def _plan_page(request, built: forms.PlanForms, *, conference=None, status=200) -> HttpResponse:
    return render(
        request,
        "exchanges/plan.html",
        {"forms": built, "conference": conference},
        status=status,
    )


def _save_plan(request, built: forms.PlanForms, conference: Conference | None) -> HttpResponse:
    if not built.is_valid():
        return _plan_page(request, built, conference=conference, status=400)
    try:
        if conference is None:
            conference = services.plan_conference(plan=built.plan(), by=request.user)
        else:
            conference = services.revise_conference(
                conference=conference, plan=built.plan(), by=request.user
            )
    except Refused as refusal:
        show_on(built.main, refusal)
        return _plan_page(request, built, conference=conference, status=refusal.status)
    messages.success(request, _("The conference is saved."))
    return redirect("exchanges:conference", conference.pk)


@requires(Area.EXCHANGES)
def plan(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        return _save_plan(request, forms.PlanForms(request.POST), None)
    return _plan_page(request, forms.PlanForms())


@requires(Area.EXCHANGES)
def revise(request: HttpRequest, pk: int) -> HttpResponse:
    conference = _conference(request, pk)
    if conference.is_final:
        return refused_on(request, _locked(conference), detail, pk=conference.pk)
    if request.method == "POST":
        return _save_plan(request, forms.PlanForms(request.POST), conference)
    _audit_people(conference, note="plan form")
    return _plan_page(request, forms.PlanForms(conference=conference), conference=conference)


def _locked(conference: Conference) -> Refused:
    """What the edit links of a finalized conference say (the service says the same, 409)."""
    try:
        services.editable(conference)
    except Refused as refusal:
        return refusal
    return Refused("")


def _detail_page(request, conference, *, question=None, material=None, follow_up=None, status=200):
    _audit_people(conference, note="conference")
    return render(
        request,
        "exchanges/detail.html",
        {
            "conference": conference,
            "times": time_zones.local_times(conference),
            "question_form": question or forms.QuestionForm(conference=conference),
            "material_form": material or forms.MaterialForm(conference=conference),
            "follow_up_form": follow_up or forms.FollowUpForm(conference=conference),
            "follow_ups": follow_ups.of_conference(conference),
            "can_write": can(request.user, Area.EXCHANGES) and not conference.is_final,
        },
        status=status,
    )


def _refused(request, conference, refusal: Refused, **shown) -> HttpResponse:
    """A refusal on the form it concerns, and above the page when that form is not shown (the
    minutes are final): the officer always reads why."""
    for form in shown.values():
        show_on(form, refusal)
    if conference.is_final:
        flash(request, refusal)
    return _detail_page(request, conference, status=refusal.status, **shown)


@requires(Area.EXCHANGES_READ)
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail_page(request, _conference(request, pk))


@requires(Area.EXCHANGES)
@require_POST
def add_question(request: HttpRequest, pk: int) -> HttpResponse:
    conference = _conference(request, pk)
    form = forms.QuestionForm(request.POST, conference=conference)
    if not form.is_valid():
        return _detail_page(request, conference, question=form, status=400)
    try:
        data = form.cleaned_data
        services.record_question(
            conference=conference,
            asked_by_id=data["asked_by"],
            question_zh=data["question_zh"],
            question_en=data["question_en"],
            answered_by_id=data["answered_by"],
            answer_zh=data["answer_zh"],
            answer_en=data["answer_en"],
            by=request.user,
        )
    except Refused as refusal:
        return _refused(request, conference, refusal, question=form)
    messages.success(request, _("The question is recorded."))
    return redirect("exchanges:conference", conference.pk)


@requires(Area.EXCHANGES)
@require_POST
def add_material(request: HttpRequest, pk: int) -> HttpResponse:
    conference = _conference(request, pk)
    form = forms.MaterialForm(request.POST, request.FILES, conference=conference)
    if not form.is_valid():
        return _detail_page(request, conference, material=form, status=400)
    data = form.cleaned_data
    try:
        services.share_material(
            conference=conference,
            upload=data["file"],
            title=data["title"],
            language=data["language"],
            version=data["version"],
            visibility=data["visibility"],
            shared_by_id=data["shared_by"],
            by=request.user,
        )
    except Refused as refusal:
        return _refused(request, conference, refusal, material=form)
    messages.success(request, _("The material is shared."))
    return redirect("exchanges:conference", conference.pk)


@requires(Area.EXCHANGES)
@require_POST
def add_follow_up(request: HttpRequest, pk: int) -> HttpResponse:
    conference = _conference(request, pk)
    form = forms.FollowUpForm(request.POST, conference=conference)
    if not form.is_valid():
        return _detail_page(request, conference, follow_up=form, status=400)
    data = form.cleaned_data
    try:
        follow_ups.record(
            conference=conference,
            side=data["side"],
            description=data["description"],
            due_on=data["due_on"],
            owner_user_id=data["owner_user"].pk if data["owner_user"] else None,
            owner_person_id=data["owner_person"],
            by=request.user,
        )
    except Refused as refusal:
        return _refused(request, conference, refusal, follow_up=form)
    messages.success(request, _("The follow-up is recorded in the commitments ledger."))
    return redirect("exchanges:conference", conference.pk)


@requires(Area.EXCHANGES_READ)
def material(request: HttpRequest, pk: int, material_id: int) -> HttpResponse:
    conference = _conference(request, pk)
    found = get_object_or_404(Material, pk=material_id, conference=conference)
    audit.record_read(found)
    try:
        handle = found.file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    return FileResponse(
        handle, as_attachment=True, filename=found.original_name, content_type=found.content_type
    )


@requires(Area.EXCHANGES)
@require_POST
def finalize(request: HttpRequest, pk: int) -> HttpResponse:
    conference = _conference(request, pk)
    try:
        services.finalize_minutes(conference=conference, by=request.user)
    except Refused as refusal:
        flash(request, refusal)
        return _detail_page(request, _conference(request, pk), status=refusal.status)
    messages.success(request, _("The minutes are finalized."))
    return redirect("exchanges:minutes", conference.pk)


@requires(Area.EXCHANGES_READ)
def minutes_page(request: HttpRequest, pk: int) -> HttpResponse:
    conference = _conference(request, pk)
    _audit_people(conference, note="minutes")
    return render(request, minutes.TEMPLATE, minutes.context(conference))


@requires(Area.EXCHANGES_READ)
def minutes_download(request: HttpRequest, pk: int) -> HttpResponse:
    conference = _conference(request, pk)
    _audit_people(conference, note="minutes PDF", action=AuditEntry.Action.EXPORT)
    response = HttpResponse(minutes.minutes_pdf(conference), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="minutes-{conference.pk}.pdf"'
    return response
