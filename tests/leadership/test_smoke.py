import pytest
from django.utils import timezone

from liaison.leadership import figures

pytestmark = pytest.mark.django_db


def test_snapshot_of_a_world(world):
    now = timezone.now()
    snap = figures.snapshot(day=timezone.localdate(now), cutoff=now)
    flat = figures.flat(snap)
    print({k: v["value"] for k, v in flat.items() if v["value"]})
    assert flat["pipeline.total.arrived"]["value"] > 0
