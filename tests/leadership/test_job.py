"""The daily briefing drafted by the job runner itself (django-q2's scheduler, broker and result
store, one worker turn in this process: ``liaison.jobs.inline``) at 24:00 office time, once."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from liaison.jobs import inline, queue, registry
from liaison.leadership import figures
from liaison.leadership.models import Briefing, BriefingStatus
from tests.handover.conftest import declare

pytestmark = pytest.mark.django_db(transaction=True)
SECOND = timedelta(seconds=1)


@pytest.fixture
def only_the_briefing_job():
    saved = dict(registry.JOBS)
    registry.JOBS.clear()
    registry.JOBS["leadership.draft_briefing"] = saved["leadership.draft_briefing"]
    yield
    registry.JOBS.clear()
    registry.JOBS.update(saved)


def test_the_job_runner_drafts_the_day_at_its_cut_off_once(city, only_the_briefing_job):
    declare()
    declare()
    today = timezone.localdate()
    midnight = figures.cutoff_of(today)
    with time_machine.travel(midnight - timedelta(minutes=1), tick=True):
        queue.sync_schedules()
        assert inline.run_due() == 0  # not yet: nothing drafted before the cut-off
    assert not Briefing.objects.exists()
    with time_machine.travel(midnight + SECOND, tick=True):
        assert inline.run_due() == 1
    with time_machine.travel(midnight + timedelta(hours=3), tick=True):
        assert inline.run_due() == 0  # the same due time: nothing new
    (briefing,) = Briefing.objects.all()
    assert (briefing.day, briefing.cutoff) == (today, midnight)
    assert briefing.status == BriefingStatus.DRAFT and briefing.drafted_by is None
    assert figures.flat(briefing.snapshot)["pipeline.new.arrived"]["value"] == 2
