"""A valid declaration to start from; each test changes what it is about."""

import copy
from datetime import timedelta

import pytest
from django.utils import timezone

from liaison.arrivals import mrz


def valid_payload(**changes) -> dict:
    """An API body for a Korean tourist landing today, staying in Yubei."""
    today = timezone.localdate()
    body = {
        "surname_native": "김",
        "given_names_native": "민준",
        "surname_latin": "KIM",
        "given_names_latin": "MINJUN",
        "sex": "M",
        "date_of_birth": "1990-01-31",
        "nationality": "KR",
        "document_type": "passport",
        "document_number": "M12345678",
        "phone": "+82 10-2345-6789",
        "email": "minjun@example.org",
        "language": "ko",
        "flight_number": "KE 147",
        "seat": "32A",
        "arrival_date": today.isoformat(),
        "category": "tourist",
        "purpose": "",
        "history": [
            {
                "country": "KR",
                "city": "Seoul",
                "date_from": (today - timedelta(days=13)).isoformat(),
                "date_to": today.isoformat(),
            }
        ],
        "transits": [],
        "symptoms": [],
        "contact_with_cases": False,
        "destination_kind": "city",
        "jurisdiction": "500112",
        "address": "渝北区 1 号",
        "consent": True,
    }
    body.update(copy.deepcopy(changes))
    return body


def passport_zone(**changes) -> str:
    fields = {
        "surname": "KIM",
        "given_names": "MINJUN",
        "document_number": "M12345678",
        "nationality": "KOR",
        "issuer": "KOR",
        "birth_date": timezone.localdate().replace(year=1990, month=1, day=31),
        "sex": "M",
        "expiry_date": timezone.localdate().replace(year=timezone.localdate().year + 5),
    }
    fields.update(changes)
    return mrz.build(**fields)


@pytest.fixture
def payload():
    return valid_payload


@pytest.fixture(autouse=True)
def _no_rate_limit(settings):
    """Tests post many declarations from one address; the rate-limit test turns it back on."""
    settings.LIAISON_DECLARATION_RATE = ""


@pytest.fixture(autouse=True)
def _fresh_reference_caches():
    """Each test builds its own database: forget the flights and places cached per process."""
    from liaison.arrivals.reference_cache import forget_reference
    from liaison.arrivals.services import forget_cached_flights

    forget_reference()
    forget_cached_flights()
    yield
    forget_reference()
    forget_cached_flights()
