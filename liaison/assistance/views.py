"""The assistance desk's pages. Each validates a form and calls one service or selector."""

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from liaison.assistance import consular, forms, selectors, services, workflow
from liaison.assistance.models import (
    AssistanceCase,
    CaseAttachment,
    ConsularNotification,
    Status,
)
from liaison.core import audit
from liaison.core.access import Area, requires
from liaison.core.normalize import country_name

CASE_VIEWS = {
    "mine": gettext_lazy("My cases"),
    "unassigned": gettext_lazy("Unassigned"),
    "overdue": gettext_lazy("Overdue"),
    "open": gettext_lazy("Open"),
    "all": gettext_lazy("All"),
}


def _audit_listed(cases) -> None:
    """A list shows people's names: one read naming every case on it."""
    audit.record_reads(AssistanceCase, cases, note="list")


@requires(Area.ASSISTANCE)
def cases(request: HttpRequest) -> HttpResponse:
    view = request.GET.get("view") or "mine"
    if view not in CASE_VIEWS:
        view = "all"
    form = forms.CaseFilterForm(request.GET or None)
    found = selectors.cases_visible_to(request.user)
    if form.is_valid():
        found = selectors.filter_cases(
            found,
            user=request.user,
            view=view,
            query=form.cleaned_data["q"],
            country=form.cleaned_data["country"],
            mission=form.cleaned_data["mission"],
            status=form.cleaned_data["status"],
        )
    else:
        found = selectors.filter_cases(found, user=request.user, view=view)
    page = Paginator(found.order_by("due_at", "id"), 50).get_page(request.GET.get("page"))
    _audit_listed(page.object_list)
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("view", None)
    return render(
        request,
        "assistance/cases.html",
        {
            "form": form,
            "page": page,
            "view": view,
            "views": [(key, str(label)) for key, label in CASE_VIEWS.items()],
            "query": query.urlencode(),
        },
    )


@requires(Area.ASSISTANCE)
def overdue(request: HttpRequest) -> HttpResponse:
    groups = selectors.overdue_by_priority(request.user)
    _audit_listed([case for group in groups for case in group.cases])
    return render(request, "assistance/overdue.html", {"groups": groups})


@requires(Area.ASSISTANCE)
def by_country(request: HttpRequest) -> HttpResponse:
    rows = selectors.open_cases_by_country(request.user)
    for row in rows:
        row["name"] = country_name(row["code"])
    return render(request, "assistance/by_country.html", {"rows": rows})


@requires(Area.ASSISTANCE)
def by_mission(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "assistance/by_mission.html",
        {"missions": selectors.open_cases_by_mission(request.user)},
    )


@requires(Area.ASSISTANCE)
def case_new(request: HttpRequest) -> HttpResponse:
    form = forms.CaseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            case = services.open_case(
                person_name=data["person_name"],
                person_name_latin=data["person_name_latin"],
                nationality=data["nationality"],
                document_number=data["document_number"],
                phone=data["phone"],
                category=data["category"],
                priority=data["priority"],
                summary=data["summary"],
                requester=data["requester"],
                requester_detail=data["requester_detail"],
                location_country=data["location_country"],
                location_city=data["location_city"],
                jurisdiction=data["jurisdiction"],
                location_detail=data["location_detail"],
                due_at=data["due_at"],
                missions=[data["mission"]] if data["mission"] else [],
                opened_by=request.user,
            )
        except ValidationError as error:
            forms.apply_errors(form, error)
        else:
            return redirect("assistance:case", case_id=case.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "assistance/case_new.html", {"form": form}, status=status)


def _case_forms(data=None, files=None, op: str = "") -> dict:
    """The case page's forms; only the one that was posted is bound."""
    bound = {
        "assign": forms.AssignForm,
        "log": forms.ActionForm,
        "move": forms.MoveForm,
        "priority": forms.PriorityForm,
        "attach": forms.AttachmentForm,
        "link": forms.MissionForm,
        "notify": forms.MissionForm,
    }
    built = {}
    for name, form_class in bound.items():
        if name == op:
            built[name] = form_class(data, files, prefix=name)
        else:
            built[name] = form_class(prefix=name)
    return built


def _perform(op: str, form, case: AssistanceCase, user):
    data = form.cleaned_data
    if op == "assign":
        return services.assign(case=case, officer=data["officer"], by=user)
    if op == "log":
        return services.log_action(case=case, text=data["text"], type=data["type"], by=user)
    if op == "move":
        return services.move_case(case=case, to=data["to"], note=data["note"], by=user)
    if op == "priority":
        return services.change_priority(case=case, priority=data["priority"], by=user)
    if op == "attach":
        return services.add_attachment(case=case, upload=data["file"], by=user)
    if op == "link":
        return services.link_mission(case=case, mission=data["mission"], by=user)
    if op == "notify":
        return consular.draft_notification(case=case, mission=data["mission"], by=user)
    raise Http404


