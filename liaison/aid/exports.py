"""The donation queue as a spreadsheet, one row per donation line, through the one writer
(``core/exports.py``): what was pledged, shipped, accepted, rejected and allocated."""

from django.db.models import QuerySet, Sum
from django.http import HttpResponse
from django.utils.translation import gettext as _

from liaison.aid.models import Allocation, BatchLine, Donation
from liaison.core.exports import FORMATS, file_response

__all__ = ["FORMATS", "donations_file"]


def _sums(donations: QuerySet[Donation]):
    shipped = {
        row["line"]: row
        for row in BatchLine.objects.filter(batch__donation__in=donations)
        .values("line")
        .annotate(units=Sum("units"), accepted=Sum("accepted"), rejected=Sum("rejected"))
    }
    allocated = {
        row["line"]: row["units"]
        for row in Allocation.objects.filter(line__donation__in=donations)
        .values("line")
        .annotate(units=Sum("units"))
    }
    return shipped, allocated


def donations_file(fmt: str, donations: QuerySet[Donation]) -> HttpResponse:
    header = [
        _("No."),
        _("Direction"),
        _("Status"),
        _("Pledged on"),
        _("Donor"),
        _("Recipient"),
        _("Country or region"),
        _("Occasion"),
        _("Item"),
        _("Standard"),
        _("Units"),
        _("Shipped"),
        _("Accepted"),
        _("Rejected"),
        _("Allocated"),
        _("Estimated value"),
        _("Currency"),
    ]
    shipped, allocated = _sums(donations)

    def rows():
        for donation in donations.iterator(chunk_size=200):
            for line in donation.lines.all():
                sums = shipped.get(line.pk, {})
                yield [
                    str(donation.pk),
                    donation.get_direction_display(),
                    donation.get_status_display(),
                    donation.pledged_on.isoformat(),
                    donation.donor.name,
                    donation.recipient.name,
                    donation.counterpart.country.name,
                    donation.occasion,
                    line.item.name,
                    line.item.standard,
                    str(line.units),
                    str(sums.get("units") or 0),
                    str(sums.get("accepted") or 0),
                    str(sums.get("rejected") or 0),
                    str(allocated.get(line.pk, 0)),
                    str(donation.estimated_value or ""),
                    donation.currency,
                ]

    return file_response(fmt, name="donations", title=_("Donations"), header=header, rows=rows())
