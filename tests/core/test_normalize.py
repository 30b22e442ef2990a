"""What people type, made comparable once (``liaison.core.normalize``): codes, document and phone
numbers, country names, and the traveler search every desk uses."""

import pytest
from django.utils import translation

from liaison.arrivals.models import CODE_ALPHABET, Arrival, new_code
from liaison.core.access import Area
from liaison.core.normalize import (
    country_name,
    declaration_code,
    document_number,
    flight_number,
    phone_e164,
    traveler_search,
)
from liaison.screening.selectors import find_arrivals
from tests.handover.conftest import declare


@pytest.mark.parametrize(
    "typed",
    [
        "AB2C3D4E",
        "ab2c-3d4e",
        " AB2C 3D4E ",
        "AB2C–3D4E",  # an en dash, as a word processor writes it
        "ＡＢ２Ｃ－３Ｄ４Ｅ",  # full width, as a Chinese input method types it
        "https://liaison.example/declare/status/AB2C-3D4E/",  # a scanner typing the QR's address
    ],
)
def test_a_declaration_code_however_it_was_typed(typed):
    assert declaration_code(typed) == "AB2C3D4E"


def test_a_new_code_read_from_its_receipt_in_lower_case_is_itself():
    code = new_code()
    shown = f"{code[:4]}-{code[4:]}".lower()
    assert declaration_code(shown) == code


def test_the_code_alphabet_has_no_look_alikes_so_none_is_repaired():
    assert not set("0O1IL") & set(CODE_ALPHABET)
    # "O" for "0" is kept as typed: it matches no code rather than the wrong one.
    assert declaration_code("ab2c-3d4o") == "AB2C3D4O"


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("M12345678", "M12345678"),
        ("m 1234-5678", "M12345678"),
        ("E.1234/567", "E1234567"),
        ("ｍ１２３４５６７８", "M12345678"),
    ],
)
def test_a_document_number_is_upper_case_without_separators(typed, stored):
    assert document_number(typed) == stored


def test_a_flight_number_is_upper_case_without_spaces():
    assert flight_number("ke 147") == flight_number("KE-147") == "KE147"


@pytest.mark.parametrize(
    ("typed", "region", "e164"),
    [
        ("+86 138 0013 8000", None, "+8613800138000"),
        ("138 0013 8000", None, "+8613800138000"),  # national: the office's own country, CN
        ("(023) 6389 0000", None, "+862363890000"),  # a Chongqing landline
        ("010-1234-5678", "KR", "+821012345678"),  # national: the traveler's country
        ("010-1234-5678", None, "+861012345678"),  # the same digits, a Beijing landline
        ("+82 10-2345-6789", "CN", "+821023456789"),  # its own country code wins
        ("＋８６ １３８ ００１３ ８０００", None, "+8613800138000"),
    ],
)
def test_a_phone_number_in_e164(typed, region, e164):
    assert phone_e164(typed, region=region) == e164


@pytest.mark.parametrize("typed", ["12345", "not a phone", "+86 123", "", "+82 10-1234"])
def test_what_is_not_a_phone_number_is_none(typed):
    assert phone_e164(typed) is None


@pytest.mark.parametrize(
    ("language", "korea", "iran"),
    [
        ("en", "South Korea", "Iran"),
        ("zh-hans", "韩国", "伊朗"),
        ("ko", "대한민국", "이란"),
        ("fa", "کره جنوبی", "ایران"),
    ],
)
def test_a_country_in_the_readers_language(language, korea, iran):
    assert (country_name("KR", language), country_name("ir", language)) == (korea, iran)
    with translation.override(language):
        assert country_name("KR") == korea


def test_a_code_that_names_no_country_is_shown_as_it_is():
    assert country_name("XX", "en") == "XX"


def test_nothing_typed_is_no_search():
    assert traveler_search("   ") is None


# name -> native surname and given names, Latin ones, nationality, document number.
TRAVELERS = {
    "kim": ("김", "민준", "KIM", "MINJUN", "KR", "M12345678"),
    "wang": ("王", "小明", "WANG", "XIAOMING", "CN", "E87654321"),
    "rezaei": ("رضایی", "محمد", "REZAEI", "MOHAMMAD", "IR", "P11223344"),
}


@pytest.fixture
def travelers(city):
    fields = [
        "surname_native",
        "given_names_native",
        "surname_latin",
        "given_names_latin",
        "nationality",
        "document_number",
    ]
    return {name: declare(**dict(zip(fields, row, strict=True))) for name, row in TRAVELERS.items()}


def _found(travelers, text: str) -> set[str]:
    condition = traveler_search(text)
    found = Arrival.objects.all() if condition is None else Arrival.objects.filter(condition)
    pks = set(found.values_list("pk", flat=True))
    return {name for name, arrival in travelers.items() if arrival.pk in pks}


@pytest.mark.django_db
def test_the_search_finds_by_code_document_and_names_in_any_script(travelers):
    kim = travelers["kim"]
    assert _found(travelers, kim.display_code.lower()) == {"kim"}
    assert _found(travelers, kim.code) == {"kim"}
    assert _found(travelers, "e 8765-4321") == {"wang"}
    assert _found(travelers, "kim minjun") == {"kim"}
    assert _found(travelers, "MINJUN KIM") == {"kim"}
    assert _found(travelers, "민준 김") == {"kim"}
    assert _found(travelers, "김민준") == {"kim"}  # a Hangul name typed without its space
    assert _found(travelers, "王小明") == {"wang"}
    assert _found(travelers, "محمد رضایی") == {"rezaei"}
    assert _found(travelers, "رضایی") == {"rezaei"}
    assert _found(travelers, "Reza") == {"rezaei"}
    assert _found(travelers, "PARK") == set()


@pytest.mark.django_db
def test_the_desk_search_uses_the_same_filter(travelers, airport_desk_officer):
    def desk(text):
        pks = {a.pk for a in find_arrivals(airport_desk_officer, Area.ARRIVALS_DESK, text)}
        return {name for name, arrival in travelers.items() if arrival.pk in pks}

    wang = travelers["wang"]
    for typed in ["王小明", "wang xiaoming", wang.display_code.lower(), "E8765 4321"]:
        assert desk(typed) == {"wang"}, typed
        assert desk(typed) == _found(travelers, typed), typed
    assert desk("") == set()
