"""Named officers of the assistance desk and a case or two to work on."""

import pytest
from django.utils import translation

from liaison.assistance import services
from liaison.core import audit
from liaison.core.roles import Role
from liaison.directory.models import Organization as Mission
from tests.conftest import make_user


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _messages_in_english():
    """Services speak the active language; these tests read their messages in English.

    Pages choose their language per request (tests there switch with the language form).
    """
    with translation.override("en"):
        yield


@pytest.fixture
def assistance_officer(city):
    return make_user("liu-assistance", Role.ASSISTANCE)


@pytest.fixture
def second_assistance_officer(city):
    return make_user("he-assistance", Role.ASSISTANCE)


@pytest.fixture
def liaison_officer(city):
    return make_user("sun-liaison", Role.LIAISON)


@pytest.fixture
def italy_consulate(city):
    return Mission.objects.get(code="IT-CG-CKG")


@pytest.fixture
def korea_consulate(city):
    return Mission.objects.get(code="KR-CG-CKG")


@pytest.fixture
def stranded_in_milan(assistance_officer):
    """A citizen of the city stranded in Milan: a new case nobody has taken yet."""
    with audit.acting_as(assistance_officer):
        return services.open_case(
            person_name="王小明",
            person_name_latin="WANG Xiaoming",
            nationality="CN",
            document_number="E12345678",
            phone="+39 312 345 6789",
            category="stranded",
            priority="high",
            summary="Flight cancelled; out of money; needs a place to stay and a way home.",
            requester="family",
            location_country="IT",
            location_city="Milan",
            opened_by=assistance_officer,
        )


@pytest.fixture
def korean_in_yubei(assistance_officer, yubei):
    """A Korean national in quarantine in Yubei who needs an interpreter."""
    with audit.acting_as(assistance_officer):
        return services.open_case(
            person_name="김민준",
            person_name_latin="KIM Minjun",
            nationality="KR",
            document_number="M 1234 5678",
            phone="138 0000 1234",
            category="language",
            priority="normal",
            summary="Needs a Korean interpreter for the quarantine hotel's doctor.",
            requester="consulate",
            jurisdiction=yubei,
            location_detail="Quarantine hotel (example)",
            opened_by=assistance_officer,
        )
