"""`make demo`'s day: every state has someone, two batches on the road (one overdue), once."""

import pytest
from django.core.management import call_command

from liaison.arrivals.models import Arrival
from liaison.arrivals.states import ArrivalState
from liaison.handover import selectors
from liaison.handover.models import Batch
from tests.handover.test_board import assert_board_reconciles

pytestmark = pytest.mark.django_db


def test_the_demo_day_fills_every_step_and_runs_once(city, settings, dispatcher, capsys):
    call_command("demo_day", scale=0.25)
    states = set(Arrival.objects.values_list("state", flat=True))
    assert states == set(ArrivalState.values)
    assert Batch.objects.filter(status=Batch.Status.DEPARTED).count() == 2
    assert Batch.objects.filter(status=Batch.Status.CLOSED).exists()
    assert Batch.objects.filter(status=Batch.Status.PLANNED).count() == 1
    settings.LIAISON_BATCH_CONFIRM_HOURS = 3
    assert len(selectors.alerts(dispatcher).batches_unconfirmed) == 1
    assert_board_reconciles(dispatcher)
    count = Arrival.objects.count()
    call_command("demo_day")
    assert Arrival.objects.count() == count
    assert "already there" in capsys.readouterr().out
