"""Travelers see their own data through their private link, download it, and ask for a
correction that reaches the health desk's queue (PIPL art. 45 and 46)."""

import json

import pytest
from django.test import Client

from liaison.arrivals.models import Arrival
from liaison.core.models import AuditEntry
from liaison.retention import runs
from liaison.retention.models import CorrectionRequest
from tests.retention.conftest import declare, on_day

pytestmark = pytest.mark.django_db


@pytest.fixture
def traveler(city, clock):
    return declare(email="minjun@example.com", language="en")


def _link(arrival: Arrival, tail: str = "") -> str:
    return f"/declare/status/{arrival.status_token}/{tail}"


def test_the_status_page_says_when_the_data_is_anonymized_and_links_to_it(traveler):
    page = Client().get(_link(traveler), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'data-testid="your-data-link"' in page
    # Still "declared" (never screened): 28 days after the arrival, 20 March 2020.
    assert "Your personal data will be anonymized on 2020-04-17." in page


def test_the_traveler_sees_everything_held_about_them(traveler):
    response = Client().get(_link(traveler, "your-data/"), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    page = response.content.decode()
    assert traveler.document_number in page and traveler.phone in page
    assert "Every version submitted" in page
    assert AuditEntry.objects.filter(
        action="read", object_type="arrivals.arrival", object_id=str(traveler.pk)
    ).exists()


def test_the_traveler_downloads_their_data_as_a_file(traveler):
    response = Client().get(_link(traveler, "your-data.json"))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert "no-store" in response["Cache-Control"]
    data = json.loads(response.content)
    sections = {s["key"]: s["records"] for s in data["sections"]}
    declaration = sections["declaration"][0]
    assert declaration["document_number"] == traveler.document_number
    assert declaration["email"] == "minjun@example.com"
    assert "status_token" not in declaration and "facts" not in declaration
    assert len(sections["versions"]) == 1
    assert traveler.status_token not in response.content.decode()
    assert AuditEntry.objects.filter(
        action="export", object_type="arrivals.arrival", object_id=str(traveler.pk)
    ).exists()


def test_a_correction_request_reaches_the_desk_queue(traveler, airport_desk_officer, signed_in):
    reason = "My given name is MIN-JUN, not MINJUN"
    response = Client().post(_link(traveler, "correction/"), {"reason": reason})
    assert response.status_code == 302 and response["Location"].endswith("?asked=1")
    request = CorrectionRequest.objects.get(arrival=traveler)
    assert (request.reason, request.status) == (reason, "open")
    # Sent twice (a second tap): still one request in the queue.
    twice = Client().post(_link(traveler, "correction/"), {"reason": reason})
    assert twice.status_code == 302
    assert CorrectionRequest.objects.filter(arrival=traveler).count() == 1

    desk = signed_in(airport_desk_officer)
    queue = desk.get("/retention/corrections/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert reason in queue and traveler.display_code in queue
    answer = desk.get("/api/v1/retention/corrections").json()
    assert [r["reason"] for r in answer] == [reason]
    resolved = desk.post(
        f"/api/v1/retention/corrections/{request.pk}/resolve",
        {"resolution": "Corrected in a staff version"},
        content_type="application/json",
    )
    assert resolved.status_code == 200 and resolved.json()["status"] == "resolved"
    again = desk.post(
        f"/api/v1/retention/corrections/{request.pk}/resolve",
        {"resolution": "again"},
        content_type="application/json",
    )
    assert again.status_code == 409


def test_a_correction_without_a_reason_is_refused_and_nothing_is_stored(traveler):
    response = Client().post(_link(traveler, "correction/"), {"reason": "  "})
    assert response.status_code == 400
    assert not CorrectionRequest.objects.exists()


def test_an_unknown_link_is_a_404(city):
    assert Client().get("/declare/status/nope/your-data/").status_code == 404
    assert Client().get("/declare/status/nope/your-data.json").status_code == 404
    assert Client().post("/declare/status/nope/correction/", {"reason": "x"}).status_code == 404


def test_after_anonymization_the_link_says_so_and_holds_nothing(traveler, clock):
    on_day(clock, 28)
    runs.run()
    page = Client().get(_link(traveler, "your-data/"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Your personal data was anonymized on 2020-04-17" in page
    assert traveler.document_number not in page and traveler.phone not in page
    response = Client().post(_link(traveler, "correction/"), {"reason": "please"})
    assert response.status_code == 409


@pytest.mark.parametrize("language", ["fa", "ar", "ko", "zh-hans"])
def test_the_traveler_pages_come_in_the_travelers_language(traveler, language):
    Arrival.objects.filter(pk=traveler.pk).update(language=language)
    page = Client().get(_link(traveler, "your-data/")).content.decode()
    assert f'lang="{language}"' in page
    assert ('dir="rtl"' in page) == (language in {"fa", "ar"})
    assert "This is everything Liaison holds about you." not in page


def test_correction_requests_share_the_declaration_forms_limit_per_address(traveler, settings):
    settings.LIAISON_DECLARATION_RATE = "2/min"
    client = Client()
    statuses = [
        client.post(_link(traveler, "correction/"), {"reason": f"try {n}"}).status_code
        for n in range(3)
    ]
    assert statuses == [302, 302, 429]
    assert CorrectionRequest.objects.count() == 2
