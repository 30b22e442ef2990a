"""Policy pages: versions in force and their history, drafts, the what-if preview, publishing.

Everyone with the policy area reads; only administrators (``Area.POLICY_PUBLISH``) draft,
publish and discard. Every write goes through ``services``.
"""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from liaison.arrivals.models import Arrival
from liaison.core import audit, refusals
from liaison.core.access import Area, can, requires
from liaison.core.bulk import BulkDecisionForm
from liaison.policy import reviews as reviews_service
from liaison.policy import selectors, services
from liaison.policy.engine import PolicyError
from liaison.policy.forms import DraftForm, ReviewFilterForm
from liaison.policy.models import PolicyKind, PolicyVersion

# URL words for the two kinds of version.
KIND_SLUGS = {"rules": PolicyKind.RULES, "risk-list": PolicyKind.RISK_LIST}
SLUG_OF = {kind: slug for slug, kind in KIND_SLUGS.items()}
PREVIEW_PAGE_SIZE = 50
FILTER_KEYS = ("show", "version", "old", "new")
REVIEW_PAGE_SIZE = 50
FILTER_KEYS = ("show", "version", "old", "new")


def _version(request: HttpRequest, kind_slug: str, pk: int) -> PolicyVersion:
    kind = KIND_SLUGS.get(kind_slug)
    if kind is None:
        raise Http404
    return get_object_or_404(selectors.versions_visible_to(request.user, kind), pk=pk)


@requires(Area.POLICY)
def versions(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "policy/versions.html",
        {
            "sections": [
                (PolicyKind.RULES.label, "rules", selectors.version_history(request.user, "rules")),
                (
                    PolicyKind.RISK_LIST.label,
                    "risk-list",
                    selectors.version_history(request.user, "risk_list"),
                ),
            ],
            "may_publish": can(request.user, Area.POLICY_PUBLISH),
        },
    )


