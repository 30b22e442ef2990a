"""Dispatch, receipt and board pages, the manifest (page and PDF) and the API, over HTTP."""

import pytest
from django.utils import timezone

from liaison.arrivals.states import ArrivalState
from liaison.core.models import AuditEntry
from liaison.handover.models import Batch, BatchMember
from tests import poppler
from tests.handover.conftest import ready

pytestmark = pytest.mark.django_db
S = ArrivalState


def test_dispatcher_groups_makes_a_batch_and_marks_departure(dispatcher, yubei, signed_in):
    travelers = [ready() for _ in range(3)] + [ready("home_quarantine")]
    client = signed_in(dispatcher)
    page = client.get("/handover/dispatch/").content.decode()
    group = f"/handover/dispatch/ready/{yubei.pk}/centralized_quarantine/"
    # The group's row: its count of travelers, then the link that makes a batch of them.
    assert f'<td>3</td>\n<td><a href="{group}">' in page
    assert f'<td>1</td>\n<td><a href="/handover/dispatch/ready/{yubei.pk}/home_quarantine/">' in (
        page
    )
    assert travelers[0].display_code in client.get(group).content.decode()
    when = timezone.localtime().strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        group,
        {
            "arrival": [t.pk for t in travelers[:2]],
            "vehicle": "渝A·88888",
            "escort": "Liu Wei",
            "planned_departure": when,
        },
    )
    assert response.status_code == 302
    batch = Batch.objects.get()
    assert batch.members.count() == 2
    assert response["Location"] == f"/handover/dispatch/batches/{batch.pk}/"
    assert client.post(f"/handover/dispatch/batches/{batch.pk}/depart/").status_code == 302
    batch.refresh_from_db()
    assert batch.status == Batch.Status.DEPARTED


def test_a_batch_without_vehicle_is_refused_and_nothing_made(dispatcher, yubei, signed_in):
    traveler = ready()
    response = signed_in(dispatcher).post(
        f"/handover/dispatch/ready/{yubei.pk}/centralized_quarantine/",
        {"arrival": [traveler.pk], "vehicle": "", "escort": "", "planned_departure": "soon"},
    )
    assert response.status_code == 400
    assert not Batch.objects.exists()


def test_a_refused_button_shows_its_own_page_again_with_a_4xx(dispatcher, yubei, signed_in):
    """Departing twice, a transfer without a reason from the batch's page, a traveler seen off
    who is not an onward transfer: each answers on the page its form came from, as a 4xx, with
    the refusal's message, and changes nothing."""
    from liaison.handover import services

    traveler = ready()
    batch = services.make_batch(
        destination=yubei,
        disposition="centralized_quarantine",
        vehicle="渝A·1",
        escort="Liu",
        planned_departure=traveler.created_at,
        arrivals=[traveler],
        dispatcher=dispatcher,
    )
    services.mark_departed(batch=batch, dispatcher=dispatcher)
    client = signed_in(dispatcher)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    page = f"/handover/dispatch/batches/{batch.pk}/"

    again = client.post(f"{page}depart/")
    assert again.status_code == 409 and again.context["batch"].pk == batch.pk
    assert [str(m) for m in again.context["messages"]] == ["This batch has already departed."]

    hospital = client.post(
        f"/handover/dispatch/arrivals/{traveler.pk}/hospital/", {"reason": "", "next": page}
    )
    assert hospital.status_code == 400 and hospital.context["batch"].pk == batch.pk
    assert "Say why the traveler goes to hospital." in hospital.content.decode()

    staying = ready()
    group = f"/handover/dispatch/ready/{yubei.pk}/centralized_quarantine/"
    off = client.post(f"/handover/dispatch/arrivals/{staying.pk}/left-city/", {"next": group})
    assert off.status_code == 400
    assert staying.display_code in off.content.decode()  # the group's page, with the traveler
    assert "Only an onward transfer leaves the city." in off.content.decode()
    # A next that leads off the site falls back to the dispatch page.
    away = client.post(
        f"/handover/dispatch/arrivals/{staying.pk}/left-city/", {"next": "https://evil.example/"}
    )
    assert away.status_code == 400 and "Only an onward transfer" in away.content.decode()

    traveler.refresh_from_db()
    staying.refresh_from_db()
    assert (traveler.state, staying.state) == (S.IN_HANDOVER, S.DISPOSED)


def test_manifest_page_and_pdf_mask_document_numbers(
    departed_batch, dispatcher, signed_in, tmp_path
):
    client = signed_in(dispatcher)
    numbers = [m.arrival.document_number for m in departed_batch.members.select_related("arrival")]
    page = client.get(f"/handover/dispatch/batches/{departed_batch.pk}/manifest/")
    html = page.content.decode()
    assert page.status_code == 200 and "转运交接单" in html and "Handover manifest" in html
    assert "김민준" in html and "KIM" in html
    for number in numbers:
        assert number not in html
        assert number[-4:] in html
    pdf = client.get(f"/handover/dispatch/batches/{departed_batch.pk}/manifest.pdf")
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    (tmp_path / "manifest.pdf").write_bytes(pdf.content)
    printed = poppler.text(tmp_path / "manifest.pdf")
    assert "김민준" in printed and "KIM" in printed
    for number in numbers:
        assert number not in printed
        assert number[-4:] in printed
    exports = AuditEntry.objects.filter(action="export", actor_username="sun-dispatch")
    # One entry per request (the page, the PDF), each naming every traveler on the manifest.
    assert exports.count() == 2
    members = {str(m.arrival_id) for m in departed_batch.members.all()}
    assert all(set(e.object_ids) == members for e in exports)


