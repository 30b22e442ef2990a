"""``demo_incidents``: a week of incidents through the real services; a second run adds nothing."""

import pytest
from django.core.management import call_command

from liaison.core.roles import Role
from liaison.incidents.models import EscalationStep, Handover, Incident
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


def test_the_demo_fills_a_week_once(city):
    make_user("demo-admin", Role.ADMINISTRATOR)
    make_user("demo-duty", Role.DUTY)
    make_user("demo-duty-2", Role.DUTY)
    make_user("demo-duty-chief", Role.DUTY)
    make_user("leader", Role.LEADERSHIP)
    call_command("demo_incidents")
    assert EscalationStep.objects.count() == 3
    assert Incident.objects.count() == 7
    assert Incident.objects.filter(exercise=True).count() == 1
    assert Incident.objects.filter(status="closed").count() == 5
    assert Incident.objects.filter(status="open").exists()
    assert Handover.objects.filter(countersigned_at__isnull=False).count() == 1
    call_command("demo_incidents")
    assert Incident.objects.count() == 7
