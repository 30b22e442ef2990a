"""How many of "its" people an organization has in the pipeline today (issue 14, point 4).

A consulate counts the nationals of its consular district. The Hong Kong and Macao offices count
the residents travelling on their Mainland Travel Permit for Hong Kong and Macao Residents (a
Hong Kong permit's number begins with H, a Macao one's with M): Chinese nationals, so never by
nationality. The travelers are brought through the real services: declared, in hospital, and
received into quarantine at the end of a handover.
"""

import pytest
from django.utils import timezone

from liaison.directory import selectors
from liaison.directory.models import Organization
from liaison.handover import services as handover
from liaison.handover.services import transfer_to_hospital
from tests.conftest import make_user
from tests.handover.conftest import declare, ready, staff

pytestmark = pytest.mark.django_db

HK_PERMIT = {"nationality": "CN", "document_type": "mainland_travel_permit_hk_mo"}


def _hong_kong_resident(number: str, **changes):
    return {**HK_PERMIT, "document_number": number, "surname_latin": "CHAN", **changes}


def _received(yubei, dispatcher, **changes):
    """Through the airport, a batch to Yubei, confirmed there: in quarantine."""
    traveler = ready(**changes)
    batch = handover.make_batch(
        destination=yubei,
        disposition="centralized_quarantine",
        vehicle="渝A·HK",
        escort="Liu",
        planned_departure=timezone.now(),
        arrivals=[traveler],
        dispatcher=dispatcher,
    )
    handover.mark_departed(batch=batch, dispatcher=dispatcher)
    officer = make_user("yubei-receiving", "district_receiving", jurisdiction=yubei)
    handover.receive(batch=batch, arrival_code=traveler.code, officer=officer)
    return traveler


@pytest.fixture
def travelers(yubei, dispatcher):
    """Three Hong Kong residents on their permit, one Macao resident, a Chinese passport holder
    and a Korean tourist."""
    declare(**_hong_kong_resident("H10000001"))
    in_hospital = declare(**_hong_kong_resident("H10000002"))
    transfer_to_hospital(arrival=in_hospital, officer=dispatcher, reason="fever at the gate")
    _received(yubei, dispatcher, **_hong_kong_resident("H10000003"))
    declare(**{**HK_PERMIT, "document_number": "M10000004", "surname_latin": "LEONG"})
    declare(nationality="CN", document_number="E10000005", surname_latin="WANG")
    declare(nationality="KR", document_number="M10000006")


@pytest.fixture
def dispatcher(city):
    return staff("test-dispatch", "dispatch")


def _counts(code: str, user) -> dict:
    organization = Organization.objects.get(code=code)
    counts = selectors.nationals_in_pipeline(organization, user)
    return {k: counts[k] for k in ("declared", "in_quarantine", "in_hospital")}


def test_the_hong_kong_offices_count_their_residents_by_permit_not_nationality(travelers, leader):
    hong_kong = {"declared": 1, "in_quarantine": 1, "in_hospital": 1}
    # The Chongqing liaison unit names no district: its residents anywhere in the city.
    assert _counts("HK-LU-CKG", leader) == hong_kong
    assert _counts("HK-ETO-CTU", leader) == hong_kong  # its district covers Chongqing (50)
    # The Macao resident's permit begins with M; the Chinese passport holder is nobody's.
    assert _counts("MO-OFF-BJ", leader) == {"declared": 1, "in_quarantine": 0, "in_hospital": 0}


def test_a_consulate_still_counts_its_nationals(travelers, leader):
    assert _counts("KR-CG-CTU", leader) == {"declared": 1, "in_quarantine": 0, "in_hospital": 0}


def test_the_offices_page_shows_the_counts_without_a_link_by_nationality(
    travelers, leader, signed_in
):
    client = signed_in(leader)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    office = Organization.objects.get(code="HK-LU-CKG")
    text = client.get(f"/directory/{office.pk}/").content.decode()
    table = text.split('data-testid="pipeline"')[1].split("</table>")[0]
    assert [cell.split("</td>")[0] for cell in table.split("<td>")[1:]] == ["1", "1", "1"]
    assert "on their Mainland Travel Permit" in text
    # Leadership sees the board, so it may follow a consulate's link; there is none by permit.
    assert 'data-testid="pipeline-link"' not in text
    korea = Organization.objects.get(code="KR-CG-CTU")
    assert "?nationality=KR" in client.get(f"/directory/{korea.pk}/").content.decode()