def test_receiving_officer_scans_travelers_until_the_batch_closes(
    departed_batch, yubei_receiving_officer, signed_in
):
    client = signed_in(yubei_receiving_officer)
    assert departed_batch.number in client.get("/handover/receiving/").content.decode()
    url = f"/handover/receiving/batches/{departed_batch.pk}/"
    codes = [m.arrival.code for m in departed_batch.members.select_related("arrival")]
    for code in codes:
        assert client.post(url, {"code": code}).status_code == 302
    again = client.post(url, {"code": codes[0]})
    assert again.status_code == 409
    assert "wang-yubei" in again.content.decode()
    departed_batch.refresh_from_db()
    assert departed_batch.status == Batch.Status.CLOSED


def test_other_districts_batch_is_not_found_and_the_attempt_logged(
    departed_batch, jiangbei_receiving_officer, signed_in
):
    client = signed_in(jiangbei_receiving_officer)
    assert departed_batch.number not in client.get("/handover/receiving/").content.decode()
    url = f"/handover/receiving/batches/{departed_batch.pk}/"
    assert client.get(url).status_code == 404
    code = departed_batch.members.first().arrival.code
    assert client.post(url, {"code": code}).status_code == 404
    assert not BatchMember.objects.filter(confirmed_at__isnull=False).exists()
    assert AuditEntry.objects.filter(
        action="denied", actor_username="zhao-jiangbei", path=url
    ).exists()


def test_incident_report_and_quarantine_pages(departed_batch, yubei_receiving_officer, signed_in):
    client = signed_in(yubei_receiving_officer)
    url = f"/handover/receiving/batches/{departed_batch.pk}/"
    client.post(f"{url}incident/", {"kind": "unexpected", "code": "", "note": "extra person"})
    assert departed_batch.incidents.get().kind == "unexpected"
    member = departed_batch.members.select_related("arrival").first()
    client.post(url, {"code": member.arrival.code})
    quarantine_url = f"/handover/receiving/arrivals/{member.arrival_id}/"
    assert client.get(quarantine_url).status_code == 200
    response = client.post(quarantine_url, {"site": "", "planned_end": "2000-01-01"})
    assert response.status_code == 400
    end = (timezone.localdate() + timezone.timedelta(days=14)).isoformat()
    assert client.post(quarantine_url, {"site": "", "planned_end": end}).status_code == 302
    assert client.post(f"{quarantine_url}release/").status_code == 400  # not confirmed
    member.arrival.refresh_from_db()
    assert member.arrival.state == S.RECEIVED
    early = {"confirm": "on", "reason": "Negative retest; the health office agreed"}
    assert client.post(f"{quarantine_url}release/", early).status_code == 302
    member.arrival.refresh_from_db()
    assert member.arrival.state == S.RELEASED


def test_board_page_shows_numbers_links_and_alerts(departed_batch, leader, signed_in, settings):
    settings.LIAISON_BATCH_CONFIRM_HOURS = 0
    client = signed_in(leader)
    page = client.get("/handover/board/").content.decode()
    assert "/handover/board/in_transit/?day=" in page
    assert departed_batch.number in page  # overdue: threshold 0 hours
    group = client.get("/handover/board/in_transit/").content.decode()
    code = departed_batch.members.first().arrival.display_code
    assert code in group


def test_api_batches_and_receipt(
    departed_batch, yubei_receiving_officer, jiangbei_receiving_officer, signed_in
):
    yubei_client = signed_in(yubei_receiving_officer)
    listed = yubei_client.get("/api/v1/handover/batches").json()
    assert [b["id"] for b in listed] == [departed_batch.pk]
    detail = yubei_client.get(f"/api/v1/handover/batches/{departed_batch.pk}").json()
    code = detail["members"][0]["code"]
    assert all("•" in m["document"] for m in detail["members"])
    jiangbei_client = signed_in(jiangbei_receiving_officer)
    assert jiangbei_client.get("/api/v1/handover/batches").json() == []
    assert jiangbei_client.get(f"/api/v1/handover/batches/{departed_batch.pk}").status_code == 404
    response = yubei_client.post(
        f"/api/v1/handover/batches/{departed_batch.pk}/receive",
        {"code": code},
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["state"] == "received"
    again = yubei_client.post(
        f"/api/v1/handover/batches/{departed_batch.pk}/receive",
        {"code": code},
        content_type="application/json",
    )
    assert again.status_code == 409
    assert yubei_client.get("/api/v1/handover/board").status_code == 403
