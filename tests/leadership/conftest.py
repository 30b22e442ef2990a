"""Every desk with something in it — the demo commands through the real services, a few
assistance cases — and the people who read the dashboard: a leader, a duty officer."""

import pytest
from django.core.management import call_command
from django.utils import translation

from liaison.assistance import services as assistance
from liaison.core.roles import Role
from tests.conftest import make_user


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def leader(city):
    return make_user("zhou-leader", Role.LEADERSHIP)


@pytest.fixture
def deputy(city):
    return make_user("li-deputy", Role.LEADERSHIP)


@pytest.fixture
def duty_chief(city):
    return make_user("wang-duty-chief", Role.DUTY)


@pytest.fixture
def aid_officer(city):
    return make_user("chen-aid", Role.AID)


@pytest.fixture
def assistance_officer(city):
    return make_user("liu-assistance", Role.ASSISTANCE)


def open_cases(officer) -> None:
    for category, priority, nationality, location in (
        ("sick", "urgent", "CN", "IT"),
        ("stranded", "high", "CN", "IR"),
        ("language", "normal", "KR", ""),
        ("diet", "low", "IT", ""),
    ):
        assistance.open_case(
            person_name="测试",
            nationality=nationality,
            category=category,
            summary="test case",
            requester="self",
            opened_by=officer,
            priority=priority,
            location_country=location,
        )


@pytest.fixture
def world(city, assistance_officer, capsys):
    """A day of arrivals at every state, March 2020 of the other desks, four open cases."""
    call_command("demo_accounts")
    call_command("demo_day", scale=0.2)
    for command in ("demo_contacts", "demo_aid", "demo_exchanges", "demo_duty", "demo_incidents"):
        call_command(command)
    open_cases(assistance_officer)
    capsys.readouterr()  # the demo's passwords are not the test's output
