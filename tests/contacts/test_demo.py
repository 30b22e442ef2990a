"""``demo_contacts``: a month of the desk through the real services; a second run adds nothing."""

import pytest
from django.core.management import call_command

from liaison.contacts.models import Commitment, Contact
from liaison.core.roles import Role
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


def test_the_demo_logs_march_2020_once(city):
    make_user("demo-liaison", Role.LIAISON)
    make_user("demo-leader", Role.LEADERSHIP)
    call_command("demo_contacts")
    contacts = Contact.objects.all()
    assert contacts.count() >= 12
    assert {c.starts_at.year for c in contacts} == {2020}
    assert Commitment.objects.filter(side="ours").exists()
    assert Commitment.objects.filter(side="theirs").exists()
    assert Commitment.objects.filter(status="done").exists()
    assert Commitment.objects.open().exists()
    assert Contact.objects.filter(follows__isnull=False).count() == 2
    before = (Contact.objects.count(), Commitment.objects.count())
    call_command("demo_contacts")
    assert (Contact.objects.count(), Commitment.objects.count()) == before
