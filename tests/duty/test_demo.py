"""``manage.py demo_duty``: a week of roster, languages and log, through the services, once."""

import pytest
from django.core.management import call_command

from liaison.duty.models import LogEntry, OfficerLanguage, Post, Shift, Swap

pytestmark = pytest.mark.django_db


def test_the_demo_is_made_through_the_services_once(city):
    call_command("demo_duty")
    shifts = Shift.objects.count()
    call_command("demo_duty")  # a second run changes nothing
    assert Shift.objects.count() == shifts == 7 * 7
    assert Shift.objects.filter(post=Post.DUTY_CHIEF).count() == 7
    assert Swap.objects.count() == 1
    assert OfficerLanguage.objects.filter(language="fa").count() == 1
    corrections = LogEntry.objects.filter(corrects__isnull=False).count()
    assert corrections <= 1 and LogEntry.objects.count() <= 6
