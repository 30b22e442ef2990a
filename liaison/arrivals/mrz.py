"""The machine-readable zone of a passport (ICAO Doc 9303, part 4: TD3, two lines of 44).

Pure Python: it knows the layout and the check digits, nothing of Django. ``parse`` returns what
the zone says and which check digits are wrong; the form turns those into translated messages.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

LINE = 44
_WEIGHTS = (7, 3, 1)
_ALLOWED = re.compile(r"^[A-Z0-9<]{44}$")


class MrzError(ValueError):
    """The text is not a TD3 zone at all (wrong length or characters)."""


def char_value(char: str) -> int:
    if char.isdigit():
        return int(char)
    if "A" <= char <= "Z":
        return ord(char) - ord("A") + 10
    if char == "<":
        return 0
    raise MrzError(f"character {char!r} is not allowed in a machine-readable zone")


def check_digit(text: str) -> str:
    """The ICAO 9303 check digit of ``text``: weights 7, 3, 1 repeating, modulo 10."""
    total = sum(char_value(c) * _WEIGHTS[i % 3] for i, c in enumerate(text))
    return str(total % 10)


@dataclass(frozen=True)
class Mrz:
    document_code: str
    issuer: str
    surname: str
    given_names: str
    document_number: str
    nationality: str
    birth_date: date | None
    sex: str  # "M", "F" or "X"
    expiry_date: date | None
    optional_data: str
    # Names of the fields whose check digit is wrong: document_number, birth_date,
    # expiry_date, optional_data, composite.
    bad_check_digits: tuple[str, ...] = field(default=())

    @property
    def valid(self) -> bool:
        return not self.bad_check_digits


def normalise(text: str) -> list[str]:
    """The two lines of a typed or pasted zone: upper case, spaces dropped, « and ‹ as <."""
    text = text.upper().replace("«", "<").replace("‹", "<").replace("\r", "\n")
    lines = [re.sub(r"\s+", "", line) for line in text.split("\n")]
    lines = [line for line in lines if line]
    if len(lines) == 1 and len(lines[0]) == 2 * LINE:
        lines = [lines[0][:LINE], lines[0][LINE:]]
    return lines


def _date(yymmdd: str, *, future: bool, today: date) -> date | None:
    if not yymmdd.isdigit():
        return None
    yy, mm, dd = int(yymmdd[:2]), int(yymmdd[2:4]), int(yymmdd[4:])
    century = today.year // 100 * 100
    year = century + yy
    # Two digits: birth dates lie in the past, expiry dates within a few decades ahead.
    if not future and year > today.year:
        year -= 100
    if future and year < today.year - 50:
        year += 100
    try:
        return date(year, mm, dd)
    except ValueError:
        return None


def parse(text: str, *, today: date | None = None) -> Mrz:
    """Read a TD3 zone. Raises ``MrzError`` if it is not one; reports bad check digits."""
    today = today or date.today()
    lines = normalise(text)
    if len(lines) != 2 or any(len(line) != LINE for line in lines):
        raise MrzError("a passport zone is two lines of 44 characters")
    first, second = lines
    if not (_ALLOWED.match(first) and _ALLOWED.match(second)):
        raise MrzError("only A-Z, 0-9 and < are allowed")
    if first[0] != "P":
        raise MrzError("a passport zone starts with P")
    names = first[5:].rstrip("<")
    surname, _, given = names.partition("<<")
    number, number_check = second[0:9], second[9]
    birth, birth_check = second[13:19], second[19]
    expiry, expiry_check = second[21:27], second[27]
    optional, optional_check = second[28:42], second[42]
    composite = second[0:10] + second[13:20] + second[21:43]
    bad = []
    if check_digit(number) != number_check:
        bad.append("document_number")
    if check_digit(birth) != birth_check:
        bad.append("birth_date")
    if check_digit(expiry) != expiry_check:
        bad.append("expiry_date")
    # An empty optional field may carry < instead of 0 as its check digit.
    if not (optional_check == "<" and optional.strip("<") == "") and (
        check_digit(optional) != optional_check
    ):
        bad.append("optional_data")
    if check_digit(composite) != second[43]:
        bad.append("composite")
    sex = second[20]
    return Mrz(
        document_code=first[0:2].rstrip("<"),
        issuer=first[2:5].rstrip("<"),
        surname=surname.replace("<", " ").strip(),
        given_names=given.replace("<", " ").strip(),
        document_number=number.rstrip("<"),
        nationality=second[10:13].rstrip("<"),
        birth_date=_date(birth, future=False, today=today),
        sex=sex if sex in {"M", "F"} else "X",
        expiry_date=_date(expiry, future=True, today=today),
        optional_data=optional.rstrip("<"),
        bad_check_digits=tuple(bad),
    )


def build(
    *,
    surname: str,
    given_names: str,
    document_number: str,
    nationality: str,
    issuer: str,
    birth_date: date,
    sex: str,
    expiry_date: date,
    optional_data: str = "",
) -> str:
    """A correct TD3 zone for these fields (tests and demo data)."""

    def pad(value: str, width: int) -> str:
        return (value.upper().replace(" ", "<").replace("-", "<") + "<" * width)[:width]

    names = pad(surname, 39)
    names = pad(surname + "<<" + given_names.replace(" ", "<"), 39) if given_names else names
    first = "P<" + pad(issuer, 3) + names
    number = pad(document_number, 9)
    birth = birth_date.strftime("%y%m%d")
    expiry = expiry_date.strftime("%y%m%d")
    optional = pad(optional_data, 14)
    optional_check = check_digit(optional) if optional_data else "<"
    second = (
        number
        + check_digit(number)
        + pad(nationality, 3)
        + birth
        + check_digit(birth)
        + (sex if sex in {"M", "F"} else "<")
        + expiry
        + check_digit(expiry)
        + optional
        + optional_check
    )
    composite = second[0:10] + second[13:20] + second[21:43]
    return first + "\n" + second + check_digit(composite)
