"""``manage.py demo_exchanges``: the March 2020 conference, finalized, and Belarus next."""

import pytest
from django.core.management import call_command

from liaison.contacts.models import Commitment
from liaison.core.roles import Role
from liaison.exchanges.models import Conference
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


def test_the_demo_is_made_through_the_services_once(city, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    make_user("demo-exchange", Role.EXCHANGES)
    call_command("demo_exchanges")
    call_command("demo_exchanges")  # a second run changes nothing
    march, belarus = Conference.objects.order_by("starts_at")
    assert march.is_final and march.participants.filter(role="expert").count() == 8
    assert march.questions.count() == 2 and march.materials.count() == 1
    assert {c.country.code for c in march.countries.all()} == {"UA", "AM"}
    assert not belarus.is_final
    assert Commitment.objects.filter(source_id=belarus.pk).count() == 1
