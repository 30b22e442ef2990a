"""The pages: the queue and its filters, the detail with its history, the forms, exercise mode
marked everywhere and kept out of the counts, the home page's waiting items."""

from datetime import timedelta

import pytest
from django.utils import timezone

from liaison.incidents import services
from liaison.incidents.models import EscalationStep, Incident, Kind, Status


@pytest.fixture
def client(signed_in, duty_officer):
    """The duty officer, reading the pages in English."""
    client = signed_in(duty_officer)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    return client


def _incident(by, **extra):
    return services.report(
        kind=Kind.OTHER,
        severity=3,
        title=extra.pop("title", "Lost passport"),
        by=by,
        at=timezone.now(),
        **extra,
    )


def test_queue_filters_and_bad_filter(client, duty_officer):
    _incident(duty_officer, title="Real one")
    _incident(duty_officer, title="Drill one", exercise=True)
    page = client.get("/incidents/")
    assert page.status_code == 200
    assert b"Real one" in page.content and b"Drill one" in page.content
    assert b"EXERCISE" in page.content
    assert b"Not acknowledged: 1" in page.content  # the exercise is not counted
    real = client.get("/incidents/?exercise=false")
    assert b"Drill one" not in real.content
    assert client.get("/incidents/?severity=9").status_code == 400


def test_overdue_filter(client, duty_officer):
    old = services.report(
        kind=Kind.OTHER,
        severity=1,
        title="Old",
        by=duty_officer,
        at=timezone.now() - timedelta(hours=1),
    )
    _incident(duty_officer, title="Fresh")
    page = client.get("/incidents/?overdue=on")
    assert old.display_title().encode() in page.content and b"Fresh" not in page.content


def test_report_form_and_detail_history(client):
    response = client.post(
        "/incidents/report/",
        {"kind": "media", "severity": "2", "title": "Reporters at T3", "exercise": "on"},
    )
    assert response.status_code == 302
    assert Incident.objects.get().exercise
    detail = client.get(response["Location"])
    assert b"Reporters at T3" in detail.content
    assert b'data-testid="exercise-banner"' in detail.content
    assert b"Reported, severity 2." in detail.content


def test_a_bad_report_is_400_and_writes_nothing(client):
    assert (
        client.post(
            "/incidents/report/", {"kind": "media", "severity": "7", "title": "x"}
        ).status_code
        == 400
    )
    assert not Incident.objects.exists()


def test_acknowledge_off_the_chain_is_403_and_on_it_moves(
    client, signed_in, duty_officer, incoming_officer, chain
):
    incident = _incident(duty_officer)
    outsider = signed_in(incoming_officer)
    assert outsider.post(f"/incidents/{incident.pk}/acknowledge/").status_code == 403
    assert Incident.objects.get(pk=incident.pk).status == Status.OPEN
    assert client.post(f"/incidents/{incident.pk}/acknowledge/").status_code == 302
    assert Incident.objects.get(pk=incident.pk).status == Status.ACKNOWLEDGED


def test_a_refused_button_shows_the_incident_again_with_why(client, duty_officer):
    incident = _incident(duty_officer, title="Stranded family")
    events_before = incident.events.count()
    empty = client.post(f"/incidents/{incident.pk}/act/", {"text": ""})
    assert empty.status_code == 400
    assert b"Stranded family" in empty.content  # the incident's own page, not a dead end
    assert b"This field is required." in empty.content
    closed = client.post(f"/incidents/{incident.pk}/move/", {"to": "closed", "text": ""})
    assert closed.status_code in (400, 409)
    assert b"Stranded family" in closed.content
    assert Incident.objects.get(pk=incident.pk).status == Status.OPEN
    assert incident.events.count() == events_before


def test_home_shows_the_overdue_incident_as_urgent(client, duty_officer):
    services.report(
        kind=Kind.OTHER,
        severity=1,
        title="Old",
        by=duty_officer,
        at=timezone.now() - timedelta(hours=1),
    )
    home = client.get("/")
    assert b"Incidents past their acknowledgement deadline" in home.content


def test_handover_pages(client, signed_in, duty_officer, incoming_officer):
    _incident(duty_officer)
    written = client.post(
        "/incidents/handovers/", {"incoming": incoming_officer.pk, "note": "All quiet."}
    )
    assert written.status_code == 302
    url = written["Location"]
    assert client.post(url, {"confirmed_count": "1"}).status_code == 403
    incoming = signed_in(incoming_officer)
    incoming.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = incoming.get(url)
    assert b"Lost passport" in page.content and b'data-testid="countersign"' in page.content
    assert incoming.post(url, {"confirmed_count": "0"}).status_code == 400
    assert incoming.post(url, {"confirmed_count": "1"}).status_code == 302
    assert b'data-testid="countersigned"' in incoming.get(url).content


def test_other_desks_cannot_open_the_queue(signed_in, airport_desk_officer):
    assert signed_in(airport_desk_officer).get("/incidents/").status_code == 403


def test_the_chain_page_is_edited_by_the_named_duty_chief_not_by_an_officer(
    signed_in, chain, duty_chief, incoming_officer
):
    form = {
        "form-TOTAL_FORMS": "1",
        "form-INITIAL_FORMS": "0",
        "form-0-post": "duty_officer",
        "form-0-after_minutes": "0",
    }
    officer = signed_in(incoming_officer)
    assert officer.post("/incidents/chain/", form).status_code == 403
    assert EscalationStep.objects.count() == 3
    chief = signed_in(duty_chief)
    assert chief.post("/incidents/chain/", form).status_code == 302
    assert list(EscalationStep.objects.values_list("post", flat=True)) == ["duty_officer"]
