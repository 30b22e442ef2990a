"""The leadership desk's pages: the dashboard, the briefings, their comparison and files."""

from __future__ import annotations

from datetime import timedelta

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from liaison.core.access import Area, can, requires
from liaison.core.exports import XLSX_TYPE
from liaison.core.params import query_id
from liaison.core.refusals import Conflict, Refused, flash, refused_on
from liaison.leadership import charts, documents, forms, present, selectors, services
from liaison.leadership.models import Briefing


def _found(request: HttpRequest, pk: int) -> Briefing:
    found = selectors.briefing(request.user, pk)
    if found is None:
        raise Http404
    return found


@requires(Area.LEADERSHIP)
def dashboard(request: HttpRequest) -> HttpResponse:
    form = forms.DayForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        return render(request, "leadership/dashboard.html", {"form": form}, status=400)
    day = form.cleaned_data.get("day") if form.is_bound else None
    snap = selectors.live(request.user, day=day)
    return render(
        request,
        "leadership/dashboard.html",
        {
            "form": form,
            "snap": snap,
            "sections": present.sections(snap, request.user),
            "charts": charts.for_snapshot(snap),
            "latest": selectors.latest(request.user),
        },
    )


@requires(Area.LEADERSHIP)
def briefings(request: HttpRequest) -> HttpResponse:
    found = selectors.briefings_visible_to(request.user)
    yesterday = timezone.localdate() - timedelta(days=1)
    return render(
        request,
        "leadership/briefings.html",
        {
            "briefings": found[:120],
            "draft_form": forms.DraftForm(initial={"day": yesterday}),
        },
    )


@require_POST
@requires(Area.LEADERSHIP)
def draft(request: HttpRequest) -> HttpResponse:
    form = forms.DraftForm(request.POST)
    if not form.is_valid():
        problems = [(f, str(m)) for f, ms in form.errors.items() for m in ms]
        return refused_on(request, Refused(problems=problems), briefings)
    try:
        made = services.draft(day=form.cleaned_data["day"], by=request.user)
    except Refused as refusal:
        return refused_on(request, refusal, briefings)
    return redirect("leadership:briefing", made.pk)


@requires(Area.LEADERSHIP)
def briefing(request: HttpRequest, pk: int) -> HttpResponse:
    found = _found(request, pk)
    return render(
        request,
        "leadership/briefing.html",
        {
            **documents.context(found, request.user),
            "charts": charts.for_snapshot(found.snapshot),
            "form": forms.HighlightsForm(
                initial={"highlights_zh": found.highlights_zh, "highlights_en": found.highlights_en}
            ),
            "can_approve": can(request.user, Area.BRIEFING_APPROVE),
        },
    )


@require_POST
@requires(Area.LEADERSHIP)
def highlights(request: HttpRequest, pk: int) -> HttpResponse:
    found = _found(request, pk)
    form = forms.HighlightsForm(request.POST)
    if not form.is_valid():
        problems = [(f, str(m)) for f, ms in form.errors.items() for m in ms]
        return refused_on(request, Refused(problems=problems), briefing, pk=pk)
    try:
        services.write_highlights(
            briefing=found,
            by=request.user,
            zh=form.cleaned_data["highlights_zh"],
            en=form.cleaned_data["highlights_en"],
        )
    except Refused as refusal:
        return refused_on(request, refusal, briefing, pk=pk)
    return redirect("leadership:briefing", pk)


@require_POST
@requires(Area.BRIEFING_APPROVE)
def approve(request: HttpRequest, pk: int) -> HttpResponse:
    found = _found(request, pk)
    try:
        services.approve(briefing=found, by=request.user)
    except Refused as refusal:
        return refused_on(request, refusal, briefing, pk=pk)
    return redirect("leadership:briefing", pk)


def _approved(request: HttpRequest, pk: int) -> Briefing:
    found = _found(request, pk)
    if not found.is_approved:
        raise Conflict(_("Only an approved briefing is printed."), "status")
    return found


@requires(Area.LEADERSHIP)
def printed(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        found = _approved(request, pk)
    except Conflict as refusal:
        return refused_on(request, refusal, briefing, pk=pk)
    return render(request, documents.TEMPLATE, documents.context(found))


@requires(Area.LEADERSHIP)
def download(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    try:
        found = _approved(request, pk)
    except Conflict as refusal:
        return refused_on(request, refusal, briefing, pk=pk)
    if fmt == "pdf":
        response = HttpResponse(documents.pdf(found), content_type="application/pdf")
        disposition = "inline"
    else:
        response = HttpResponse(documents.xlsx(found), content_type=XLSX_TYPE)
        disposition = "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="briefing-{found.day}.{fmt}"'
    return response


@requires(Area.LEADERSHIP)
def compare(request: HttpRequest) -> HttpResponse:
    visible = selectors.briefings_visible_to(request.user)
    if not (request.GET.get("a") or request.GET.get("b")):  # the form alone
        return render(request, "leadership/compare.html", {"briefings": visible[:120]})
    ids = [query_id(request.GET.get(name)) for name in ("a", "b")]
    if None in ids:
        flash(request, Refused(_("Choose two briefings."), "a"))
        return render(request, "leadership/compare.html", {"briefings": visible[:120]}, status=400)
    first, second = selectors.pair(request.user, *ids)
    if first is None or second is None:
        raise Http404
    return render(
        request,
        "leadership/compare.html",
        {
            "briefings": visible[:120],
            "a": first,
            "b": second,
            "rows": selectors.compare(first, second),
        },
    )
