"""The office's report of the aid desk (issue 15, point 7): for a period, everything shipped and
received, by country, recipient and item, as a page with a bar chart (server-rendered SVG, no
script) and as XLSX or CSV.

Shipped: outbound batches sent in the period, by the recipient's country, the recipient (the
batch's consignee when it has one, Shiraz within Iran) and item, with what the other side
accepted. Received: inbound batches that arrived in the period, by the donor's country, donor and
item, in units accepted; allocated: inbound units allocated in the period, by recipient (site or
district) and item. Organizations and places only: no personal data, so no read to audit.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_countries import countries

from liaison.aid.models import Allocation, BatchLine, Direction, Item
from liaison.aid.period import Query, read_query
from liaison.core import exports
from liaison.core.access import Area, requires
from liaison.core.models import Jurisdiction, Site
from liaison.core.refusals import Refused
from liaison.directory.models import Organization

SECTIONS = {
    "shipped": gettext_lazy("Shipped"),
    "received": gettext_lazy("Received"),
    "allocated": gettext_lazy("Allocated"),
}
CHART_WIDTH = 360  # pixels of the longest bar


@dataclass(frozen=True)
class Line:
    section: str
    country: str
    counterpart: str
    item: str
    units: int
    accepted: int | None = None

    def cells(self) -> list[str]:
        return [
            str(SECTIONS[self.section]),
            countries.name(self.country) if self.country else "",
            self.country,
            self.counterpart,
            self.item,
            str(self.units),
            "" if self.accepted is None else str(self.accepted),
        ]


def _between(field: str, query: Query) -> dict:
    found = {}
    if query.since:
        found[f"{field}__gte"] = query.since
    if query.until:
        found[f"{field}__lte"] = query.until
    return found


def lines(query: Query) -> list[Line]:
    items = {i.pk: i.name for i in Item.objects.all()}
    orgs = {o.pk: o for o in Organization.objects.all()}
    out: list[Line] = []
    shipped = (
        BatchLine.objects.filter(line__donation__direction=Direction.OUTBOUND)
        .filter(**_between("batch__sent_on", query))
        .values("batch__consignee", "line__donation__recipient", "line__item")
        .annotate(units=Sum("units"), accepted=Sum("accepted"))
        .order_by()
    )
    for row in shipped:
        to = orgs[row["batch__consignee"] or row["line__donation__recipient"]]
        out.append(
            Line("shipped", to.country.code, to.name, items[row["line__item"]], row["units"],
                 row["accepted"] or 0)
        )  # fmt: skip
    received = (
        BatchLine.objects.filter(line__donation__direction=Direction.INBOUND)
        .filter(batch__arrived_on__isnull=False, **_between("batch__arrived_on", query))
        .values("line__donation__donor", "line__item")
        .annotate(units=Sum("accepted"))
        .order_by()
    )
    for row in received:
        donor = orgs[row["line__donation__donor"]]
        out.append(
            Line("received", donor.country.code, donor.name, items[row["line__item"]],
                 row["units"] or 0)
        )  # fmt: skip
    allocated = (
        Allocation.objects.filter(**_between("allocated_on", query))
        .values("site", "jurisdiction", "line__item")
        .annotate(units=Sum("units"))
        .order_by()
    )
    sites = {s.pk: s.name for s in Site.objects.all()}
    districts = {j.pk: j.name for j in Jurisdiction.objects.all()}
    for row in allocated:
        place = sites.get(row["site"]) or districts.get(row["jurisdiction"], "")
        out.append(Line("allocated", "", place, items[row["line__item"]], row["units"]))
    order = list(SECTIONS)
    out.sort(key=lambda r: (order.index(r.section), r.country, r.counterpart, r.item))
    return out


def chart(found: list[Line]) -> list[dict]:
    """Units shipped and received by country, with bar lengths scaled to the largest."""
    totals: dict[str, dict[str, int]] = defaultdict(lambda: {"shipped": 0, "received": 0})
    for row in found:
        if row.section in ("shipped", "received"):
            totals[row.country][row.section] += row.units
    largest = max((max(t.values()) for t in totals.values()), default=0) or 1
    bars = []
    for index, (code, t) in enumerate(sorted(totals.items())):
        bars.append(
            {
                "y": index * 34,
                "country": countries.name(code),
                "shipped": t["shipped"],
                "received": t["received"],
                "shipped_width": round(CHART_WIDTH * t["shipped"] / largest),
                "received_width": round(CHART_WIDTH * t["received"] / largest),
            }
        )
    return bars


def _header() -> list[str]:
    return [
        _("Section"),
        _("Country or region"),
        _("Country code"),
        _("Recipient or donor"),
        _("Item"),
        _("Units"),
        _("Units accepted on arrival"),
    ]


@requires(Area.AID_READ)
def page(request: HttpRequest) -> HttpResponse:
    try:
        query = read_query(request.GET)
    except Refused as refused:
        return render(request, "aid/report.html", {"problems": refused.problems}, status=400)
    found = lines(query)
    if query.fmt:
        return exports.file_response(
            query.fmt,
            name="aid-report",
            title=_("Aid report"),
            header=_header(),
            rows=[r.cells() for r in found],
        )
    bars = chart(found)
    context = {
        "query": query,
        "sections": [(SECTIONS[key], [r for r in found if r.section == key]) for key in SECTIONS],
        "bars": bars,
        "chart_height": len(bars) * 34 + 10,
        "chart_width": CHART_WIDTH + 240,
        "download": request.GET.urlencode(),
    }
    return render(request, "aid/report.html", context)
