"""The one hospital transfer: who may send a traveler to hospital, from where, and what it closes.

Dispatch may, for anyone still in the city's care; a district officer, for their own
travelers; the airport desk, for travelers still at the airport. Every other role is refused,
and a refusal changes nothing.
"""

import pytest

from liaison.arrivals.models import ArrivalEvent
from liaison.arrivals.states import ArrivalState
from liaison.core.models import AuditEntry, Site
from liaison.core.refusals import Refused
from liaison.core.roles import Role
from liaison.handover import services
from liaison.handover.models import Batch
from tests.conftest import make_user
from tests.handover.conftest import declare, ready, sampled, screened

S = ArrivalState


def _hospital() -> Site:
    return Site.objects.get(code="HOSP-YB-01")


def _unchanged(arrival, state: str) -> None:
    arrival.refresh_from_db()
    assert arrival.state == state
    assert not ArrivalEvent.objects.filter(arrival=arrival, to_state=S.IN_HOSPITAL).exists()


def test_the_airport_desk_sends_a_traveler_still_at_the_airport(airport_desk_officer):
    arrival = sampled(screened(declare()))
    event = services.transfer_to_hospital(
        arrival=arrival,
        officer=airport_desk_officer,
        hospital=_hospital(),
        reason="Collapsed at the sampling site",
    )
    arrival.refresh_from_db()
    assert arrival.state == S.IN_HOSPITAL
    assert (event.from_state, event.to_state) == (S.SAMPLED, S.IN_HOSPITAL)
    assert event.actor == airport_desk_officer
    assert event.why == "Collapsed at the sampling site"
    assert event.data == {"kind": "to_hospital_because", "hospital": "HOSP-YB-01"}


def test_the_airport_desk_may_not_send_a_traveler_already_handed_over(
    departed_batch, airport_desk_officer
):
    member = departed_batch.members.select_related("arrival").first()
    with pytest.raises(Refused) as refused:
        services.transfer_to_hospital(
            arrival=member.arrival, officer=airport_desk_officer, reason="fever en route"
        )
    assert refused.value.message == (
        "This traveler has left the airport; ask dispatch or their district."
    )
    _unchanged(member.arrival, S.IN_HANDOVER)


def test_dispatch_sends_anyone_still_in_the_citys_care(departed_batch, dispatcher):
    at_the_airport = screened(declare())
    member = departed_batch.members.select_related("arrival").first()
    for arrival in (at_the_airport, member.arrival):
        services.transfer_to_hospital(arrival=arrival, officer=dispatcher, reason="fever")
        arrival.refresh_from_db()
        assert arrival.state == S.IN_HOSPITAL


def test_a_district_officer_sends_their_own_traveler_and_not_another_districts(
    departed_batch, yubei_receiving_officer, jiangbei_receiving_officer
):
    first, second = departed_batch.members.select_related("arrival").order_by("id")[:2]
    denials = AuditEntry.objects.filter(action=AuditEntry.Action.DENIED).count()
    with pytest.raises(services.OtherJurisdiction):
        services.transfer_to_hospital(
            arrival=first.arrival, officer=jiangbei_receiving_officer, reason="fever"
        )
    _unchanged(first.arrival, S.IN_HANDOVER)
    # The refusal for another district is in the audit trail, once.
    assert AuditEntry.objects.filter(action=AuditEntry.Action.DENIED).count() == denials + 1

    services.transfer_to_hospital(
        arrival=second.arrival, officer=yubei_receiving_officer, reason="fever"
    )
    second.arrival.refresh_from_db()
    assert second.arrival.state == S.IN_HOSPITAL


@pytest.mark.parametrize("role", [Role.SAMPLING, Role.LAB, Role.ASSISTANCE, Role.LEADERSHIP])
def test_other_roles_are_refused(city, role):
    arrival = screened(declare())
    officer = make_user(f"someone-{role}", role)
    with pytest.raises(Refused) as refused:
        services.transfer_to_hospital(arrival=arrival, officer=officer, reason="fever")
    assert refused.value.message == "Your role may not do this."
    _unchanged(arrival, S.SCREENED)


