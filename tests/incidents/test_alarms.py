"""The pipeline's alarms open incidents by themselves: one per cause, however often the scan
runs; a cause already handled (closed) is not opened again."""

from datetime import timedelta

from django.utils import timezone

from liaison.handover import services as handover
from liaison.handover.models import Batch
from liaison.incidents import services
from liaison.incidents.alarms import open_alarm_incidents
from liaison.incidents.models import Incident, Kind, Status
from tests.handover.conftest import declare, sampled, screened, to_disposition


def test_a_positive_result_opens_one_incident_of_severity_1(city, duty_officer, chain):
    arrival = to_disposition(declare(), None, result="positive")
    now = timezone.now()
    opened = open_alarm_incidents(now=now)
    assert [(i.kind, i.severity, i.arrival_id, i.cause) for i in opened] == [
        (Kind.POSITIVE, 1, arrival.pk, f"positive:{arrival.pk}")
    ]
    assert opened[0].ack_due_at == now + timedelta(minutes=5)
    assert open_alarm_incidents(now=now) == []
    assert open_alarm_incidents(now=now + timedelta(minutes=1)) == []
    assert Incident.objects.count() == 1


def test_a_closed_cause_is_not_opened_again(city, duty_officer, chain):
    to_disposition(declare(), None, result="positive")
    now = timezone.now()
    (incident,) = open_alarm_incidents(now=now)
    services.acknowledge(incident=incident, by=duty_officer, at=now)
    services.move(
        incident=incident, to=Status.CLOSED, text="Ambulance called.", by=duty_officer, at=now
    )
    assert open_alarm_incidents(now=now + timedelta(minutes=5)) == []


def test_a_fever_at_the_desk_opens_one(city):
    arrival = screened(declare(), celsius="38.6")
    (incident,) = open_alarm_incidents(now=timezone.now())
    assert (incident.kind, incident.severity, incident.arrival_id) == (Kind.FEVER, 2, arrival.pk)
    assert incident.display_title() == "Fever at the desk"


def test_a_result_waiting_too_long_opens_one_only_after_the_wait(city, settings):
    arrival = sampled(screened(declare()))
    now = timezone.now()
    assert open_alarm_incidents(now=now) == []
    later = now + timedelta(hours=settings.LIAISON_RESULT_WAIT_HOURS, minutes=1)
    (incident,) = open_alarm_incidents(now=later)
    assert (incident.kind, incident.cause) == (Kind.RESULT_OVERDUE, f"result:{arrival.pk}")


def test_a_batch_not_confirmed_in_time_and_a_missing_person(departed_batch, settings, yubei):
    later = timezone.now() + timedelta(hours=settings.LIAISON_BATCH_CONFIRM_HOURS, minutes=1)
    opened = open_alarm_incidents(now=later)
    assert [(i.kind, i.batch_id) for i in opened] == [(Kind.BATCH_UNCONFIRMED, departed_batch.pk)]
    assert open_alarm_incidents(now=later) == []
    assert Batch.objects.get(pk=departed_batch.pk).status == Batch.Status.DEPARTED


def test_a_missing_person_at_receipt_opens_one(departed_batch, yubei_receiving_officer):
    member = departed_batch.members.select_related("arrival").first()
    receipt = handover.report_incident(
        batch=departed_batch,
        kind="missing",
        officer=yubei_receiving_officer,
        note="Not on the bus at Yubei.",
        arrival_code=member.arrival.code,
    )
    (incident,) = open_alarm_incidents(now=timezone.now())
    assert (incident.kind, incident.cause) == (Kind.MISSING_PERSON, f"missing:{receipt.pk}")
    assert (incident.batch_id, incident.arrival_id) == (departed_batch.pk, member.arrival_id)
