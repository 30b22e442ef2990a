"""The incident's moves, one table: each with its event, an invalid move a 409 that changes
nothing, a close needs its summary, a reopen its reason; actions are appended."""

from datetime import timedelta

import pytest

from liaison.core.refusals import Conflict, Refused
from liaison.incidents import events, services
from liaison.incidents.models import Incident, IncidentEvent, Kind, Status
from tests.incidents.conftest import T0

M = timedelta(minutes=1)


@pytest.fixture
def incident(duty_officer, chain):
    return services.report(
        kind=Kind.CONSULAR, severity=3, title="Detained national", by=duty_officer, at=T0
    )


def codes(incident) -> list[str]:
    return list(IncidentEvent.objects.filter(incident=incident).values_list("code", flat=True))


def test_the_whole_life_of_an_incident(incident, duty_officer, duty_chief):
    services.acknowledge(incident=incident, by=duty_officer, at=T0 + M)
    services.act(incident=incident, text="Called the consulate.", by=duty_officer, at=T0 + 2 * M)
    services.assign(incident=incident, owner=duty_chief, by=duty_officer, at=T0 + 3 * M)
    services.move(incident=incident, to=Status.IN_PROGRESS, by=duty_chief, at=T0 + 4 * M)
    services.move(
        incident=incident, to=Status.CLOSED, text="Released.", by=duty_chief, at=T0 + 9 * M
    )
    incident.refresh_from_db()
    assert (incident.status, incident.summary, incident.owner) == (
        "closed",
        "Released.",
        duty_chief,
    )
    assert incident.closed_at == T0 + 9 * M
    assert codes(incident) == ["reported", "moved", "action", "assigned", "moved", "moved"]
    services.move(
        incident=incident,
        to=Status.ACKNOWLEDGED,
        text="Detained again.",
        by=duty_chief,
        at=T0 + 60 * M,
    )
    incident.refresh_from_db()
    assert incident.status == Status.ACKNOWLEDGED and incident.closed_at is None
    last = IncidentEvent.objects.filter(incident=incident).last()
    assert last.data == {"from": "closed", "to": "acknowledged"} and last.text == "Detained again."
    assert events.sentence(last) == "Closed → Acknowledged."


def test_a_move_the_table_does_not_allow_is_a_conflict_and_changes_nothing(incident, duty_officer):
    with pytest.raises(Conflict):
        services.move(incident=incident, to=Status.CLOSED, text="x", by=duty_officer, at=T0 + M)
    incident.refresh_from_db()
    assert incident.status == Status.OPEN and codes(incident) == ["reported"]


@pytest.mark.parametrize("to", [Status.CLOSED])
def test_closing_needs_its_summary(incident, duty_officer, to):
    services.acknowledge(incident=incident, by=duty_officer, at=T0 + M)
    with pytest.raises(Refused) as refused:
        services.move(incident=incident, to=to, text="  ", by=duty_officer, at=T0 + 2 * M)
    assert refused.value.field == "text"
    assert Incident.objects.get(pk=incident.pk).status == Status.ACKNOWLEDGED


@pytest.mark.parametrize("severity", [0, 6, "x", None])
def test_a_severity_outside_1_to_5_is_refused(duty_officer, severity):
    with pytest.raises(Refused):
        services.report(kind=Kind.OTHER, severity=severity, title="t", by=duty_officer, at=T0)
    assert not Incident.objects.exists()


def test_leadership_reads_but_does_not_report(director_general):
    with pytest.raises(Refused) as refused:
        services.report(kind=Kind.OTHER, severity=3, title="t", by=director_general, at=T0)
    assert refused.value.status == 403


def test_a_closed_incident_takes_no_action(incident, duty_officer):
    services.acknowledge(incident=incident, by=duty_officer, at=T0 + M)
    services.move(incident=incident, to=Status.CLOSED, text="Done.", by=duty_officer, at=T0 + 2 * M)
    with pytest.raises(Conflict):
        services.act(incident=incident, text="late", by=duty_officer, at=T0 + 3 * M)
    assert codes(incident).count("action") == 0
