"""Opening one person's record: visible ones are read and logged, others are a logged 404."""

import pytest
from django.http import Http404

from liaison.arrivals import selectors, services
from liaison.arrivals.models import Source
from liaison.core import audit
from liaison.core.access import Area
from liaison.core.models import AuditEntry
from tests.arrivals.conftest import valid_payload

pytestmark = pytest.mark.django_db


@pytest.fixture
def bound_for_yubei(city):
    with audit.acting_as(username="test"):
        return services.declare(data=valid_payload(), source=Source.SELF).arrival


def test_a_visible_record_is_opened_and_the_read_logged(bound_for_yubei, yubei_receiving_officer):
    opened = selectors.open_arrival(
        yubei_receiving_officer, bound_for_yubei.pk, Area.ARRIVALS_RECEIVING
    )
    assert opened == bound_for_yubei
    read = AuditEntry.objects.get(action="read", object_type="arrivals.arrival")
    assert read.object_id == str(bound_for_yubei.pk)


def test_another_districts_record_is_a_logged_404(bound_for_yubei, jiangbei_receiving_officer):
    with audit.acting_as(jiangbei_receiving_officer), pytest.raises(Http404):
        selectors.open_arrival(
            jiangbei_receiving_officer, bound_for_yubei.pk, Area.ARRIVALS_RECEIVING
        )
    denial = AuditEntry.objects.get(action="denied", object_type="arrivals.arrival")
    assert denial.actor_username == jiangbei_receiving_officer.username
    assert not AuditEntry.objects.filter(action="read").exists()
