"""The media desk's request pages: the queue, a request, recording, correcting, assigning,
answering, declining and withdrawing one.

The liaison desk writes (``Area.LIAISON``); it and leadership read (``Area.MEDIA_READ``). Each
page validates a form and calls one service or selector; a page showing correspondents' names
records one read in the audit trail.
"""

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from liaison.core import audit
from liaison.core.access import Area, can, requires
from liaison.core.models import AuditEntry
from liaison.core.refusals import Refused, show_on
from liaison.media import events, exports, forms, selectors, services, states
from liaison.media.models import MediaRequest, RequestStatus


def _pk(value) -> int | None:
    return value.pk if value is not None else None


@requires(Area.MEDIA_READ)
def requests(request: HttpRequest) -> HttpResponse:
    """The desk's queue: open requests by deadline first, filtered, exported."""
    form = forms.RequestFilterForm(request.GET or None)
    found = selectors.requests_visible_to(request.user)
    status = 200
    if form.is_bound and not form.is_valid():
        status, found = 400, found.none()
    elif form.is_bound:
        data = form.cleaned_data
        found = selectors.filter_requests(
            found,
            status=data["status"],
            kind=data["kind"],
            bureau=_pk(data["bureau"]),
            deadline_after=data["deadline_after"],
            deadline_before=data["deadline_before"],
            overdue=data["overdue"],
        )
    found = selectors.with_parties(found)
    fmt = request.GET.get("format", "")
    if fmt and status == 200:
        if fmt not in exports.FORMATS:
            return render(request, "media/requests.html", {"form": form}, status=400)
        audit.record_reads(MediaRequest, found, action=AuditEntry.Action.EXPORT, note=fmt)
        return exports.requests_file(fmt, found)
    page = Paginator(found, 50).get_page(request.GET.get("page"))
    audit.record_reads(MediaRequest, page.object_list, note="list")
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "can_write": can(request.user, Area.LIAISON),
    }
    return render(request, "media/requests.html", context, status=status)


@requires(Area.MEDIA_READ)
def mine(request: HttpRequest) -> HttpResponse:
    """The open requests assigned to this officer: what the home page counts."""
    found = list(selectors.with_parties(selectors.open_requests_of(request.user)))
    audit.record_reads(MediaRequest, found, note="mine")
    return render(request, "media/mine.html", {"found": found, "can_write": True})


def _render_form(
    request, form, title_request=None, refusal=None, template="media/request_form.html"
):
    if refusal is not None:
        show_on(form, refusal)
    status = refusal.status if refusal is not None else (400 if form.is_bound else 200)
    context = {"form": form, "media_request": title_request}
    return render(request, template, context, status=status)


@requires(Area.LIAISON)
def request_new(request: HttpRequest) -> HttpResponse:
    form = forms.RequestForm(request.POST if request.method == "POST" else None)
    if not form.is_bound or not form.is_valid():
        return _render_form(request, form)
    data = form.cleaned_data
    try:
        created = services.receive_request(
            kind=data["kind"],
            bureau_id=_pk(data["bureau"]),
            correspondent_id=_pk(data["correspondent"]),
            received_at=data["received_at"],
            deadline=data["deadline"],
            subject=data["subject"],
            question=data["question"],
            assigned_to_id=_pk(data["assigned_to"]),
            by=request.user,
        )
    except Refused as refused:
        return _render_form(request, form, refusal=refused)
    return redirect("media:request", request_id=created.pk)


def _visible(request: HttpRequest, request_id: int) -> MediaRequest:
    return get_object_or_404(
        selectors.with_parties(selectors.requests_visible_to(request.user)), pk=request_id
    )


def _detail(request: HttpRequest, found: MediaRequest, assign_form=None, status: int = 200):
    moves = states.allowed_moves(found.status)
    writer = can(request.user, Area.LIAISON)
    if assign_form is None and writer and RequestStatus.ASSIGNED in moves:
        assign_form = forms.AssignForm()
    context = {
        "media_request": found,
        "history": events.history(selectors.events_of(found)),
        "can_write": writer,
        "assign_form": assign_form,
        "can_answer": writer and RequestStatus.ANSWERED in moves,
        "can_decline": writer and RequestStatus.DECLINED in moves,
        "can_withdraw": writer and RequestStatus.WITHDRAWN in moves,
    }
    return render(request, "media/request_detail.html", context, status=status)


