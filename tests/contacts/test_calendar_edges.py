"""Times and dates at the calendar's ends: a 400 on the form, never a server error."""

import pytest
from django.test import Client

from tests.conftest import sign_in

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "value", ["0001-01-01T00:00", "9999-12-31T23:59", "0001-01-01", "9999-12-31"]
)
def test_a_time_at_the_calendars_ends_is_a_400(liaison_officer, value):
    client = sign_in(Client(), liaison_officer)
    for field in ("starts_at", "ends_at", "outcome-0-due_on"):
        data = {
            field: value,
            "kind": "call",
            "time_zone": "Asia/Shanghai",
            "who-TOTAL_FORMS": "1",
            "who-INITIAL_FORMS": "0",
            "outcome-TOTAL_FORMS": "1",
            "outcome-INITIAL_FORMS": "0",
        }
        assert client.post("/contacts/new/", data).status_code == 400, (field, value)
