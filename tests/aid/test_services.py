"""The aid desk's services: donations both ways, batches, receipt, allocation, and every
refusal of the issue's bad-input list leaving nothing changed."""

from datetime import date
from decimal import Decimal

import pytest

from liaison.aid import allocation, services
from liaison.aid.models import (
    Allocation,
    Batch,
    Direction,
    Donation,
    DonationEvent,
    DonationStatus,
    Stock,
)
from liaison.core.models import Jurisdiction, Site
from liaison.core.refusals import Conflict, Refused
from tests.aid.conftest import committed, donate, item, receive, ship

pytestmark = pytest.mark.django_db


def test_an_outbound_donation_is_recorded_in_units_with_its_event(
    aid_officer, city_government, italy
):
    donation = donate(
        aid_officer,
        city_government,
        italy,
        ("FFP2", 200, "box"),  # 200 boxes of 20
        ("SURGICAL-EN14683", 50000, ""),
        estimated_value="180000.00",
        currency="eur",
        donor_may_be_named=True,
    )
    assert donation.direction == Direction.OUTBOUND
    assert donation.status == DonationStatus.PLEDGED
    assert [(ln.item.code, ln.units) for ln in donation.lines.all()] == [
        ("FFP2", 4000),
        ("SURGICAL-EN14683", 50000),
    ]
    assert (donation.estimated_value, donation.currency) == (Decimal("180000.00"), "EUR")
    (event,) = donation.events.all()
    assert (event.code, event.to_status) == ("recorded", "pledged")
    assert event.data["lines"] == [
        {"item": "FFP2", "units": 4000},
        {"item": "SURGICAL-EN14683", "units": 50000},
    ]
    assert not Stock.objects.exists()  # outbound goods are not the city's stock


def test_an_inbound_donation_opens_a_stock_row_per_line(aid_officer, dusseldorf, city_government):
    donation = donate(aid_officer, dusseldorf, city_government, ("N95", 1000, ""))
    assert donation.direction == Direction.INBOUND
    assert [s.received for s in Stock.objects.filter(line__donation=donation)] == [0]


def _nothing_written():
    return (Donation.objects.count(), DonationEvent.objects.count(), Batch.objects.count())


@pytest.mark.parametrize(
    ("quantity", "unit", "field", "message"),
    [
        (-5, "", "lines.0.quantity", "Give a number of units: a whole number above zero."),
        (0, "", "lines.0.quantity", "Give a number of units: a whole number above zero."),
        ("2.5", "", "lines.0.quantity", "Units are counted whole: no fractions."),
        (2.5, "", "lines.0.quantity", "Units are counted whole: no fractions."),
        ("many", "", "lines.0.quantity", "Give a number of units: a whole number above zero."),
        (
            10,
            "pair",
            "lines.0.unit",
            "N95 respirator is counted in piece; it has no pack of that kind.",
        ),
    ],
)
def test_bad_quantities_and_units_are_refused_and_nothing_written(
    aid_officer, city_government, italy, quantity, unit, field, message
):
    before = _nothing_written()
    with pytest.raises(Refused) as refused:
        donate(aid_officer, city_government, italy, ("N95", quantity, unit))
    assert (refused.value.field, refused.value.message, refused.value.status) == (
        field,
        message,
        400,
    )
    assert _nothing_written() == before


def test_an_unknown_donor_or_recipient_is_refused(aid_officer, city_government, italy):
    with pytest.raises(Refused) as refused:
        services.record_donation(
            donor=city_government.pk,
            recipient=999999,
            occasion="x",
            pledged_on=date(2020, 3, 19),
            lines=[services.LineIn(item=item("N95").pk, quantity=1)],
            by=aid_officer,
        )
    assert refused.value.field == "recipient"
    assert "no such organization" in refused.value.message
    with pytest.raises(Refused) as refused:
        donate(aid_officer, italy, italy, ("N95", 1, ""))
    assert refused.value.field == "recipient"
    assert not Donation.objects.exists()


def test_two_foreign_parties_or_two_of_ours_are_no_donation_of_the_desk(
    aid_officer, city_government, yuzhong, italy, iran
):
    for donor, recipient in ((italy, iran), (city_government, yuzhong)):
        with pytest.raises(Refused) as refused:
            donate(aid_officer, donor, recipient, ("N95", 1, ""))
        assert refused.value.field == "recipient"
    assert not Donation.objects.exists()


@pytest.mark.parametrize(
    ("value", "currency", "field"),
    [
        ("100", "XYZ", "currency"),
        ("100", "", "currency"),
        ("-1", "EUR", "estimated_value"),
        ("1.001", "EUR", "estimated_value"),
        ("abc", "EUR", "estimated_value"),
    ],
)
def test_a_value_needs_a_real_currency_and_an_amount(
    aid_officer, city_government, italy, value, currency, field
):
    with pytest.raises(Refused) as refused:
        donate(
            aid_officer,
            city_government,
            italy,
            ("N95", 1, ""),
            estimated_value=value,
            currency=currency,
        )
    assert refused.value.field == field
    assert not Donation.objects.exists()


