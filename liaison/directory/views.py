"""The directory's pages. Each validates a form and calls one service or selector.

Every desk that links to the directory reads it (``Area.DIRECTORY``); the liaison desk keeps it
(``Area.LIAISON``). A page showing people's phones and e-mail audits that read once.
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from liaison.assistance.selectors import open_cases_with, open_notifications_to
from liaison.core.access import Area, can, requires
from liaison.core.refusals import Refused, show_on
from liaison.core.selectors import get_visible
from liaison.directory import selectors, services
from liaison.directory.forms import DirectoryFilterForm, OrganizationForm, PersonForm, ServingForm
from liaison.directory.history import history
from liaison.directory.serving import missions_serving
from liaison.directory.slots import organization_panels

PAGE_SIZE = 50
HISTORY_SHOWN = 50


@requires(Area.DIRECTORY)
def organizations(request: HttpRequest) -> HttpResponse:
    form = DirectoryFilterForm(request.GET or None)
    if request.GET and not form.is_valid():
        return render(request, "directory/organizations.html", {"form": form}, status=400)
    data = form.cleaned_data if form.is_bound else {}
    listed = selectors.filter_organizations(
        selectors.organizations_visible_to(request.user),
        query=data.get("q", ""),
        kind=data.get("kind", ""),
        country=data.get("country", ""),
        active=data.get("active") or "yes",
    )
    page = Paginator(listed, PAGE_SIZE).get_page(request.GET.get("page"))
    serving_form = ServingForm(request.GET if "nationality" in request.GET else None)
    serving = None
    if serving_form.is_bound and not serving_form.is_valid():
        return render(
            request,
            "directory/organizations.html",
            {"form": form, "page": page, "serving_form": serving_form},
            status=400,
        )
    if serving_form.is_bound:
        serving = missions_serving(
            nationality=serving_form.cleaned_data["nationality"],
            jurisdiction=serving_form.cleaned_data["jurisdiction"],
        )
    return render(
        request,
        "directory/organizations.html",
        {
            "form": form,
            "page": page,
            "serving_form": serving_form,
            "serving": serving,
            "can_edit": can(request.user, Area.LIAISON),
        },
    )


def _organization(request: HttpRequest, organization_id: int):
    return get_visible(
        selectors.organizations_visible_to(request.user),
        "directory.organization",
        pk=organization_id,
    )


@requires(Area.DIRECTORY)
def organization_detail(request: HttpRequest, organization_id: int) -> HttpResponse:
    organization = _organization(request, organization_id)
    people = selectors.people_of(organization)
    selectors.record_contact_reads(people)
    in_post = [p for p in people if p.in_post]
    user = request.user
    context = {
        "organization": organization,
        "in_post": in_post,
        "past": [p for p in people if not p.in_post],
        "children": selectors.children_of(organization),
        "districts": selectors.districts_of(organization),
        "pipeline": selectors.nationals_in_pipeline(organization, user),
        "history": history(organization, limit=HISTORY_SHOWN),
        "can_edit": can(user, Area.LIAISON),
        "panels": organization_panels(organization, user),
    }
    if can(user, Area.ASSISTANCE):
        context["cases"] = open_cases_with(user, organization)
    if can(user, Area.MISSIONS):
        context["notifications"] = open_notifications_to(user, organization)
    return render(request, "directory/organization_detail.html", context)


def _refused(request, template, form, refusal, context, status=400):
    show_on(form, refusal)
    return render(request, template, {"form": form, **context}, status=status)


@requires(Area.LIAISON)
def organization_new(request: HttpRequest) -> HttpResponse:
    form = OrganizationForm(request.POST or None)
    if request.method == "POST":
        if not form.is_valid():
            return render(request, "directory/organization_form.html", {"form": form}, status=400)
        try:
            organization = services.create_organization(by=request.user, **form.cleaned_data)
        except Refused as refusal:
            return _refused(request, "directory/organization_form.html", form, refusal, {})
        messages.success(request, _("Organization added to the directory."))
        return redirect("directory:organization", organization_id=organization.pk)
    return render(request, "directory/organization_form.html", {"form": form})


@requires(Area.LIAISON)
def organization_edit(request: HttpRequest, organization_id: int) -> HttpResponse:
    organization = _organization(request, organization_id)
    form = OrganizationForm(request.POST or None, instance=_organization(request, organization_id))
    context = {"organization": organization}
    if request.method == "POST":
        if not form.is_valid():
            return render(
                request, "directory/organization_form.html", {"form": form, **context}, status=400
            )
        try:
            services.update_organization(
                organization=organization, by=request.user, **form.cleaned_data
            )
        except Refused as refusal:
            return _refused(request, "directory/organization_form.html", form, refusal, context)
        messages.success(request, _("Correction recorded."))
        return redirect("directory:organization", organization_id=organization.pk)
    return render(request, "directory/organization_form.html", {"form": form, **context})


@requires(Area.LIAISON)
def person_new(request: HttpRequest, organization_id: int) -> HttpResponse:
    organization = _organization(request, organization_id)
    form = PersonForm(request.POST or None)
    context = {"organization": organization}
    if request.method == "POST":
        if not form.is_valid():
            return render(
                request, "directory/person_form.html", {"form": form, **context}, status=400
            )
        try:
            services.add_person(organization=organization, by=request.user, **form.cleaned_data)
        except Refused as refusal:
            return _refused(request, "directory/person_form.html", form, refusal, context)
        messages.success(request, _("Person added."))
        return redirect("directory:organization", organization_id=organization.pk)
    return render(request, "directory/person_form.html", {"form": form, **context})


@requires(Area.DIRECTORY)
def person_detail(request: HttpRequest, person_id: int) -> HttpResponse:
    """One person: their post, phones and e-mail (the read audited) and their history."""
    person = get_visible(
        selectors.people_visible_to(request.user), "directory.person", pk=person_id
    )
    selectors.record_contact_reads([person])
    context = {
        "organization": person.organization,
        "person": person,
        "history": history(person, limit=HISTORY_SHOWN),
        "can_edit": can(request.user, Area.LIAISON),
    }
    return render(request, "directory/person_detail.html", context)


@requires(Area.LIAISON)
def person_edit(request: HttpRequest, person_id: int) -> HttpResponse:
    person = get_visible(
        selectors.people_visible_to(request.user), "directory.person", pk=person_id
    )
    selectors.record_contact_reads([person])
    form = PersonForm(
        request.POST or None,
        instance=get_visible(selectors.people_visible_to(request.user), pk=person_id),
    )
    context = {
        "organization": person.organization,
        "person": person,
        "history": history(person, limit=HISTORY_SHOWN),
    }
    if request.method == "POST":
        if not form.is_valid():
            return render(
                request, "directory/person_form.html", {"form": form, **context}, status=400
            )
        try:
            services.update_person(person=person, by=request.user, **form.cleaned_data)
        except Refused as refusal:
            return _refused(request, "directory/person_form.html", form, refusal, context)
        messages.success(request, _("Correction recorded."))
        return redirect("directory:organization", organization_id=person.organization_id)
    return render(request, "directory/person_form.html", {"form": form, **context})
