"""``demo_media``: a month of the desk through the real services; a second run adds nothing."""

import pytest
from django.core.management import call_command

from liaison.core.roles import Role
from liaison.media.models import MediaRequest, PressRelease, ReleaseRecipient
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


def test_the_demo_records_april_2020_once(city):
    make_user("demo-liaison", Role.LIAISON)
    call_command("demo_media")
    requests = MediaRequest.objects.all()
    assert requests.count() == 8
    assert {r.received_at.year for r in requests} == {2020}
    assert set(requests.values_list("status", flat=True)) == {
        "answered",
        "declined",
        "withdrawn",
        "assigned",
    }
    assert requests.overdue().count() == 2
    assert requests.filter(answered_by_person__isnull=False).count() == 1
    assert PressRelease.objects.filter(published_at__isnull=False).count() == 2
    assert ReleaseRecipient.objects.filter(bureau__isnull=False).count() == 3
    before = (MediaRequest.objects.count(), PressRelease.objects.count())
    call_command("demo_media")
    assert (MediaRequest.objects.count(), PressRelease.objects.count()) == before