def test_masks_to_italy_in_two_batches(aid_officer, city_government, italy):
    donation = donate(
        aid_officer, city_government, italy, ("FFP2", 4000, ""), ("SURGICAL-EN14683", 50000, "")
    )
    committed(donation, aid_officer)
    first = ship(donation, aid_officer, 2000, 30000, waybill="781-0001", route="CKG–MXP")
    donation.refresh_from_db()
    assert donation.status == DonationStatus.SHIPPED_IN_PART
    second = ship(donation, aid_officer, 2000, 20000, sent_on=date(2020, 3, 21))
    donation.refresh_from_db()
    assert donation.status == DonationStatus.SHIPPED
    assert (first.number, second.number) == (1, 2)
    receive(first, aid_officer, date(2020, 3, 20))
    donation.refresh_from_db()
    assert donation.status == DonationStatus.SHIPPED  # one batch still in transit
    receive(second, aid_officer, date(2020, 3, 23))
    donation.refresh_from_db()
    assert donation.status == DonationStatus.DELIVERED
    services.move_donation(donation=donation, to="acknowledged", by=aid_officer)
    moves = [(e.from_status, e.to_status) for e in donation.events.filter(code="moved")]
    assert moves == [
        ("pledged", "committed"),
        ("committed", "shipped_in_part"),
        ("shipped_in_part", "shipped"),
        ("shipped", "delivered"),
        ("delivered", "acknowledged"),
    ]


def test_a_line_cannot_ship_more_than_it_holds(aid_officer, city_government, italy):
    donation = donate(aid_officer, city_government, italy, ("FFP2", 100, ""))
    committed(donation, aid_officer)
    ship(donation, aid_officer, 60)
    with pytest.raises(Refused) as refused:
        ship(donation, aid_officer, 41)
    assert refused.value.message == "Only 40 units of FFP2 respirator remain to be shipped."
    assert donation.batches.count() == 1


def test_a_pledged_donation_does_not_ship(aid_officer, city_government, italy):
    donation = donate(aid_officer, city_government, italy, ("FFP2", 100, ""))
    with pytest.raises(Conflict):
        ship(donation, aid_officer, 100)
    assert not Batch.objects.exists()


def test_shipping_statuses_are_not_moved_by_hand(aid_officer, city_government, italy):
    donation = donate(aid_officer, city_government, italy, ("FFP2", 100, ""))
    committed(donation, aid_officer)
    with pytest.raises(Conflict):
        services.move_donation(donation=donation, to="delivered", by=aid_officer)
    with pytest.raises(Conflict):
        services.move_donation(donation=donation, to="acknowledged", by=aid_officer)


def test_cancelling_needs_a_reason_and_is_final(aid_officer, city_government, italy):
    donation = donate(aid_officer, city_government, italy, ("FFP2", 100, ""))
    with pytest.raises(Refused) as refused:
        services.move_donation(donation=donation, to="cancelled", by=aid_officer)
    assert refused.value.field == "reason"
    services.move_donation(
        donation=donation, to="cancelled", reason="Flights suspended", by=aid_officer
    )
    donation.refresh_from_db()
    assert (donation.status, donation.cancel_reason) == ("cancelled", "Flights suspended")
    with pytest.raises(Conflict):
        services.move_donation(donation=donation, to="committed", by=aid_officer)


def test_arrival_before_sending_is_refused(aid_officer, city_government, italy):
    donation = donate(aid_officer, city_government, italy, ("FFP2", 100, ""))
    committed(donation, aid_officer)
    with pytest.raises(Refused) as refused:
        ship(donation, aid_officer, 100, sent_on=date(2020, 3, 19), expected_on=date(2020, 3, 18))
    assert refused.value.field == "expected_on"
    batch = ship(donation, aid_officer, 100, sent_on=date(2020, 3, 19))
    with pytest.raises(Refused) as refused:
        receive(batch, aid_officer, date(2020, 3, 18))
    assert (refused.value.field, refused.value.message) == (
        "arrived_on",
        "A batch cannot arrive before it was sent.",
    )
    batch.refresh_from_db()
    assert batch.arrived_on is None


@pytest.mark.parametrize(
    ("accepted", "rejected", "reason", "field", "message"),
    [
        (101, 0, "", "lines.0.accepted", "100 units were shipped; more cannot be received."),
        (
            90,
            0,
            "",
            "lines.0.rejected",
            "Accepted and rejected must add up to the 100 units shipped.",
        ),
        (
            90,
            20,
            "Wet",
            "lines.0.rejected",
            "Accepted and rejected must add up to the 100 units shipped.",
        ),
        (90, 10, " ", "lines.0.reason", "Say why units were rejected."),
        (-10, 110, "x", "lines.0.accepted", "Give a number of units: a whole number above zero."),
        ("99.5", "0.5", "x", "lines.0.accepted", "Units are counted whole: no fractions."),
    ],
)
def test_a_receipt_that_does_not_add_up_is_refused(
    aid_officer, dusseldorf, city_government, accepted, rejected, reason, field, message
):
    donation = donate(aid_officer, dusseldorf, city_government, ("N95", 100, ""))
    committed(donation, aid_officer)
    batch = ship(donation, aid_officer, 100)
    with pytest.raises(Refused) as refused:
        receive(batch, aid_officer, date(2020, 3, 25), (accepted, rejected, reason))
    assert (refused.value.field, refused.value.message) == (field, message)
    batch.refresh_from_db()
    assert batch.arrived_on is None
    assert Stock.objects.get(line__donation=donation).received == 0
    assert not donation.events.filter(code="batch_received").exists()


