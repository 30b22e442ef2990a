"""The incident refusals through the pages (``test_incident_refusals`` has them through the
services): the officer sees the batch's page again with the refusal's message, answered with its
4xx status, and nothing is written. There is no incident API."""

import pytest

from liaison.core.models import AuditEntry
from liaison.handover import services
from liaison.handover.models import Incident
from tests.handover.conftest import ready

pytestmark = pytest.mark.django_db
# Audit entries of a write; a refusal may leave a read or a denial, never one of these.
WRITES = (AuditEntry.Action.CREATE, AuditEntry.Action.UPDATE, AuditEntry.Action.DELETE)


def writes() -> tuple:
    return (
        list(Incident.objects.values_list("pk", "resolution", "resolved_at")),
        AuditEntry.objects.filter(action__in=WRITES).count(),
    )


def told(response, status: int = 400) -> list[str]:
    """The messages above the batch's page, shown again with the refusal's status."""
    assert response.status_code == status
    assert not response.redirect_chain, "a refusal is an answer, not a redirect"
    assert "batch" in response.context  # the batch's own page
    return [str(m) for m in response.context["messages"]]


@pytest.fixture
def yubei_desk(yubei_receiving_officer, signed_in):
    client = signed_in(yubei_receiving_officer)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def report(client, batch, **form):
    return client.post(f"/handover/receiving/batches/{batch.pk}/incident/", form, follow=True)


def test_a_report_without_a_kind_or_a_note_is_sent_back(departed_batch, yubei_desk):
    before = writes()
    for form in ({"kind": "lost", "note": "x"}, {"kind": "missing", "note": "  "}, {}):
        response = report(yubei_desk, departed_batch, **form)
        assert response.context["batch"].pk == departed_batch.pk
        assert told(response) == ["Choose what happened and describe it."], form
    assert writes() == before


def test_a_missing_code_must_be_in_the_batch_and_not_received(
    departed_batch, yubei_receiving_officer, yubei_desk
):
    member = departed_batch.members.select_related("arrival").first()
    services.receive(
        batch=departed_batch, arrival_code=member.arrival.code, officer=yubei_receiving_officer
    )
    before = writes()
    response = report(yubei_desk, departed_batch, kind="missing", note="gone", code="zzzz-zzzz")
    assert told(response) == ["Code ZZZZZZZZ is not in this batch."]
    code = member.arrival.code
    response = report(yubei_desk, departed_batch, kind="missing", note="gone", code=code)
    assert told(response, 409) == [f"{member.arrival.display_code} was already received."]
    assert writes() == before


def test_a_batch_not_yet_departed_has_no_incident(
    yubei, dispatcher, yubei_receiving_officer, yubei_desk
):
    planned = services.make_batch(
        destination=yubei,
        disposition="centralized_quarantine",
        vehicle="渝A·1",
        escort="Liu",
        planned_departure=ready().created_at,
        arrivals=[ready()],
        dispatcher=dispatcher,
    )
    before = writes()
    response = report(yubei_desk, planned, kind="unexpected", note="one more")
    # A planned batch is still the airport's: the receiving desk does not see it at all (the
    # service's "This batch has not departed yet." answers the other callers).
    assert response.status_code == 404
    assert writes() == before


def test_another_district_cannot_report_on_the_batch(
    departed_batch, jiangbei_receiving_officer, signed_in
):
    jiangbei_desk = signed_in(jiangbei_receiving_officer)
    before = writes()
    response = report(jiangbei_desk, departed_batch, kind="missing", note="x")
    assert response.status_code == 404
    assert writes() == before


def test_resolving_needs_a_resolution_once_and_the_dispatch_desk(
    departed_batch, yubei_receiving_officer, dispatcher, yubei_desk, signed_in
):
    incident = services.report_incident(
        batch=departed_batch, kind="unexpected", officer=yubei_receiving_officer, note="one more"
    )
    desk = signed_in(dispatcher)
    desk.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    resolve = f"/handover/dispatch/incidents/{incident.pk}/resolve/"
    before = writes()
    response = desk.post(resolve, {"resolution": "  "}, follow=True)
    assert told(response) == ["Say how the incident was resolved."]
    assert writes() == before
    assert yubei_desk.post(resolve, {"resolution": "found"}).status_code == 403
    assert writes() == before
    services.resolve_incident(incident=incident, dispatcher=dispatcher, resolution="found")
    before = writes()
    response = desk.post(resolve, {"resolution": "found again"}, follow=True)
    assert told(response, 409) == ["This incident is already resolved."]
    assert writes() == before
