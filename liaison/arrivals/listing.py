"""A list of travelers as every desk shows it: counts first, the shared filters, a page of 50,
and the export of exactly the filtered list.

The caller hands in what the user may see already (a queue built on ``arrivals_visible_to``);
this module only narrows it, so a page, its export and its API operation answer the same rows.
Reads are audited once per request (the page's rows, or every exported row with action EXPORT).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from django.core.paginator import Page, Paginator
from django.db.models import Count, QuerySet
from django.http import HttpRequest, HttpResponse, QueryDict
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from liaison.arrivals.filters import ArrivalFilterForm
from liaison.arrivals.models import Arrival, Flight
from liaison.arrivals.states import ArrivalState
from liaison.core import audit, exports
from liaison.core.models import AuditEntry
from liaison.core.normalize import country_name
from liaison.policy.models import DispositionChoice
from liaison.retention.models import Kind
from liaison.retention.selectors import due_dates
from liaison.screening.selectors import with_current_disposition

PER_PAGE = 50


@dataclass
class FlightCount:
    """One flight of a list: how many declared on it, how many of them wait here."""

    flight: Flight
    declared: int
    waiting: int


@dataclass
class Listing:
    """What a list page shows, or why it cannot (``status`` 400 with the form's messages)."""

    form: ArrivalFilterForm
    arrivals: QuerySet[Arrival]
    page: Page | None = None
    total: int = 0
    flights: list[FlightCount] = field(default_factory=list)
    status: int = 200
    export: HttpResponse | None = None
    query: str = ""  # the filters as a query string, for the pages and the export links

    @property
    def invalid(self) -> bool:
        return self.status == 400

    @property
    def shown(self) -> list[Arrival]:
        return list(self.page.object_list) if self.page is not None else []


def filtered(
    arrivals: QuerySet[Arrival], data: QueryDict | dict, *, flights: Iterable[Flight] = ()
) -> tuple[ArrivalFilterForm, QuerySet[Arrival] | None]:
    """The form bound to ``data`` and the arrivals it selects; ``None`` when a value is wrong."""
    form = ArrivalFilterForm(data, flights=flights)
    if not form.is_valid():
        return form, None
    return form, form.apply(arrivals)


def flight_counts(arrivals: QuerySet[Arrival], waiting: QuerySet[Arrival]) -> list[FlightCount]:
    """Per flight of ``waiting``: its travelers among ``arrivals`` (what the user may see) and
    those waiting. Two GROUP BY queries, whatever the number of flights."""
    per_flight = dict(
        waiting.order_by()
        .values_list("flight_id")
        .annotate(n=Count("pk"))
        .values_list("flight_id", "n")
    )
    if not per_flight:
        return []
    declared = dict(
        arrivals.filter(flight_id__in=list(per_flight))
        .order_by()
        .values_list("flight_id")
        .annotate(n=Count("pk"))
        .values_list("flight_id", "n")
    )
    flights = Flight.objects.in_bulk(list(per_flight))
    rows = [FlightCount(flights[pk], declared.get(pk, n), n) for pk, n in per_flight.items()]
    return sorted(rows, key=lambda row: (row.flight.date, row.flight.number))


def show(
    request: HttpRequest,
    *,
    visible: QuerySet[Arrival],
    queue: QuerySet[Arrival] | None = None,
    name: str,
    note: str,
    also_shown: Iterable = (),
    count_flights: bool = True,
) -> Listing:
    """The list page of ``queue`` (by default every visible arrival), filtered by the query
    string, or its export with ``?format=csv|xlsx``.

    ``visible`` is what the user may see at this desk (the per-flight "declared" counts);
    ``queue`` what waits there, oldest first (the per-flight "waiting" counts, unfiltered: what
    waits, whatever the officer is looking at). ``also_shown``: other travelers the same page
    shows (a search's), audited in the same one entry. ``count_flights=False`` for a list of
    every day (the arrivals list), where a count per flight would be a count of the year.
    """
    queue = visible if queue is None else queue
    counts = flight_counts(visible, queue) if count_flights else []
    form, arrivals = filtered(queue, request.GET, flights=[row.flight for row in counts])
    query = _query(request)
    fmt = request.GET.get("format", "")
    if fmt and fmt not in exports.FORMATS:
        form.add_error(None, gettext("Export as CSV or XLSX."))
        arrivals = None
    response = None
    if arrivals is not None and fmt:
        response = export(form, arrivals, fmt=fmt, name=name, note=note)
        arrivals = None if response is None else arrivals
    if arrivals is None:
        audit.record_reads(Arrival, also_shown, note=note)
        return Listing(form=form, arrivals=queue.none(), flights=counts, status=400, query=query)
    if response is not None:
        return Listing(form=form, arrivals=arrivals, export=response, query=query)
    page = Paginator(arrivals, PER_PAGE).get_page(request.GET.get("page"))
    audit.record_reads(Arrival, [*also_shown, *page.object_list], note=note)
    return Listing(
        form=form,
        arrivals=arrivals,
        page=page,
        total=page.paginator.count,
        flights=counts,
        query=query,
    )


def export(
    form: ArrivalFilterForm, arrivals: QuerySet[Arrival], *, fmt: str, name: str, note: str
) -> HttpResponse | None:
    """The file of ``arrivals`` (already filtered by ``form``), every row audited in one EXPORT
    entry; ``None``, with the form's error, when an XLSX would be too large."""
    if fmt == "xlsx" and arrivals.count() > exports.XLSX_LIMIT:
        form.add_error(
            None,
            gettext("More than %(limit)s travelers: narrow the filter, or export as CSV.")
            % {"limit": exports.XLSX_LIMIT},
        )
        return None
    rows = list(with_disposition(arrivals).select_related("quarantine"))
    audit.record_reads(
        Arrival,
        rows,
        action=AuditEntry.Action.EXPORT,
        note=f"{note} as {fmt}: {form.described()}".strip()[:300],
    )
    return exports.file_response(
        fmt, name=name, title=gettext("Travelers list"), header=header(), rows=cells(rows)
    )


def _query(request: HttpRequest) -> str:
    query = request.GET.copy()
    for drop in ("page", "format"):
        query.pop(drop, None)
    return query.urlencode()


# --- What an exported row says ------------------------------------------------------------------

COLUMNS = (
    _("Declaration code"),
    _("Name (Latin letters)"),
    _("Name (own script)"),
    _("Nationality"),
    _("Document number"),
    _("Flight"),
    _("Day of arrival"),
    _("State"),
    _("Destination"),
    _("Disposition"),
    _("Declared at"),
    _("To be anonymized on"),
)


def header() -> list[str]:
    return [str(column) for column in COLUMNS]


def with_disposition(arrivals: QuerySet[Arrival]) -> QuerySet[Arrival]:
    """``current_disposition`` on each arrival (the policy's decision or its override)."""
    return with_current_disposition(arrivals.select_related("flight", "jurisdiction"))


def cells(arrivals: Iterable[Arrival]) -> Iterator[list[str]]:
    """Each traveler as the reader reads them: labels and names, not codes."""
    states = dict(ArrivalState.choices)
    dispositions = dict(DispositionChoice.choices)
    arrivals = list(arrivals)
    anonymized_on = due_dates(Kind.ARRIVAL, arrivals)
    for a in arrivals:
        disposition = getattr(a, "current_disposition", None) or ""
        yield [
            a.display_code,
            a.name_latin,
            a.name_native,
            country_name(a.nationality.code or ""),
            a.document_number,
            a.flight.number,
            a.arrival_date.isoformat(),
            str(states.get(a.state, a.state)),
            str(a.jurisdiction) if a.jurisdiction_id else a.onward_destination,
            str(dispositions.get(disposition, disposition)),
            timezone.localtime(a.created_at).strftime("%Y-%m-%d %H:%M"),
            anonymized_on[a.pk].isoformat() if anonymized_on.get(a.pk) else "",
        ]


def waiting_since(arrivals: QuerySet[Arrival]) -> QuerySet[Arrival]:
    """Oldest first: the traveler who has waited longest since their last move."""
    return arrivals.order_by("updated_at", "pk")
