"""Escalation timing, with the clock passed in (neither time-machine nor freezegun is installed:
every service takes ``now``/``at``, and so the tests set the instant exactly)."""

from datetime import timedelta

import pytest

from liaison.core.refusals import Refused
from liaison.incidents import escalation, services
from liaison.incidents.models import EscalationNotice, Incident, IncidentEvent, Kind, Status
from liaison.notifications.models import Notification
from tests.incidents.conftest import T0

M = timedelta(minutes=1)


def _incident(by, severity=1, **extra) -> Incident:
    return services.report(
        kind=Kind.SECURITY, severity=severity, title="Crowd at gate 3", by=by, at=T0, **extra
    )


def told(incident) -> list[tuple[int, int, str]]:
    return list(
        EscalationNotice.objects.filter(incident=incident)
        .order_by("sent_at", "position", "round")
        .values_list("position", "round", "recipient__username")
    )


@pytest.mark.parametrize(("severity", "minutes"), [(1, 5), (2, 15), (3, 30), (4, 60), (5, 240)])
def test_the_deadline_follows_the_severity(duty_officer, severity, minutes):
    incident = _incident(duty_officer, severity)
    assert incident.ack_due_at == T0 + minutes * M


def test_nobody_is_told_before_the_deadline(chain, duty_officer):
    incident = _incident(duty_officer)
    assert escalation.escalate_due(now=T0 + 5 * M - timedelta(seconds=1)) == 0
    assert told(incident) == []


def test_each_step_is_told_once_in_order_then_the_top_again(chain, duty_officer):
    incident = _incident(duty_officer)  # severity 1: due at T0+5
    escalation.escalate_due(now=T0 + 5 * M)
    assert told(incident) == [(1, 0, "he-duty")]
    escalation.escalate_due(now=T0 + 14 * M)
    assert told(incident) == [(1, 0, "he-duty")]
    escalation.escalate_due(now=T0 + 15 * M)
    assert told(incident)[-1] == (2, 0, "qian-chief")
    escalation.escalate_due(now=T0 + 35 * M)
    assert told(incident)[-1] == (3, 0, "zhao-dg")
    # Every 15 minutes after the top was told, the top is told again.
    escalation.escalate_due(now=T0 + 49 * M)
    assert len(told(incident)) == 3
    escalation.escalate_due(now=T0 + 50 * M)
    assert told(incident)[-1] == (3, 1, "zhao-dg")
    assert Notification.objects.filter(user__username="zhao-dg").count() == 2


def test_a_scan_that_was_down_tells_every_step_due_once(chain, duty_officer):
    incident = _incident(duty_officer)
    escalation.escalate_due(now=T0 + 60 * M)
    assert [(p, r) for p, r, _u in told(incident)] == [(1, 0), (2, 0), (3, 0), (3, 1)]


def test_running_twice_at_the_same_instant_tells_nobody_twice(chain, duty_officer):
    incident = _incident(duty_officer)
    first = escalation.escalate_due(now=T0 + 15 * M)
    again = escalation.escalate_due(now=T0 + 15 * M)
    assert (first, again) == (2, 0)
    assert len(told(incident)) == 2
    assert Notification.objects.filter(user__username="qian-chief").count() == 1
    escalated = IncidentEvent.objects.filter(incident=incident, code="escalated")
    assert escalated.count() == 2


def test_an_acknowledged_incident_stops_escalating(chain, duty_officer, duty_chief):
    incident = _incident(duty_officer)
    escalation.escalate_due(now=T0 + 15 * M)
    services.acknowledge(incident=incident, by=duty_chief, at=T0 + 16 * M)
    assert escalation.escalate_due(now=T0 + 90 * M) == 0
    incident.refresh_from_db()
    assert incident.status == Status.ACKNOWLEDGED
    assert (incident.acknowledged_by, incident.owner) == (duty_chief, duty_chief)


def test_an_acknowledgement_by_someone_off_the_chain_is_refused(chain, duty_officer, city):
    from liaison.core.roles import Role
    from tests.conftest import make_user

    outsider = make_user("luo-duty", Role.DUTY)
    incident = _incident(duty_officer)
    with pytest.raises(Refused) as refused:
        services.acknowledge(incident=incident, by=outsider, at=T0 + M)
    assert refused.value.status == 403
    incident.refresh_from_db()
    assert incident.status == Status.OPEN and incident.acknowledged_by is None
    assert not IncidentEvent.objects.filter(incident=incident, code="moved").exists()


def test_without_a_chain_nobody_is_told(duty_officer):
    incident = _incident(duty_officer)
    assert escalation.escalate_due(now=T0 + 60 * M) == 0
    assert told(incident) == []


def test_a_step_by_post_reaches_whoever_holds_it_on_the_roster(duty_officer, duty_chief):
    """The chain's step names a post; the roster (liaison.duty) says who holds it then, and
    that person may acknowledge."""
    from liaison.duty import services as roster
    from liaison.incidents.models import EscalationStep, Post

    EscalationStep.objects.create(position=1, post=Post.DUTY_CHIEF)
    roster.add_shift(
        by=duty_officer,
        data=roster.ShiftInput(
            officer_id=duty_chief.pk, post="duty_chief", starts_at=T0, ends_at=T0 + 8 * 60 * M
        ),
    )
    incident = _incident(duty_officer)
    escalation.escalate_due(now=T0 + 5 * M)
    assert told(incident) == [(1, 0, "qian-chief")]
    services.acknowledge(incident=incident, by=duty_chief, at=T0 + 6 * M)
    # Off the roster after the shift, the chief is no longer on the chain.
    later = _incident(duty_officer, severity=5)
    with pytest.raises(Refused):
        services.acknowledge(incident=later, by=duty_chief, at=T0 + 9 * 60 * M)
