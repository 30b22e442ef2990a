"""Lists of travelers in the API: the arrivals list and each desk's queue, with the pages'
filters, a page of 50, and the same export.

The same selectors as the pages, the same filter form (``filters.ArrivalFilterForm``), so the
same rows and the same refusals: a malformed filter is a 400 naming the parameter, never a
filter silently dropped. Each answer is one audit entry (READ for a page, EXPORT for a file).
"""

from __future__ import annotations

from datetime import date, datetime

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from liaison.arrivals import listing
from liaison.arrivals.filters import NAMES
from liaison.arrivals.models import Arrival
from liaison.arrivals.selectors import arrivals_visible_to
from liaison.core import audit, exports
from liaison.core.access import Area
from liaison.core.api_auth import api_area
from liaison.core.api_errors import REFUSALS, Errors, errors

router = Router(tags=["travelers"])

REFUSED = (
    "A malformed or unknown filter value (a date that does not exist, a state, country, "
    "jurisdiction or disposition the system does not know, an id no record can have) answers "
    "400 with the parameter and the reason; nothing is read."
)


class ArrivalFilters(Schema):
    flight: str = Field("", description="A flight's id (as `flights[].id` answers).")
    day: str = Field("", description="Day of arrival, YYYY-MM-DD.")
    since: str = Field("", description="Arrived on or after this day, YYYY-MM-DD.")
    until: str = Field("", description="Arrived on or before this day, YYYY-MM-DD.")
    state: str = Field(
        "",
        description="A state of the pipeline: declared, screened, sampled, result, "
        "disposition, in_handover, received, released, in_hospital, left_city.",
    )
    nationality: str = Field("", description="ISO 3166-1 alpha-2 country code, e.g. KR.")
    jurisdiction: str = Field("", description="A destination jurisdiction's code, e.g. 500112.")
    disposition: str = Field("", description="A current disposition, e.g. home_quarantine.")
    q: str = Field("", description="Declaration code, document number or name (any script).")
    page: int = Field(1, ge=1, le=1_000_000, description="Page of 50, from 1.")
    format: str = Field(
        "", description="`csv` or `xlsx`: the whole filtered list as a file instead of a page."
    )


class TravelerOut(Schema):
    id: int
    code: str
    name_latin: str
    name_native: str
    nationality: str
    flight_id: int
    flight: str
    arrival_date: date
    state: str
    jurisdiction: str | None
    onward_destination: str
    waiting_since: datetime


class FlightCountOut(Schema):
    id: int
    number: str
    date: date
    declared: int
    waiting: int


class TravelerPage(Schema):
    count: int
    page: int
    pages: int
    per_page: int
    flights: list[FlightCountOut]
    results: list[TravelerOut]


RESPONSES = {200: TravelerPage, 400: Errors, **REFUSALS}


def _traveler(a: Arrival) -> dict:
    return {
        "id": a.pk,
        "code": a.code,
        "name_latin": a.name_latin,
        "name_native": a.name_native,
        "nationality": a.nationality.code or "",
        "flight_id": a.flight_id,
        "flight": a.flight.number,
        "arrival_date": a.arrival_date,
        "state": a.state,
        "jurisdiction": a.jurisdiction.code if a.jurisdiction_id else None,
        "onward_destination": a.onward_destination,
        "waiting_since": a.updated_at,
    }


def answer(
    request: HttpRequest,
    filters: ArrivalFilters,
    *,
    visible: QuerySet[Arrival],
    queue: QuerySet[Arrival] | None = None,
    name: str,
    note: str,
    count_flights: bool = True,
):
    """A page of the (filtered) list, or its file: what ``listing.show`` is for the pages."""
    queue = visible if queue is None else queue
    data = {key: value for key, value in filters.dict().items() if key in NAMES and value}
    form, arrivals = listing.filtered(queue, data)
    if arrivals is None:
        return Status(400, errors(*form.problems()))
    if filters.format and filters.format not in exports.FORMATS:
        return Status(400, errors(("format", _("Export as CSV or XLSX."))))
    with audit.request_context(request):
        if filters.format:
            response = listing.export(
                form, arrivals, fmt=filters.format, name=name, note=f"api: {note}"
            )
            return response or Status(400, errors(*form.problems()))
        page = Paginator(arrivals, listing.PER_PAGE).get_page(filters.page)
        audit.record_reads(Arrival, page.object_list, note=f"api: {note}")
    counts = listing.flight_counts(visible, queue) if count_flights else []
    return {
        "count": page.paginator.count,
        "page": page.number,
        "pages": page.paginator.num_pages,
        "per_page": listing.PER_PAGE,
        "flights": [
            {
                "id": row.flight.pk,
                "number": row.flight.number,
                "date": row.flight.date,
                "declared": row.declared,
                "waiting": row.waiting,
            }
            for row in counts
        ],
        "results": [_traveler(a) for a in page.object_list],
    }


@router.get(
    "/arrivals",
    response=RESPONSES,
    summary="Arrivals this client may see, newest first (filtered; a page, or CSV/XLSX)",
    description=REFUSED,
)
@api_area(Area.ARRIVALS_DESK)
def arrival_list(request, filters: Query[ArrivalFilters]):
    return answer(
        request,
        filters,
        visible=arrivals_visible_to(request.auth),
        name="arrivals",
        note="arrivals list",
        count_flights=False,
    )
