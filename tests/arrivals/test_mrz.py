"""ICAO 9303 TD3 zones: layout, check digits, and what they fill in."""

from datetime import date

import pytest

from liaison.arrivals import mrz

# The specimen of ICAO Doc 9303 part 4, appendix A.
SPECIMEN = (
    "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10"
)


def test_the_icao_specimen_reads_with_every_check_digit_right():
    zone = mrz.parse(SPECIMEN, today=date(2020, 3, 20))
    assert zone.valid
    assert (zone.surname, zone.given_names) == ("ERIKSSON", "ANNA MARIA")
    assert zone.document_number == "L898902C3"
    assert zone.nationality == "UTO" and zone.issuer == "UTO"
    assert zone.birth_date == date(1974, 8, 12)
    assert zone.expiry_date == date(2012, 4, 15)
    assert zone.sex == "F"


@pytest.mark.parametrize(
    ("text", "digits"),
    [("L898902C3", "6"), ("740812", "2"), ("120415", "9"), ("ZE184226B<<<<<", "1"), ("", "0")],
)
def test_check_digits(text, digits):
    assert mrz.check_digit(text) == digits


@pytest.mark.parametrize(
    ("position", "replacement", "field"),
    [
        (0, "K", "document_number"),  # L898902C3 → K898902C3
        (14, "5", "birth_date"),
        (22, "3", "expiry_date"),
        (29, "F", "optional_data"),
    ],
)
def test_a_typo_is_caught_by_the_check_digit(position, replacement, field):
    first, second = SPECIMEN.split("\n")
    second = second[:position] + replacement + second[position + 1 :]
    zone = mrz.parse(first + "\n" + second)
    assert field in zone.bad_check_digits
    assert "composite" in zone.bad_check_digits
    assert not zone.valid


def test_pasted_text_with_spaces_and_lowercase_is_read():
    pasted = "  " + SPECIMEN.lower().replace("\n", "\r\n  ") + "\n"
    assert mrz.parse(pasted).valid
    assert mrz.parse(SPECIMEN.replace("\n", "")).valid


@pytest.mark.parametrize(
    "text",
    ["", "P<UTO", SPECIMEN + "\nEXTRA", SPECIMEN.replace("<", "*"), "V" + SPECIMEN[1:]],
)
def test_what_is_not_a_passport_zone_is_refused(text):
    with pytest.raises(mrz.MrzError):
        mrz.parse(text)


def test_build_makes_zones_that_parse_back():
    text = mrz.build(
        surname="Dupont-Martin",
        given_names="Jean Luc",
        document_number="12AB34567",
        nationality="FRA",
        issuer="FRA",
        birth_date=date(1985, 12, 1),
        sex="M",
        expiry_date=date(2031, 6, 30),
        optional_data="X1",
    )
    zone = mrz.parse(text, today=date(2020, 3, 20))
    assert zone.valid
    assert zone.surname == "DUPONT MARTIN" and zone.given_names == "JEAN LUC"
    assert zone.birth_date == date(1985, 12, 1) and zone.expiry_date == date(2031, 6, 30)
