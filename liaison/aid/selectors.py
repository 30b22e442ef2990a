"""Reads of the aid desk: what a user may see, filtered.

The aid officer and leadership read every donation (``Area.AID_READ``); nobody else sees any.
Deny by default. Donations name organizations, not people; the pages still record what they
showed, once per request, as every desk's do.
"""

from __future__ import annotations

from datetime import date

from django.db.models import Prefetch, Q, QuerySet

from liaison.aid.models import Batch, BatchLine, Certificate, Donation, DonationLine, Item, Lot
from liaison.core.access import Area, can


def donations_visible_to(user) -> QuerySet[Donation]:
    if not can(user, Area.AID_READ):
        return Donation.objects.none()
    return Donation.objects.all()


def with_parties(donations: QuerySet[Donation]) -> QuerySet[Donation]:
    return donations.select_related("donor", "recipient").prefetch_related(
        Prefetch("lines", queryset=DonationLine.objects.select_related("item", "lot"))
    )


def filter_donations(
    donations: QuerySet[Donation],
    *,
    direction: str = "",
    status: str = "",
    country: str = "",
    item: int | None = None,
    since: date | None = None,
    until: date | None = None,
    donor: int | None = None,
    recipient: int | None = None,
) -> QuerySet[Donation]:
    """``country`` is the foreign side's (the recipient's of an outbound donation, the donor's of
    an inbound one); ``since``/``until`` are pledge days, both included."""
    if direction:
        donations = donations.filter(direction=direction)
    if status:
        donations = donations.filter(status=status)
    if country:
        donations = donations.filter(
            Q(direction="outbound", recipient__country=country)
            | Q(direction="inbound", donor__country=country)
        )
    if item:
        donations = donations.filter(lines__item_id=item)
    if since:
        donations = donations.filter(pledged_on__gte=since)
    if until:
        donations = donations.filter(pledged_on__lte=until)
    if donor:
        donations = donations.filter(Q(donor_id=donor) | Q(donor__parent_id=donor))
    if recipient:
        donations = donations.filter(Q(recipient_id=recipient) | Q(recipient__parent_id=recipient))
    return donations.distinct()


def batches_of(donation: Donation) -> QuerySet[Batch]:
    return donation.batches.select_related("consignee").prefetch_related(
        Prefetch("lines", queryset=BatchLine.objects.select_related("line__item"))
    )


def visible_batch(user, donation_id: int, number: int) -> Batch | None:
    return (
        Batch.objects.filter(donation__in=donations_visible_to(user), number=number)
        .filter(donation_id=donation_id)
        .select_related("donation")
        .first()
    )


def visible_line(user, donation_id: int, line_id: int) -> DonationLine | None:
    return (
        DonationLine.objects.filter(donation__in=donations_visible_to(user))
        .filter(donation_id=donation_id, pk=line_id)
        .select_related("donation", "item")
        .first()
    )


def events_of(donation: Donation):
    return donation.events.select_related("by")


def catalogue() -> QuerySet[Item]:
    """The catalogue, with packs and lots: reference data every aid page may show."""
    return Item.objects.filter(active=True).prefetch_related(
        "packs", Prefetch("lots", queryset=Lot.objects.prefetch_related("certificates"))
    )


def lots_visible_to(user) -> QuerySet[Lot]:
    if not can(user, Area.AID_READ):
        return Lot.objects.none()
    return Lot.objects.select_related("item").prefetch_related("certificates")


def shipped_lines(batch: Batch) -> QuerySet[BatchLine]:
    return batch.lines.select_related("line__item")


def visible_certificate(user, pk: int) -> Certificate | None:
    return Certificate.objects.filter(lot__in=lots_visible_to(user), pk=pk).first()


def letters_visible_to(user):
    from liaison.aid.models import Letter

    return Letter.objects.filter(donation__in=donations_visible_to(user)).select_related(
        "donation__donor", "donation__recipient", "drafted_by", "reviewed_by"
    )


def visible_letter(user, letter_id: int):
    return letters_visible_to(user).filter(pk=letter_id).first()


def filter_letters(letters, *, donation: int | None = None, limit: int = 200) -> list:
    """Newest first; of one donation when given."""
    if donation:
        letters = letters.filter(donation_id=donation)
    return list(letters.order_by("-drafted_at", "-id")[:limit])


def letter_events(letter):
    return letter.events.select_related("by")