def test_a_batch_is_received_once(aid_officer, dusseldorf, city_government):
    donation = donate(aid_officer, dusseldorf, city_government, ("N95", 100, ""))
    committed(donation, aid_officer)
    batch = ship(donation, aid_officer, 100)
    receive(batch, aid_officer, date(2020, 3, 25))
    with pytest.raises(Conflict):
        receive(batch, aid_officer, date(2020, 3, 25))
    assert Stock.objects.get(line__donation=donation).received == 100


def _received(aid_officer, donor, city_government, units=1000):
    donation = donate(aid_officer, donor, city_government, ("N95", units, ""))
    committed(donation, aid_officer)
    receive(ship(donation, aid_officer, units), aid_officer, date(2020, 3, 25))
    return donation, donation.lines.get()


def test_allocating_more_than_remains_is_refused(aid_officer, dusseldorf, city_government):
    donation, line = _received(aid_officer, dusseldorf, city_government)
    hospital = Site.objects.get(code="HOSP-PHMC")
    allocation.allocate(
        line=line, units=700, site=hospital.pk, allocated_on=date(2020, 3, 26), by=aid_officer
    )
    with pytest.raises(Refused) as refused:
        allocation.allocate(
            line=line, units=301, site=hospital.pk, allocated_on=date(2020, 3, 26), by=aid_officer
        )
    assert refused.value.message == "Only 300 units of N95 respirator remain in stock."
    assert Allocation.objects.count() == 1
    assert Stock.objects.get(line=line).allocated == 700


@pytest.mark.parametrize("units", [-1, 0, "1.5", "x"])
def test_an_allocation_is_a_whole_positive_number(aid_officer, dusseldorf, city_government, units):
    _donation, line = _received(aid_officer, dusseldorf, city_government)
    with pytest.raises(Refused) as refused:
        allocation.allocate(
            line=line,
            units=units,
            site=Site.objects.get(code="HOSP-PHMC").pk,
            allocated_on=date(2020, 3, 26),
            by=aid_officer,
        )
    assert refused.value.field == "units"
    assert not Allocation.objects.exists()


def test_an_allocation_names_exactly_one_recipient(aid_officer, dusseldorf, city_government):
    _donation, line = _received(aid_officer, dusseldorf, city_government)
    yubei = Jurisdiction.objects.get(code="500112")
    hospital = Site.objects.get(code="HOSP-PHMC")
    for kwargs in ({}, {"site": hospital.pk, "jurisdiction": yubei.pk}, {"site": 999999}):
        with pytest.raises(Refused):
            allocation.allocate(
                line=line, units=1, allocated_on=date(2020, 3, 26), by=aid_officer, **kwargs
            )
    assert not Allocation.objects.exists()


def test_outbound_goods_are_not_allocated(aid_officer, city_government, italy):
    donation = donate(aid_officer, city_government, italy, ("FFP2", 100, ""))
    with pytest.raises(Conflict):
        allocation.allocate(
            line=donation.lines.get(),
            units=1,
            site=Site.objects.get(code="HOSP-PHMC").pk,
            allocated_on=date(2020, 3, 26),
            by=aid_officer,
        )


def test_a_correction_keeps_before_after_and_reason(aid_officer, city_government, italy):
    donation = donate(aid_officer, city_government, italy, ("FFP2", 100, ""))
    with pytest.raises(Refused):
        services.correct_donation(donation=donation, reason="", by=aid_officer, occasion="y")
    services.correct_donation(
        donation=donation,
        reason="Value from the invoice",
        by=aid_officer,
        estimated_value=Decimal("5000"),
        currency="EUR",
    )
    event = donation.events.get(code="corrected")
    assert event.reason == "Value from the invoice"
    assert event.data == {
        "estimated_value": {"before": None, "after": "5000"},
        "currency": {"before": "", "after": "EUR"},
    }
    with pytest.raises(Refused):
        services.correct_donation(donation=donation, reason="again", by=aid_officer, currency="EUR")


def test_the_currency_list_is_iso_4217():
    from liaison.aid.currencies import CODES

    assert {"CNY", "EUR", "USD", "KRW", "IRR", "JPY", "UAH", "GBP"} <= CODES
    assert all(len(code) == 3 and code.isalpha() and code.isupper() for code in CODES)
    assert "XYZ" not in CODES and len(CODES) > 150
