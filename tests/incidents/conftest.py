"""The duty desk's people and its escalation chain: a duty officer, a duty chief and a
director-general named on the chain's steps (the roster's posts are tested with the roster)."""

from datetime import UTC, datetime

import pytest
from django.utils import translation

from liaison.core.roles import Role
from liaison.incidents.models import EscalationStep, Post
from tests.conftest import make_user

# The tests' clock: every service takes its instant, so no test waits or patches time.
T0 = datetime(2020, 3, 10, 8, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def duty_officer(city):
    return make_user("he-duty", Role.DUTY)


@pytest.fixture
def incoming_officer(city):
    return make_user("ma-duty", Role.DUTY)


@pytest.fixture
def duty_chief(city):
    return make_user("qian-chief", Role.DUTY)


@pytest.fixture
def director_general(city):
    return make_user("zhao-dg", Role.LEADERSHIP)


@pytest.fixture
def chain(duty_officer, duty_chief, director_general):
    """Duty officer at the deadline, the chief 10 minutes later, the director-general 20 after."""
    return [
        EscalationStep.objects.create(position=1, post=Post.DUTY_OFFICER, user=duty_officer),
        EscalationStep.objects.create(
            position=2, post=Post.DUTY_CHIEF, user=duty_chief, after_minutes=10
        ),
        EscalationStep.objects.create(
            position=3, post=Post.DIRECTOR_GENERAL, user=director_general, after_minutes=20
        ),
    ]


# A departed batch of three Yubei travelers (the handover desk's fixtures).
from tests.handover.conftest import departed_batch, dispatcher  # noqa: E402, F401
