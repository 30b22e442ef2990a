"""``manage.py demo_duty``: a week of roster, languages and log, through the services, once."""

import pytest
from django.core.management import call_command

from liaison.duty.models import LogEntry, OfficerLanguage, Post, ScheduledFlight, Shift, Swap

pytestmark = pytest.mark.django_db


def test_the_demo_is_made_through_the_services_once(city):
    call_command("demo_duty")
    shifts = Shift.objects.count()
    call_command("demo_duty")  # a second run changes nothing
    assert Shift.objects.count() == shifts == 7 * 7
    assert Shift.objects.filter(post=Post.DUTY_CHIEF).count() == 7
    assert Swap.objects.count() == 1
    assert OfficerLanguage.objects.filter(language="fa").count() == 1
    assert ScheduledFlight.objects.count() == 3
    # The Tehran flight lands at 22:40, on the evening airport shift, whose officer speaks Korean:
    # its Persian is flagged days ahead of anyone declaring.
    from django.utils import timezone

    from liaison.core.models import User
    from liaison.duty import coverage

    chief = User.objects.get(username="demo-duty-chief")
    gaps = coverage.language_gaps(chief, start=timezone.localdate(), days=7)
    persian = [row for row in gaps if any(code == "fa" for code, _n, _f in row.missing)]
    assert persian
    assert all(timezone.localtime(row.shift.starts_at).hour == 16 for row in persian if row.shift)
    corrections = LogEntry.objects.filter(corrects__isnull=False).count()
    assert corrections <= 1 and LogEntry.objects.count() <= 6