def test_without_a_hospital_disposition_the_officer_says_why(dispatcher):
    arrival = ready()
    with pytest.raises(Refused) as refused:
        services.transfer_to_hospital(arrival=arrival, officer=dispatcher, reason="  ")
    assert refused.value.message == "Say why the traveler goes to hospital."
    _unchanged(arrival, S.DISPOSED)
    # A hospital disposition is its own reason.
    feverish = screened(declare(), celsius="38.4")
    event = services.transfer_to_hospital(arrival=feverish, officer=dispatcher)
    assert (event.why, event.data) == ("", {"kind": "to_hospital"})


def test_only_a_designated_hospital_receives(dispatcher):
    arrival = ready()
    hotel = Site.objects.filter(kind=Site.Kind.QUARANTINE_HOTEL).first()
    with pytest.raises(Refused) as refused:
        services.transfer_to_hospital(
            arrival=arrival, officer=dispatcher, hospital=hotel, reason="fever"
        )
    assert refused.value.message == "Choose a designated hospital."
    _unchanged(arrival, S.DISPOSED)


def test_a_traveler_who_left_the_citys_care_cannot_go_to_hospital(dispatcher):
    arrival = ready()
    services.transfer_to_hospital(arrival=arrival, officer=dispatcher, reason="fever")
    events = ArrivalEvent.objects.filter(arrival=arrival).count()
    with pytest.raises(Refused):
        services.transfer_to_hospital(arrival=arrival, officer=dispatcher, reason="again")
    assert ArrivalEvent.objects.filter(arrival=arrival).count() == events


def test_the_batch_closes_when_its_last_traveler_in_transit_goes_to_hospital(
    departed_batch, dispatcher, yubei_receiving_officer
):
    first, second, third = departed_batch.members.select_related("arrival").order_by("id")
    services.transfer_to_hospital(arrival=first.arrival, officer=dispatcher, reason="fever")
    departed_batch.refresh_from_db()
    assert departed_batch.status == Batch.Status.DEPARTED  # two are still on the road
    services.receive(
        batch=departed_batch, arrival_code=second.arrival.code, officer=yubei_receiving_officer
    )
    departed_batch.refresh_from_db()
    assert departed_batch.status == Batch.Status.DEPARTED
    services.transfer_to_hospital(
        arrival=third.arrival, officer=yubei_receiving_officer, reason="fever"
    )
    departed_batch.refresh_from_db()
    assert departed_batch.status == Batch.Status.CLOSED
    assert departed_batch.closed_at is not None
    assert not departed_batch.members.filter(open=True).exists()


# --- the desk's page ----------------------------------------------------------------------------


def test_the_desk_page_sends_a_traveler_to_a_chosen_hospital(airport_desk_officer, signed_in):
    from django.conf import settings

    arrival = screened(declare())
    client = signed_in(airport_desk_officer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = f"/screening/desk/{arrival.pk}/"
    assert 'data-testid="hospital-form"' in client.get(page).content.decode()

    refused = client.post(page, {"action": "hospital", "reason": ""})
    assert refused.status_code == 400
    assert "Say why the traveler goes to hospital." in refused.content.decode()
    _unchanged(arrival, S.SCREENED)

    response = client.post(
        page, {"action": "hospital", "hospital": _hospital().pk, "reason": "Fainted at the desk"}
    )
    assert response.status_code == 302
    event = ArrivalEvent.objects.get(arrival=arrival, to_state=S.IN_HOSPITAL)
    assert (event.actor, event.why) == (airport_desk_officer, "Fainted at the desk")
    assert event.data == {"kind": "to_hospital_because", "hospital": "HOSP-YB-01"}
    # In hospital, the traveler has left the airport: the page offers no second transfer.
    assert 'data-testid="hospital-form"' not in client.get(page).content.decode()
