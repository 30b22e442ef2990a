"""The assistance desk's pages. Each validates a form and calls one service or selector."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from liaison.assistance import consular, consular_bulk, forms, selectors, services, workflow
from liaison.assistance.events import timeline
from liaison.assistance.models import (
    AssistanceCase,
    CaseAttachment,
    ConsularNotification,
    Status,
)
from liaison.core import audit
from liaison.core.access import Area, requires
from liaison.core.bulk import BulkDecisionForm
from liaison.core.normalize import country_name
from liaison.core.refusals import Refused, show_on
from liaison.directory.serving import missions_serving

CASE_VIEWS = {
    "mine": gettext_lazy("My cases"),
    "unassigned": gettext_lazy("Unassigned"),
    "overdue": gettext_lazy("Overdue"),
    "open": gettext_lazy("Open"),
    "all": gettext_lazy("All"),
}


@requires(Area.ASSISTANCE)
def cases(request: HttpRequest) -> HttpResponse:
    view = request.GET.get("view") or "mine"
    if view not in CASE_VIEWS:
        view = "all"
    form = forms.CaseFilterForm(request.GET or None)
    filters = {}
    if form.is_valid():
        filters = {
            "query": form.cleaned_data["q"],
            "country": form.cleaned_data["country"],
            "mission": form.cleaned_data["mission"],
            "status": form.cleaned_data["status"],
        }
    found = selectors.listed_cases(request.user, view=view, **filters)
    page = Paginator(found, 50).get_page(request.GET.get("page"))
    # A list shows people's names: one read naming every case on it.
    audit.record_reads(AssistanceCase, page.object_list, note="list")
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
    shown = [case for group in groups for case in group.cases]
    audit.record_reads(AssistanceCase, shown, note="list")
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
        except Refused as refused:
            show_on(form, refused)
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
            except Refused as refused:
                errors = [message for _field, message in refused.problems]
                return _case_page(request, case, _case_forms(), errors=errors, status=400)
            return redirect("assistance:case", case_id=case.pk)
        built = _case_forms(request.POST, request.FILES, op)
        form = built.get(op)
        if form is None:
            return _case_page(request, case, built, errors=[_("Unknown operation.")], status=400)
        if form.is_valid():
            try:
                result = _perform(op, form, case, request.user)
            except Refused as refused:
                show_on(form, refused)
            else:
                if op == "notify":
                    return redirect("assistance:notification", notification_id=result.pk)
                return redirect("assistance:case", case_id=case.pk)
        status = 400
        return _case_page(request, case, built, status=status)
    return _case_page(request, case, _case_forms(), status=status)


def _case_page(request, case, built, *, errors=(), status=200) -> HttpResponse:
    case.refresh_from_db()
    audit.record_reads(AssistanceCase, [case])
    moves = [Status(s) for s in Status if workflow.case_may_move(case.status, s)]
    return render(
        request,
        "assistance/case_detail.html",
        {
            "case": case,
            "timeline": timeline(selectors.case_events(case)),
            "attachments": case.attachments.all(),
            "missions": case.missions.all(),
            "notifications": selectors.case_notifications(case),
            "serving": missions_serving(
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
    attachment = selectors.attachment_of(case, attachment_id)
    if attachment is None:
        raise Http404
    audit.record_reads(CaseAttachment, [attachment])
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


# --- Consular notifications (shared with the liaison desk) ---------------------------------------


# The directory moved to its own app; old links and bookmarks still arrive.
@requires(Area.DIRECTORY)
def missions(request: HttpRequest) -> HttpResponse:
    query = request.GET.urlencode()  # "who serves a national of…" links keep their question
    target = reverse("directory:organizations") + (f"?{query}" if query else "")
    return redirect(target, permanent=True)


@requires(Area.DIRECTORY)
def mission_detail(request: HttpRequest, mission_id: int) -> HttpResponse:
    return redirect("directory:organization", organization_id=mission_id, permanent=True)


@requires(Area.MISSIONS)
def notifications(request: HttpRequest) -> HttpResponse:
    decide = BulkDecisionForm(decisions=consular_bulk.NotificationDecision.choices)
    return _notifications_page(request, request.GET, decide)


def _notifications_page(request, params, decide, *, ticked=(), status_code=200) -> HttpResponse:
    status = params.get("status", "")
    found = selectors.notifications_of(request.user, status=status)
    page = Paginator(found, 50).get_page(params.get("page"))
    audit.record_reads(ConsularNotification, page.object_list, note="list")
    rows = [
        {
            "n": n,
            "open": n.status in consular_bulk.MAY_DECIDE[consular_bulk.NotificationDecision.CANCEL],
            "mine": consular.is_own_draft(n, request.user),
            "ticked": str(n.pk) in ticked,
        }
        for n in page
    ]
    return render(
        request,
        "assistance/notifications.html",
        {
            "page": page,
            "rows": rows,
            "status": status if status in ConsularNotification.Status.values else "",
            "statuses": ConsularNotification.Status.choices,
            "decide": decide,
        },
        status=status_code,
    )


@requires(Area.MISSIONS)
@require_POST
def decide_notifications(request: HttpRequest) -> HttpResponse:
    """Review or cancel the ticked notifications (or all open ones the page showed) with one
    reason, all or none: the page lists them, so no script is needed to select them all."""
    data = request.POST.copy()
    if data.get("all_on_page"):
        data.setlist("ids", data.getlist("shown"))
    form = BulkDecisionForm(data, decisions=consular_bulk.NotificationDecision.choices)
    status_code = 400
    if form.is_valid():
        try:
            done = consular_bulk.decide_notifications(
                notifications=form.cleaned_data["ids"],
                decision=form.cleaned_data["decision"],
                reason=form.cleaned_data["reason"],
                by=request.user,
            )
        except Refused as refused:
            show_on(form, refused)
            status_code = refused.status
        else:
            messages.success(request, _notifications_decided(done, form.cleaned_data["decision"]))
            listed = data.get("status", "")
            query = f"?status={listed}" if listed in ConsularNotification.Status.values else ""
            return redirect(reverse("assistance:notifications") + query)
    return _notifications_page(
        request,
        {"status": data.get("status", ""), "page": data.get("page", "")},
        form,
        ticked=set(data.getlist("ids")),
        status_code=status_code,
    )


def _notifications_decided(done: consular_bulk.Decided, decision: str) -> str:
    if done.repeated:
        return _("These notifications were already decided so; nothing changed.")
    if decision == consular_bulk.NotificationDecision.REVIEW:
        return ngettext(
            "%(count)d notification marked reviewed.",
            "%(count)d notifications marked reviewed.",
            done.changed,
        ) % {"count": done.changed}
    return ngettext(
        "%(count)d notification cancelled.", "%(count)d notifications cancelled.", done.changed
    ) % {"count": done.changed}


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
            except Refused as refused:
                show_on(form, refused)
                status = refused.status
            else:
                return redirect("assistance:notification", notification_id=notification.pk)
        elif form is None:
            raise Http404
        notification.refresh_from_db()
    audit.record_reads(ConsularNotification, [notification])
    return render(
        request,
        "assistance/notification_detail.html",
        {
            "notification": notification,
            "forms": built,
            "own_draft": consular.is_own_draft(notification, request.user),
        },
        status=status,
    )
