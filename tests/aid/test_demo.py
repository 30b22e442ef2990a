"""``demo_aid``: the spring of 2020 through the real services; a second run adds nothing."""

import pytest
from django.core.management import call_command

from liaison.aid.allocation import ledger
from liaison.aid.models import Batch, Donation, DonationStatus
from liaison.core.roles import Role
from liaison.directory.models import Organization
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


def test_the_demo_fills_the_desk_with_that_spring_once(city):
    make_user("demo-aid", Role.AID)
    make_user("demo-liaison", Role.LIAISON)
    call_command("demo_aid")
    city_government = Organization.objects.get(code="CN-CQ-GOV")
    assert Organization.objects.filter(parent=city_government, code="CN-CQ-500103").exists()
    statuses = set(Donation.objects.values_list("status", flat=True))
    assert {
        DonationStatus.ACKNOWLEDGED,
        DonationStatus.DELIVERED,
        DonationStatus.SHIPPED,
        DonationStatus.SHIPPED_IN_PART,
        DonationStatus.COMMITTED,
        DonationStatus.PLEDGED,
    } <= statuses
    assert Batch.objects.filter(consignee__code="IR-SHIRAZ").exists()
    assert Batch.objects.filter(
        lines__rejected__gt=0, donation__recipient__code="KR-JEONNAM"
    ).exists()
    (inbound,) = Donation.objects.filter(direction="inbound")
    (entry,) = ledger(inbound)
    assert (entry.accepted, entry.allocated, entry.remaining) == (19800, 19800, 0)
    before = (Donation.objects.count(), Batch.objects.count())
    call_command("demo_aid")
    assert (Donation.objects.count(), Batch.objects.count()) == before
