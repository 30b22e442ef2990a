"""Named officers of the desks that read or keep the directory."""

import pytest
from django.utils import translation

from liaison.core.roles import Role
from liaison.directory.models import Organization
from tests.conftest import make_user


@pytest.fixture(autouse=True)
def _messages_in_english():
    with translation.override("en"):
        yield


@pytest.fixture
def liaison_officer(city):
    return make_user("sun-liaison", Role.LIAISON)


@pytest.fixture
def assistance_officer(city):
    return make_user("liu-assistance", Role.ASSISTANCE)


@pytest.fixture
def leader(city):
    return make_user("zhao-leadership", Role.LEADERSHIP)


@pytest.fixture
def korea_chengdu(city):
    return Organization.objects.get(code="KR-CG-CTU")


@pytest.fixture
def italy_consulate(city):
    return Organization.objects.get(code="IT-CG-CKG")