@requires(Area.ASSISTANCE)
def case_detail(request: HttpRequest, case_id: int) -> HttpResponse:
    case = get_object_or_404(selectors.cases_visible_to(request.user), pk=case_id)
    status = 200
    op = request.POST.get("op", "")
    if request.method == "POST":
        if op == "take":
            try:
                services.take(case=case, officer=request.user)
            except ValidationError as error:
                return _case_page(request, case, _case_forms(), errors=error.messages, status=400)
            return redirect("assistance:case", case_id=case.pk)
        built = _case_forms(request.POST, request.FILES, op)
        form = built.get(op)
        if form is None:
            return _case_page(request, case, built, errors=[_("Unknown operation.")], status=400)
        if form.is_valid():
            try:
                result = _perform(op, form, case, request.user)
            except ValidationError as error:
                forms.apply_errors(form, error)
            else:
                if op == "notify":
                    return redirect("assistance:notification", notification_id=result.pk)
                return redirect("assistance:case", case_id=case.pk)
        status = 400
        return _case_page(request, case, built, status=status)
    return _case_page(request, case, _case_forms(), status=status)


def _case_page(request, case, built, *, errors=(), status=200) -> HttpResponse:
    case.refresh_from_db()
    audit.record_read(case)
    moves = [Status(s) for s in Status if workflow.case_may_move(case.status, s)]
    return render(
        request,
        "assistance/case_detail.html",
        {
            "case": case,
            "events": case.events.select_related("actor"),
            "attachments": case.attachments.all(),
            "missions": case.missions.all(),
            "notifications": case.notifications.select_related("mission"),
            "serving": selectors.missions_serving(
                nationality=str(case.nationality), jurisdiction=case.jurisdiction
            ),
            "moves": [m for m in moves if m != Status.ASSIGNED],
            "forms": built,
            "errors": errors,
            "overdue": case.is_overdue(),
        },
        status=status,
    )


@requires(Area.ASSISTANCE)
def case_attachment(request: HttpRequest, case_id: int, attachment_id: int) -> HttpResponse:
    case = get_object_or_404(selectors.cases_visible_to(request.user), pk=case_id)
    attachment = get_object_or_404(CaseAttachment, pk=attachment_id, case=case)
    audit.record_read(attachment)
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    return FileResponse(
        handle,
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )


# --- The mission directory and consular notifications (shared with the liaison desk) --------------


@requires(Area.MISSIONS)
def missions(request: HttpRequest) -> HttpResponse:
    form = forms.ServingForm(request.GET or None)
    serving = None
    if form.is_valid():
        serving = selectors.missions_serving(
            nationality=form.cleaned_data["nationality"],
            jurisdiction=form.cleaned_data["jurisdiction"],
        )
    return render(
        request,
        "assistance/missions.html",
        {
            "form": form,
            "serving": serving,
            "missions": selectors.missions_visible_to(request.user),
        },
    )


@requires(Area.MISSIONS)
def mission_detail(request: HttpRequest, mission_id: int) -> HttpResponse:
    mission = get_object_or_404(selectors.missions_visible_to(request.user), pk=mission_id)
    return render(request, "assistance/mission_detail.html", {"mission": mission})


@requires(Area.MISSIONS)
def notifications(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    found = selectors.notifications_visible_to(request.user)
    if status in ConsularNotification.Status.values:
        found = found.filter(status=status)
    page = Paginator(found, 50).get_page(request.GET.get("page"))
    audit.record_reads(ConsularNotification, page.object_list, note="list")
    return render(
        request,
        "assistance/notifications.html",
        {"page": page, "status": status, "statuses": ConsularNotification.Status.choices},
    )


NOTIFICATION_FORMS = {
    "review": forms.ReviewForm,
    "send": forms.SendForm,
    "ack": forms.AcknowledgementForm,
    "cancel": forms.CancelForm,
}


@requires(Area.MISSIONS)
def notification_detail(request: HttpRequest, notification_id: int) -> HttpResponse:
    notification = get_object_or_404(
        selectors.notifications_visible_to(request.user), pk=notification_id
    )
    op = request.POST.get("op", "") if request.method == "POST" else ""
    built = {
        name: form_class(request.POST, prefix=name) if name == op else form_class(prefix=name)
        for name, form_class in NOTIFICATION_FORMS.items()
    }
    built["review"].initial = {"subject": notification.subject, "body": notification.body}
    status = 200
    if request.method == "POST":
        form = built.get(op)
        status = 400
        if form is not None and form.is_valid():
            data = form.cleaned_data
            try:
                if op == "review":
                    consular.review_notification(
                        notification=notification,
                        subject=data["subject"],
                        body=data["body"],
                        by=request.user,
                    )
                elif op == "send":
                    consular.mark_sent(
                        notification=notification,
                        via=data["sent_via"],
                        sent_at=data["sent_at"],
                        by=request.user,
                    )
                elif op == "ack":
                    consular.record_acknowledgement(
                        notification=notification,
                        text=data["text"],
                        acknowledged_at=data["acknowledged_at"],
                        by=request.user,
                    )
                else:
                    consular.cancel_notification(
                        notification=notification, reason=data["reason"], by=request.user
                    )
            except ValidationError as error:
                forms.apply_errors(form, error)
            else:
                return redirect("assistance:notification", notification_id=notification.pk)
        elif form is None:
            raise Http404
        notification.refresh_from_db()
    audit.record_read(notification)
    return render(
        request,
        "assistance/notification_detail.html",
        {"notification": notification, "forms": built},
        status=status,
    )
