"""The public transparency page (issue 15, point 6): no account, no personal data.

Inbound donations, per day: what each donor's goods were on arrival (units accepted) and where
they went (allocations to hospitals, quarantine sites and districts); a donor is named only with
its consent, else "an anonymous donor" in the reader's language. Outbound donations, by country
and item: units shipped and units the other side accepted. No person and no officer is named:
the rows carry organizations, places, items and numbers only.

The same rows download as CSV and XLSX (``core/exports.py``) with an HXL hashtag row under the
header, so humanitarian tools (HDX, HXL Proxy) read the columns by meaning. The page is computed
on every request, never cached stale: its ETag is a digest of what it shows, so a client may
revalidate cheaply and a new receipt changes the tag at once.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.db.models import Q, Sum
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy
from django_countries import countries

from liaison.aid.models import Allocation, BatchLine, Direction, Item, Unit
from liaison.aid.period import Query, read_query
from liaison.core import exports
from liaison.core.access import public
from liaison.core.refusals import Refused

RECEIVED, ALLOCATED, SHIPPED = "received", "allocated", "shipped"
FLOWS = {
    RECEIVED: pgettext_lazy("aid flow", "received"),
    ALLOCATED: pgettext_lazy("aid flow", "allocated"),
    SHIPPED: pgettext_lazy("aid flow", "shipped"),
}
# HXL 1.1 core hashtags (hxlstandard.org/standard/dictionary): #date, #status (what happened),
# #org (+donor / +recipient are the roles), #country+code (ISO 3166 alpha-2), #loc+name (the
# hospital, hotel or district goods went to), #item+name / #item+code (the commodity), and
# #output+num (the number of units: the output of the flow) with #output+unit.
HXL = (
    "#date",
    "#status",
    "#org+donor",
    "#country+code+donor",
    "#org+recipient",
    "#country+code+recipient",
    "#loc+name",
    "#item+name",
    "#item+code",
    "#output+num",
    "#output+unit",
)


@dataclass(frozen=True)
class Row:
    day: date
    flow: str
    donor: str
    donor_country: str
    recipient: str
    recipient_country: str
    place: str
    item: str
    item_code: str
    units: int
    unit: str

    def cells(self) -> list[str]:
        return [
            self.day.isoformat(),
            str(FLOWS[self.flow]),
            self.donor,
            self.donor_country,
            self.recipient,
            self.recipient_country,
            self.place,
            self.item,
            self.item_code,
            str(self.units),
            str(self.unit),
        ]


def _header() -> list[str]:
    return [
        _("Date"),
        _("What happened to the goods"),
        _("Donor"),
        _("Donor's country"),
        _("Recipient"),
        _("Recipient's country"),
        _("Allocated to"),
        _("Item"),
        _("Item code"),
        _("Units"),
        _("Unit"),
    ]


def _donor(donation) -> str:
    return donation.donor.name if donation.donor_may_be_named else _("an anonymous donor")


def _donor_country(donation) -> str:
    # A country names a donor too when it is the only one of it; without consent, keep it out.
    return donation.donor.country.code if donation.donor_may_be_named else ""


def _period(field: str, query: Query) -> Q:
    found = Q()
    if query.since:
        found &= Q(**{f"{field}__gte": query.since})
    if query.until:
        found &= Q(**{f"{field}__lte": query.until})
    return found


def rows(query: Query) -> list[Row]:
    """Every public row of the period, by day: received, allocated (inbound), shipped (outbound)."""
    out: list[Row] = []
    received = (
        BatchLine.objects.filter(
            line__donation__direction=Direction.INBOUND,
            batch__arrived_on__isnull=False,
            accepted__gt=0,
        )
        .filter(_period("batch__arrived_on", query))
        .select_related("batch", "line__item", "line__donation__donor")
        .select_related("line__donation__recipient")
    )
    for row in received:
        donation, item = row.line.donation, row.line.item
        out.append(
            Row(
                row.batch.arrived_on, RECEIVED, _donor(donation), _donor_country(donation),
                donation.recipient.name, donation.recipient.country.code, "",
                item.name, item.code, row.accepted, Unit(item.unit).label,
            )
        )  # fmt: skip
    allocated = (
        Allocation.objects.filter(_period("allocated_on", query))
        .select_related("line__item", "line__donation__donor", "line__donation__recipient")
        .select_related("site", "jurisdiction")
    )
    for a in allocated:
        donation, item = a.line.donation, a.line.item
        out.append(
            Row(
                a.allocated_on, ALLOCATED, _donor(donation), _donor_country(donation),
                donation.recipient.name, donation.recipient.country.code, a.recipient.name,
                item.name, item.code, a.units, Unit(item.unit).label,
            )
        )  # fmt: skip
    shipped = (
        BatchLine.objects.filter(line__donation__direction=Direction.OUTBOUND)
        .filter(_period("batch__sent_on", query))
        .select_related("batch__consignee", "line__item", "line__donation__donor")
        .select_related("line__donation__recipient")
    )
    for row in shipped:
        donation, item = row.line.donation, row.line.item
        to = row.batch.consignee or donation.recipient
        out.append(
            Row(
                row.batch.sent_on, SHIPPED, donation.donor.name, donation.donor.country.code,
                to.name, to.country.code, "", item.name, item.code, row.units,
                Unit(item.unit).label,
            )
        )  # fmt: skip
    out.sort(key=lambda r: (r.day, list(FLOWS).index(r.flow), r.item_code, r.recipient))
    return out


def outbound_by_country(query: Query) -> list[dict]:
    """Outbound units by recipient country and item: shipped, and accepted on arrival."""
    found = (
        BatchLine.objects.filter(line__donation__direction=Direction.OUTBOUND)
        .filter(_period("batch__sent_on", query))
        .values("line__donation__recipient__country", "line__item__code")
        .annotate(shipped=Sum("units"), accepted=Sum("accepted"))
        .order_by("line__donation__recipient__country", "line__item__code")
    )
    items = {i.code: i for i in Item.objects.all()}
    return [
        {
            "country": countries.name(f["line__donation__recipient__country"]),
            "country_code": f["line__donation__recipient__country"],
            "item": items[f["line__item__code"]].name,
            "shipped": f["shipped"],
            "accepted": f["accepted"] or 0,
        }
        for f in found
    ]


def by_day(found: list[Row], flow: str) -> list[tuple[date, list[Row]]]:
    days: dict[date, list[Row]] = defaultdict(list)
    for row in found:
        if row.flow == flow:
            days[row.day].append(row)
    return sorted(days.items(), reverse=True)


def _etag(found: list[Row], fmt: str, language: str) -> str:
    digest = hashlib.sha256(f"{fmt}|{language}".encode())
    for row in found:
        digest.update("\x1f".join(row.cells()).encode())
    return '"' + digest.hexdigest()[:32] + '"'


@public
def page(request: HttpRequest) -> HttpResponse:
    try:
        query = read_query(request.GET)
    except Refused as refused:
        context = {"problems": refused.problems}
        return render(request, "aid/transparency.html", context, status=400)
    found = rows(query)
    tag = _etag(found, query.fmt, request.LANGUAGE_CODE)
    if request.headers.get("If-None-Match") == tag:
        response = HttpResponseNotModified()
    elif query.fmt:
        response = exports.file_response(
            query.fmt,
            name="aid-transparency",
            title=_("Donations"),
            header=_header(),
            rows=[HXL, *(r.cells() for r in found)],
        )
    else:
        context = {
            "query": query,
            "received": by_day(found, RECEIVED),
            "allocated": by_day(found, ALLOCATED),
            "outbound": outbound_by_country(query),
            "download": request.GET.urlencode(),
        }
        response = render(request, "aid/transparency.html", context)
    response["ETag"] = tag
    # Revalidate every time: a new receipt must show at once (the ETag keeps that cheap).
    response["Cache-Control"] = "public, no-cache"
    patch_vary_headers(response, ("Accept-Language", "Cookie"))
    return response
