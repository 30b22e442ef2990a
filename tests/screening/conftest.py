"""A declared traveler and the officers of each step, for the airport side."""

from datetime import timedelta

import pytest
from django.utils import timezone

from liaison.arrivals import services as arrivals
from liaison.arrivals.models import Source
from liaison.core import audit
from liaison.core import services as core_services
from liaison.core.models import Site
from liaison.core.roles import Role
from liaison.screening import desk, sampling
from tests.arrivals.conftest import valid_payload
from tests.conftest import make_user


def declare(**changes):
    with audit.acting_as(username="test"):
        return arrivals.declare(data=valid_payload(**changes), source=Source.SELF).arrival


@pytest.fixture
def arrival(city):
    """Kim Minjun, a Korean tourist landing today for Yubei."""
    return declare()


@pytest.fixture
def t3_sampling_site(city):
    return Site.objects.get(code="SAMP-CKG-T3")


@pytest.fixture
def lab_user(city):
    return make_user("hu-lab", Role.LAB)


@pytest.fixture
def lab_token(lab_user, administrator):
    _token, secret = core_services.create_api_token(
        name="Jiangbei CDC laboratory", user=lab_user, created_by=administrator
    )
    return secret


@pytest.fixture
def dispatch_officer(city):
    return make_user("sun-dispatch", Role.DISPATCH)


def screened(arrival, officer, celsius="36.6"):
    desk.record_temperature(
        arrival=arrival, celsius=celsius, device="IR-3", taken_at=None, officer=officer
    )
    desk.confirm_history(arrival=arrival, history=None, officer=officer)
    desk.screen(arrival=arrival, officer=officer, where="CKG T3 desk 4")
    return arrival


def sampled(arrival, officer, sampler, site, barcode="T3-000001", *, screen=True):
    if screen:
        screened(arrival, officer)
    sampling.register_sample(
        arrival=arrival,
        barcode=barcode,
        site=site,
        collector=sampler,
        collected_at=timezone.now() - timedelta(minutes=30),
    )
    return arrival


@pytest.fixture(autouse=True)
def _english():
    """Service messages are translated; the tests read them in English."""
    from django.utils import translation

    with translation.override("en"):
        yield
