"""Named officers of the duty desk and a day of Chongqing time (UTC+8). Names are examples."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation

from liaison.core.roles import Role
from tests.conftest import make_user

CHONGQING = ZoneInfo("Asia/Shanghai")
MONDAY = date(2020, 3, 16)


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour % 24, minute), tzinfo=CHONGQING) + timedelta(
        days=hour // 24
    )


@pytest.fixture(autouse=True)
def _messages_in_english():
    with translation.override("en"):
        yield


@pytest.fixture
def duty_officer(city):
    return make_user("wang-duty", Role.DUTY)


@pytest.fixture
def duty_chief(city):
    return make_user("li-duty-chief", Role.DUTY)


@pytest.fixture
def persian_speaker(city):
    return make_user("chen-airport-fa", Role.AIRPORT_DESK)


@pytest.fixture
def english_speaker(city):
    return make_user("zhao-airport-en", Role.AIRPORT_DESK)


@pytest.fixture
def leader(city):
    return make_user("sun-leadership", Role.LEADERSHIP)


@pytest.fixture
def exchange_officer(city):
    return make_user("zhou-exchanges", Role.EXCHANGES)
