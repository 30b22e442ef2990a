"""Two requests adding overlapping shifts for the same officer at once: one wins, the other is
refused with the winner's shift named. The first is held after its overlap check, under the
officer's lock; without the lock, the second passes its check too and the officer holds two
overlapping shifts."""

import pytest

from liaison.core.refusals import Refused
from liaison.core.roles import Role
from liaison.duty import services
from liaison.duty.models import Post, Shift
from liaison.duty.services import ShiftInput
from tests.concurrency import Overlap, message, remove_the_lock
from tests.conftest import make_user
from tests.duty.conftest import MONDAY, at

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def officers():
    return make_user("wang-duty", Role.DUTY), make_user("li-duty", Role.DUTY)


def _race(monkeypatch, clerk, officer, *, locked=True):
    overlap = Overlap(2, wait_for_entry=not locked)
    overlap.hold_first(monkeypatch, services, "_refuse_overlap", after=True)
    outcomes = overlap.run(
        lambda: services.add_shift(
            by=clerk,
            data=ShiftInput(officer.pk, Post.DUTY_OFFICER, at(MONDAY, 8), at(MONDAY, 16)),
        ),
        lambda: services.add_shift(
            by=clerk, data=ShiftInput(officer.pk, Post.LIAISON, at(MONDAY, 12), at(MONDAY, 20))
        ),
    )
    return overlap, outcomes


def test_two_overlapping_shifts_at_once_one_wins(officers, monkeypatch):
    clerk, officer = officers
    overlap, outcomes = _race(monkeypatch, clerk, officer)
    overlap.assert_serialized()
    assert isinstance(outcomes[0], Shift)
    assert isinstance(outcomes[1], Refused)
    assert (
        message(outcomes[1])
        == f"{officer.username} already has a shift from 2020-03-16 08:00 to 2020-03-16 16:00."
    )
    assert list(Shift.objects.values_list("post", flat=True)) == [Post.DUTY_OFFICER]


def test_without_the_lock_both_get_in(officers, monkeypatch):
    clerk, officer = officers
    vendor = remove_the_lock(monkeypatch)
    overlap, outcomes = _race(monkeypatch, clerk, officer, locked=False)
    assert overlap.entered_while_first_inside() == [1]
    if vendor == "sqlite":
        # The first one's read is stale when it comes to write: SQLite refuses it.
        assert "database is locked" in message(outcomes[0])
        assert Shift.objects.count() == 1
    else:
        assert Shift.objects.count() == 2  # the overlap the lock prevents
