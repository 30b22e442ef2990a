"""Spring 2020 through the services, as the issue tells it: masks to Italy in two batches; KF94
and surgical masks to Iran with a part for its sister city Shiraz; the Korean batch received
short, with a reason; an inbound donation allocated to two hospitals and a district, its ledger
adding up to the last unit."""

from datetime import date

import pytest

from liaison.aid import allocation
from liaison.aid.models import DonationStatus
from liaison.core.models import Jurisdiction, Site
from liaison.core.refusals import Refused
from tests.aid.conftest import committed, donate, receive, ship

pytestmark = pytest.mark.django_db


def status(donation):
    donation.refresh_from_db()
    return donation.status


def test_masks_to_italy_in_two_batches(aid_officer, city_government, italy):
    donation = donate(
        aid_officer,
        city_government,
        italy,
        ("FFP2", 300, "box"),
        ("SURGICAL-EN14683", 40, "carton"),
        estimated_value="600000",
        currency="CNY",
        donor_may_be_named=True,
    )
    committed(donation, aid_officer)
    first = ship(
        donation, aid_officer, 3000, 40000, sent_on=date(2020, 3, 19), route="CA 877 CKG–MXP"
    )
    assert status(donation) == DonationStatus.SHIPPED_IN_PART
    second = ship(
        donation, aid_officer, 3000, 40000, sent_on=date(2020, 3, 26), route="CA 877 CKG–MXP"
    )
    assert status(donation) == DonationStatus.SHIPPED
    receive(first, aid_officer, date(2020, 3, 20))
    receive(second, aid_officer, date(2020, 3, 27))
    assert status(donation) == DonationStatus.DELIVERED
    ledger = allocation.ledger(donation)
    assert [
        (e.line.item.code, e.line.units, e.shipped, e.accepted, e.remaining) for e in ledger
    ] == [
        ("FFP2", 6000, 6000, 6000, 0),
        ("SURGICAL-EN14683", 80000, 80000, 80000, 0),
    ]


def test_kf94_and_surgical_masks_to_iran_with_a_part_for_shiraz(
    aid_officer, city_government, iran, shiraz
):
    donation = donate(
        aid_officer, city_government, iran, ("KF94", 20000, ""), ("SURGICAL-YY0469", 100000, "")
    )
    committed(donation, aid_officer)
    tehran = ship(donation, aid_officer, 15000, 80000, route="Mahan W5 081 CKG–IKA")
    for_shiraz = ship(
        donation, aid_officer, 5000, 20000, consignee=shiraz.pk, route="by road IKA–SYZ"
    )
    assert (tehran.consignee, for_shiraz.consignee) == (None, shiraz)
    assert status(donation) == DonationStatus.SHIPPED
    receive(tehran, aid_officer, date(2020, 3, 21))
    assert status(donation) == DonationStatus.SHIPPED  # Shiraz's part still on the road
    receive(for_shiraz, aid_officer, date(2020, 3, 24))
    assert status(donation) == DonationStatus.DELIVERED


def test_the_korean_batch_received_short_with_a_reason(aid_officer, city_government, jeollanam):
    donation = donate(
        aid_officer, city_government, jeollanam, ("N95", 10000, ""), ("KF94", 20000, "")
    )
    committed(donation, aid_officer)
    batch = ship(donation, aid_officer, 10000, 20000, sent_on=date(2020, 3, 10))
    receive(
        batch,
        aid_officer,
        date(2020, 3, 12),
        (9600, 400, "Four cartons crushed in transit"),
        (20000, 0, ""),
    )
    n95 = batch.lines.get(line__item__code="N95")
    assert (n95.accepted, n95.rejected, n95.rejection_reason, n95.short) == (
        9600,
        400,
        "Four cartons crushed in transit",
        True,
    )
    assert status(donation) == DonationStatus.DELIVERED
    event = donation.events.get(code="batch_received")
    assert event.data == {"batch": 1, "accepted": 29600, "rejected": 400}


def test_an_inbound_donation_allocated_to_the_last_unit(aid_officer, dusseldorf, city_government):
    donation = donate(
        aid_officer, dusseldorf, city_government, ("FFP2", 50, "carton"), on=date(2020, 2, 10)
    )
    committed(donation, aid_officer)
    first = ship(donation, aid_officer, 12000, sent_on=date(2020, 2, 12))
    second = ship(donation, aid_officer, 8000, sent_on=date(2020, 2, 20))
    receive(first, aid_officer, date(2020, 2, 14), (11800, 200, "Two cartons wet"))
    receive(second, aid_officer, date(2020, 2, 22))
    line = donation.lines.get()
    public_health = Site.objects.get(code="HOSP-PHMC")
    yubei_hospital = Site.objects.get(code="HOSP-YB-01")
    yuzhong = Jurisdiction.objects.get(code="500103")
    on = date(2020, 2, 23)
    allocation.allocate(
        line=line, units=10000, site=public_health.pk, allocated_on=on, by=aid_officer
    )
    allocation.allocate(
        line=line, units=6000, site=yubei_hospital.pk, allocated_on=on, by=aid_officer
    )
    allocation.allocate(
        line=line, units=3800, jurisdiction=yuzhong.pk, allocated_on=on, by=aid_officer
    )
    (entry,) = allocation.ledger(donation)
    assert (entry.line.units, entry.shipped, entry.accepted, entry.rejected) == (
        20000,
        20000,
        19800,
        200,
    )
    assert [(a.recipient, a.units) for a in entry.allocations] == [
        (public_health, 10000),
        (yubei_hospital, 6000),
        (yuzhong, 3800),
    ]
    assert (entry.allocated, entry.remaining) == (19800, 0)
    assert entry.accepted + entry.rejected == entry.shipped == entry.line.units
    with pytest.raises(Refused) as refused:
        allocation.allocate(
            line=line, units=1, site=public_health.pk, allocated_on=on, by=aid_officer
        )
    assert refused.value.message == "Only 0 units of FFP2 respirator remain in stock."