@requires(Area.MEDIA_READ)
def request_detail(request: HttpRequest, request_id: int) -> HttpResponse:
    found = _visible(request, request_id)
    audit.record_read(found)
    return _detail(request, found)


def _initial(found: MediaRequest) -> dict:
    local = timezone.localtime
    return {
        "kind": found.kind,
        "bureau": found.bureau_id,
        "correspondent": found.correspondent_id,
        "received_at": local(found.received_at).replace(tzinfo=None),
        "deadline": local(found.deadline).replace(tzinfo=None),
        "subject": found.subject,
        "question": found.question,
        "answer": found.answer,
    }


@requires(Area.LIAISON)
def request_correct(request: HttpRequest, request_id: int) -> HttpResponse:
    found = _visible(request, request_id)
    answered = found.status == RequestStatus.ANSWERED
    post = request.POST if request.method == "POST" else None
    form = forms.CorrectionForm(post, initial=_initial(found), answered=answered)
    if post is None or not form.is_valid():
        return _render_form(request, form, found)
    data = form.cleaned_data
    changes = {
        "kind": data["kind"],
        "bureau_id": data["bureau"].pk,
        "correspondent_id": _pk(data["correspondent"]),
        "received_at": data["received_at"],
        "deadline": data["deadline"],
        "subject": data["subject"],
        "question": data["question"],
    }
    if answered:
        changes["answer"] = data["answer"]
    try:
        services.correct_request(request=found, reason=data["reason"], by=request.user, **changes)
    except Refused as refused:
        return _render_form(request, form, found, refused)
    return redirect("media:request", request_id=found.pk)


@require_POST
@requires(Area.LIAISON)
def request_assign(request: HttpRequest, request_id: int) -> HttpResponse:
    found = _visible(request, request_id)
    form = forms.AssignForm(request.POST)
    if not form.is_valid():
        return _detail(request, found, form, status=400)
    try:
        services.assign_request(
            request=found, assigned_to_id=form.cleaned_data["assigned_to"].pk, by=request.user
        )
    except Refused as refused:
        show_on(form, refused)
        return _detail(request, found, form, status=refused.status)
    return redirect("media:request", request_id=found.pk)


@requires(Area.LIAISON)
def request_answer(request: HttpRequest, request_id: int) -> HttpResponse:
    found = _visible(request, request_id)
    template = "media/request_answer.html"
    form = forms.AnswerForm(
        request.POST if request.method == "POST" else None,
        initial={"answered_by_user": request.user.pk},
    )
    if not form.is_bound or not form.is_valid():
        return _render_form(request, form, found, template=template)
    data = form.cleaned_data
    try:
        services.answer_request(
            request=found,
            answer=data["answer"],
            answered_by_user_id=_pk(data["answered_by_user"]),
            answered_by_person_id=_pk(data["answered_by_person"]),
            answered_at=data["answered_at"],
            by=request.user,
        )
    except Refused as refused:
        return _render_form(request, form, found, refused, template=template)
    return redirect("media:request", request_id=found.pk)


def _close(request: HttpRequest, request_id: int, service, action: str) -> HttpResponse:
    found = _visible(request, request_id)
    template = "media/request_close.html"
    form = forms.ReasonForm(request.POST if request.method == "POST" else None)
    form.action = action
    if not form.is_bound or not form.is_valid():
        return _render_form(request, form, found, template=template)
    try:
        service(request=found, reason=form.cleaned_data["reason"], by=request.user)
    except Refused as refused:
        return _render_form(request, form, found, refused, template=template)
    return redirect("media:request", request_id=found.pk)


@requires(Area.LIAISON)
def request_decline(request: HttpRequest, request_id: int) -> HttpResponse:
    return _close(request, request_id, services.decline_request, "decline")


@requires(Area.LIAISON)
def request_withdraw(request: HttpRequest, request_id: int) -> HttpResponse:
    return _close(request, request_id, services.withdraw_request, "withdraw")