@requires(Area.POLICY)
def version_detail(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    version = _version(request, kind, pk)
    in_force = selectors.version_in_force(type(version))
    return render(
        request,
        "policy/version_detail.html",
        {
            "version": version,
            "kind_slug": kind,
            "in_force": in_force is not None and in_force.pk == version.pk,
            "may_publish": can(request.user, Area.POLICY_PUBLISH),
        },
    )


@requires(Area.POLICY_PUBLISH)
def new_draft(request: HttpRequest) -> HttpResponse:
    form = DraftForm(request.POST or None, request.FILES or None)
    problems = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            draft = services.create_draft(
                kind=data["kind"],
                text=data["text"],
                author=request.user,
                note=data["note"],
                effective_from=data["effective_from"],
            )
        except PolicyError as error:
            problems = error.problems
        else:
            messages.success(
                request,
                _("Draft %(version)s saved. Check whom it would move, then publish it.")
                % {"version": draft.version},
            )
            return redirect("policy:preview", kind=SLUG_OF[draft.kind], pk=draft.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "policy/new_draft.html", {"form": form, "problems": problems}, status=status
    )


@requires(Area.POLICY)
def preview(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    version = _version(request, kind, pk)
    if not version.is_draft:
        return redirect("policy:version", kind=kind, pk=pk)
    try:
        result = services.preview(draft=version)
    except selectors.NoPolicyInForce:
        messages.error(request, _("No version is published yet to compare this draft with."))
        return redirect("policy:version", kind=kind, pk=pk)
    page = Paginator(result.moves, PREVIEW_PAGE_SIZE).get_page(request.GET.get("page"))
    travelers = selectors.travelers_by_id(request.user, [move.arrival_id for move in page])
    rows = []
    for move in page:
        rows.append(
            {
                "move": move,
                "arrival": travelers.get(move.arrival_id),
                "why": selectors.why(move.after),
                "before": move.before.as_dict(),
                "after": move.after.as_dict(),
                "titles_before": selectors.titles_of(move.before),
                "titles_after": selectors.titles_of(move.after),
            }
        )
    return render(
        request,
        "policy/preview.html",
        {
            "version": version,
            "kind_slug": kind,
            "result": result,
            "page": page,
            "rows": rows,
            "may_publish": can(request.user, Area.POLICY_PUBLISH),
        },
    )


@requires(Area.POLICY_PUBLISH)
@require_POST
def publish(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    version = _version(request, kind, pk)
    try:
        result = services.publish(version=version, by=request.user)
    except refusals.Refused as refused:
        return refusals.refused_on(request, refused, version_detail, kind=kind, pk=pk)
    except (PolicyError, selectors.NoPolicyInForce) as error:
        refused = refusals.Refused(str(error))
        return refusals.refused_on(request, refused, version_detail, kind=kind, pk=pk)
    messages.success(
        request,
        ngettext(
            "Version %(version)s published. %(count)d traveler it would move is flagged for an "
            "officer to confirm.",
            "Version %(version)s published. %(count)d travelers it would move are flagged for an "
            "officer to confirm.",
            result.flagged,
        )
        % {"version": result.version.version, "count": result.flagged},
    )
    return redirect("policy:version", kind=kind, pk=pk)


@requires(Area.POLICY_PUBLISH)
@require_POST
def discard(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    version = _version(request, kind, pk)
    try:
        services.discard_draft(version=version, by=request.user)
    except refusals.Refused as refused:
        return refusals.refused_on(request, refused, version_detail, kind=kind, pk=pk)
    messages.success(request, _("Draft %(version)s discarded.") % {"version": version.version})
    return redirect("policy:versions")


# --- the review queue -------------------------------------------------------------------------


def _queue(request: HttpRequest, params) -> tuple[ReviewFilterForm, dict, int]:
    """The queue's filter form and what it shows; status 400 for a filter no form offers."""
    form = ReviewFilterForm(params, versions=selectors.flagging_versions(request.user))
    valid = form.is_valid()
    chosen = form.cleaned_data if valid else {}
    show = chosen.get("show") or "pending"
    queryset = (
        selectors.pending_reviews_visible_to(request.user)
        if show == "pending"
        else selectors.reviews_visible_to(request.user)
    )
    queryset = selectors.filter_reviews(
        queryset,
        version=chosen.get("version"),
        old=chosen.get("old", ""),
        new=chosen.get("new", ""),
    )
    page = Paginator(queryset, REVIEW_PAGE_SIZE).get_page(params.get("page"))
    audit.record_reads(Arrival, [review.arrival_id for review in page], note="policy review queue")
    query = {key: chosen[key] for key in ("show", "old", "new") if chosen.get(key)}
    if chosen.get("version"):
        query["version"] = params.get("version")
    context = {
        "filters": form,
        "page": page,
        "rows": [{"review": r, "why": selectors.why_record(r.new_decision)} for r in page],
        "show": show,
        "query": urlencode(query),
    }
    return form, context, 200 if valid else 400


@requires(Area.POLICY_REVIEW)
def reviews(request: HttpRequest) -> HttpResponse:
    _form, context, status = _queue(request, request.GET)
    context["decide"] = BulkDecisionForm(decisions=reviews_service.ReviewDecision.choices)
    return render(request, "policy/reviews.html", context, status=status)


@requires(Area.POLICY_REVIEW)
@require_POST
def decide_reviews(request: HttpRequest) -> HttpResponse:
    """One decision and one reason for the ticked reviews, or for every waiting review the page
    showed ("select all on this page": the page lists them, so no script is needed)."""
    data = request.POST.copy()
    if data.get("all_on_page"):
        data.setlist("ids", data.getlist("shown"))
    form = BulkDecisionForm(data, decisions=reviews_service.ReviewDecision.choices)
    status = 400
    if form.is_valid():
        try:
            done = reviews_service.decide_reviews(
                reviews=form.cleaned_data["ids"],
                decision=form.cleaned_data["decision"],
                reason=form.cleaned_data["reason"],
                by=request.user,
            )
        except refusals.Refused as refused:
            refusals.show_on(form, refused)
            status = refused.status
        else:
            messages.success(request, _decided_message(done, form.cleaned_data["decision"]))
            query = QueryDict(data.get("query", ""))
            kept = urlencode(
                {k: query[k] for k in ("show", "version", "old", "new") if query.get(k)}
            )
            return redirect(reverse("policy:reviews") + (f"?{kept}" if kept else ""))
    _filters, context, _status = _queue(request, QueryDict(data.get("query", "")))
    context["decide"] = form
    context["ticked"] = set(data.getlist("ids"))
    return render(request, "policy/reviews.html", context, status=status)


def _decided_message(done: reviews_service.Decided, decision: str) -> str:
    if done.repeated:
        return _("These reviews were already decided so; nothing changed.")
    if decision == reviews_service.ReviewDecision.CONFIRM:
        return ngettext(
            "%(count)d traveler confirmed: moved to the new disposition.",
            "%(count)d travelers confirmed: moved to the new disposition.",
            done.changed,
        ) % {"count": done.changed}
    return ngettext(
        "%(count)d review dismissed: the traveler keeps the current disposition.",
        "%(count)d reviews dismissed: the travelers keep their current disposition.",
        done.changed,
    ) % {"count": done.changed}
