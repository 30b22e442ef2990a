"""Every refusal of the incident services, each with its message, and nothing written."""

import pytest

from liaison.core.refusals import Refused
from liaison.handover import services
from liaison.handover.models import Batch, Incident

pytestmark = pytest.mark.django_db


def refused(message: str, **kwargs):
    before = Incident.objects.count()
    with pytest.raises(Refused) as error:
        services.report_incident(**kwargs)
    assert str(error.value.message) == message
    assert Incident.objects.count() == before


def test_a_batch_not_yet_departed_has_no_incident(yubei, dispatcher, yubei_receiving_officer):
    from tests.handover.conftest import ready

    travelers = [ready()]
    planned = services.make_batch(
        destination=yubei,
        disposition="centralized_quarantine",
        vehicle="渝A·1",
        escort="Liu",
        planned_departure=travelers[0].created_at,
        arrivals=travelers,
        dispatcher=dispatcher,
    )
    assert planned.status == Batch.Status.PLANNED
    refused(
        "This batch has not departed yet.",
        batch=planned,
        kind="missing",
        officer=yubei_receiving_officer,
        note="x",
    )


def test_the_kind_must_be_missing_or_unexpected(departed_batch, yubei_receiving_officer):
    refused(
        "Choose missing or unexpected.",
        batch=departed_batch,
        kind="lost",
        officer=yubei_receiving_officer,
        note="x",
    )


def test_a_missing_code_must_be_in_the_batch(departed_batch, yubei_receiving_officer):
    refused(
        "Code ZZZZZZZZ is not in this batch.",
        batch=departed_batch,
        kind="missing",
        officer=yubei_receiving_officer,
        note="not on the bus",
        arrival_code="zzzz-zzzz",
    )


def test_someone_received_is_not_missing(departed_batch, yubei_receiving_officer):
    member = departed_batch.members.select_related("arrival").first()
    services.receive(
        batch=departed_batch, arrival_code=member.arrival.code, officer=yubei_receiving_officer
    )
    refused(
        f"{member.arrival.display_code} was already received.",
        batch=departed_batch,
        kind="missing",
        officer=yubei_receiving_officer,
        note="not on the bus",
        arrival_code=member.arrival.code,
    )


def test_another_districts_officer_cannot_report_on_this_batch(
    departed_batch, jiangbei_receiving_officer
):
    before = Incident.objects.count()
    with pytest.raises(Refused):
        services.report_incident(
            batch=departed_batch, kind="missing", officer=jiangbei_receiving_officer, note="x"
        )
    assert Incident.objects.count() == before


def test_resolving_needs_a_resolution_and_the_dispatch_desk(
    departed_batch, yubei_receiving_officer, dispatcher
):
    incident = services.report_incident(
        batch=departed_batch, kind="unexpected", officer=yubei_receiving_officer, note="one more"
    )
    with pytest.raises(Refused) as error:
        services.resolve_incident(incident=incident, dispatcher=dispatcher, resolution="  ")
    assert error.value.message == "Say how the incident was resolved."
    with pytest.raises(Refused):
        services.resolve_incident(
            incident=incident, dispatcher=yubei_receiving_officer, resolution="found"
        )
    incident.refresh_from_db()
    assert incident.resolved_at is None and incident.resolution == ""
