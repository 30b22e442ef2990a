"""What people type, made comparable: declaration codes, document and phone numbers, country
names, and the traveler search built from them. Written once here; every form, scan, import and
search calls these, so a code typed at the desk matches the one printed on the receipt.
"""

from __future__ import annotations

import re
import unicodedata

import phonenumbers
from django.conf import settings
from django.db.models import Q

from liaison.core import countries

# What people put between the parts of a number: spaces, dashes (any width), slashes, dots.
_SEPARATORS = re.compile(r"[\s\-‐‑‒–—/.]")


def _folded(text: str) -> str:
    # Full-width letters and digits (typed with a Chinese input method) become ASCII ones.
    return unicodedata.normalize("NFKC", text or "")


def declaration_code(text: str) -> str:
    """A declaration code as stored ("AB2C3D4E"), from what a person or scanner typed:
    "ab2c-3d4e", "AB2C 3D4E", or the receipt's address ending in the code.

    The code alphabet has no 0/O or 1/I/L (``arrivals.models.CODE_ALPHABET``), so there is no
    look-alike to repair: a code typed with one of them matches nobody.
    """
    text = _folded(text).strip().rstrip("/").rsplit("/", 1)[-1]
    return re.sub(r"[\s\-‐‑‒–—]", "", text).upper()


def document_number(text: str) -> str:
    """A passport or travel document number as stored: upper case, without separators."""
    return _SEPARATORS.sub("", _folded(text)).upper()


def phone_e164(text: str, region: str | None = None) -> str | None:
    """The E.164 form of a real phone number ("+8613800138000"), or None.

    A number with its "+" country code is read as written; a national one ("010-1234-5678") as
    one of ``region`` (e.g. the traveler's nationality), by default the office's own country
    (``LIAISON_PHONE_REGION``, CN). Only numbers that can exist are accepted.
    """
    region = (region or getattr(settings, "LIAISON_PHONE_REGION", "CN")).upper()[:2]
    try:
        number = phonenumbers.parse(_folded(text), region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


# A country's or region's name in the reader's language: the one list's (written there once).
country_name = countries.country_name


def name_matches(text: str) -> Q:
    """A traveler's name in native script or Latin letters, surname first or last, each word in
    either part ("Иван Петров", "Петров Иван", "KIM MINJUN"), or a native name typed without its
    space ("김민준", "王小明": Han and Hangul names are written without one)."""
    words = " ".join((text or "").split()).split(" ")
    if words == [""]:
        return Q(pk__in=[])
    name = Q()
    for word in words:
        name &= (
            Q(surname_latin__icontains=word)
            | Q(given_names_latin__icontains=word)
            | Q(surname_native__icontains=word)
            | Q(given_names_native__icontains=word)
        )
    if len(words) == 1 and len(words[0]) >= 2:
        typed = words[0]
        for split in range(1, len(typed)):
            name |= Q(surname_native=typed[:split], given_names_native=typed[split:])
    return name


def traveler_search(text: str) -> Q | None:
    """The filter on arrivals for what a desk typed or scanned: the declaration code (with or
    without its dash), the document number, or a name (``name_matches``). None when nothing
    was typed, so each caller decides what an empty search shows."""
    text = " ".join((text or "").split())[:100]
    if not text:
        return None
    return (
        Q(code=declaration_code(text))
        | Q(document_number=document_number(text))
        | name_matches(text)
    )


def flight_number(text: str) -> str:
    """A flight number as stored ("KE147"), from "ke 147" or "KE-147"."""
    return re.sub(r"[\s\-]", "", _folded(text)).upper()
