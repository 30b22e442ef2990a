"""Who may use the aid desk: the aid officer writes, leadership reads, nobody else sees it."""

import json

import pytest

from liaison.aid.models import Donation
from tests.aid.conftest import donate
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def donation(aid_officer, city_government, italy):
    return donate(aid_officer, city_government, italy, ("FFP2", 100, ""))


def test_leadership_reads_but_does_not_write(signed_in, director_general, donation, italy):
    client = signed_in(director_general)
    assert client.get("/aid/").status_code == 200
    assert client.get(f"/aid/{donation.pk}/").status_code == 200
    assert client.get(f"/api/v1/aid/donations/{donation.pk}").status_code == 200
    assert client.get("/aid/new/").status_code == 403
    response = client.post(
        f"/api/v1/aid/donations/{donation.pk}/moves",
        json.dumps({"to": "committed"}),
        content_type="application/json",
    )
    assert response.status_code == 403
    donation.refresh_from_db()
    assert donation.status == "pledged"


@pytest.mark.parametrize("role", ["liaison", "airport_desk", "district_receiving", "exchanges", ""])
def test_other_desks_do_not_see_donations(signed_in, donation, role, yubei):
    user = make_user(
        f"other-{role or 'none'}",
        role,
        jurisdiction=yubei if role == "district_receiving" else None,
    )
    client = signed_in(user)
    assert client.get("/aid/").status_code == 403
    assert client.get(f"/aid/{donation.pk}/").status_code == 403
    # A user without a role is no API client at all (401); another desk's officer is refused.
    assert client.get("/api/v1/aid/donations").status_code == (403 if role else 401)
    assert Donation.objects.count() == 1


def test_signed_out_is_sent_to_sign_in(client, donation):
    assert client.get("/aid/").status_code == 302
    assert client.get("/api/v1/aid/donations").status_code == 401
