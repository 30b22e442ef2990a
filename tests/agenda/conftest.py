"""The calendar's people and records: the liaison desk's March 2020 call with the Korean consul
general (tests/contacts), the exchanges desk's conference with Ukraine and Armenia
(tests/exchanges), and a planned contact and conference ahead."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.utils import timezone

from liaison.contacts import services as contacts
from liaison.contacts.services import Who
from liaison.core import audit
from liaison.core.roles import Role
from liaison.exchanges import services as exchanges
from tests.conftest import make_user, sign_in
from tests.contacts.conftest import (  # noqa: F401 - fixtures
    _messages_in_english,
    consul,
    consul_general,
    director_general,
    exchange_officer,
    korea_call,
    korea_chengdu,
    liaison_officer,
)
from tests.exchanges.conftest import build_directory, march_24_plan

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(days: int, hour: int, minute: int = 0) -> datetime:
    """A time of the office's calendar, ``days`` from today."""
    day = timezone.localdate() + timedelta(days=days)
    return datetime.combine(day, time(hour, minute), tzinfo=SHANGHAI)


def english(user) -> Client:
    client = sign_in(Client(), user)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    return client


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def other_liaison_officer(city):
    return make_user("qian-liaison", Role.LIAISON)


@pytest.fixture
def airport_officer(city):
    return make_user("li-desk", Role.AIRPORT_DESK)


@pytest.fixture
def planned_visit(other_liaison_officer, consul_general):  # noqa: F811 - fixtures
    """A visit to the Korean consulate general planned for the day after tomorrow, 10:00–11:00,
    with another officer of the desk (not ``liaison_officer``) on our side."""
    with audit.acting_as(other_liaison_officer):
        return contacts.log_contact(
            kind="visit",
            starts_at=at(2, 10),
            ends_at=at(2, 11),
            counterpart_time_zone="Asia/Seoul",
            place="Consulate General, Chengdu",
            participants=[
                Who(role="led", user=other_liaison_officer.pk),
                Who(role="led", person=consul_general.pk),
            ],
            by=other_liaison_officer,
        )


@pytest.fixture
def directory(city):
    return build_directory()


@pytest.fixture
def march_conference(directory, exchange_officer):  # noqa: F811 - a fixture
    with audit.acting_as(exchange_officer):
        return exchanges.plan_conference(plan=march_24_plan(directory), by=exchange_officer)


@pytest.fixture
def next_conference(directory, exchange_officer):  # noqa: F811 - a fixture
    """The next conference of the same experts, planned for tomorrow 15:00–18:00 in Chongqing."""
    with audit.acting_as(exchange_officer):
        plan = march_24_plan(directory, starts_at=at(1, 15), ends_at=at(1, 18))
        return exchanges.plan_conference(plan=plan, by=exchange_officer)
