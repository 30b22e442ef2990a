"""A person's name as their own script writes it, and the language tag that picks its glyphs.

A declaration keeps the surname and the given names apart. Chinese, Korean and Japanese write the
family name first (with no space in Han and Hangul); Persian, Arabic, Russian and most other
scripts write the given names first. The language tag lets a layout engine choose, for the same
Han character, the Japanese, Korean or Chinese form.
"""

from __future__ import annotations

import unicodedata

# Scripts whose names are written family name first.
_FAMILY_FIRST = {"HAN", "HANGUL", "KANA"}


def _script(char: str) -> str | None:
    name = unicodedata.name(char, "")
    if name.startswith("CJK ") or name.startswith("IDEOGRAPHIC"):
        return "HAN"
    if name.startswith("HANGUL"):
        return "HANGUL"
    if name.startswith(("HIRAGANA", "KATAKANA")):
        return "KANA"
    if name.startswith("ARABIC"):
        return "ARABIC"
    if name.startswith("HEBREW"):
        return "HEBREW"
    return None


def scripts_of(text: str) -> set[str]:
    """The East Asian and right-to-left scripts found in ``text`` (others are not told apart)."""
    return {script for script in map(_script, text) if script}


def native_name(surname: str, given_names: str) -> str:
    """The full name in the order and spacing of its script."""
    surname, given_names = surname.strip(), given_names.strip()
    scripts = scripts_of(surname + given_names)
    if scripts and scripts <= _FAMILY_FIRST:
        # Japanese in kana is written with a space between the two names; Han and Hangul without.
        separator = " " if "KANA" in scripts else ""
        return separator.join(part for part in (surname, given_names) if part)
    return " ".join(part for part in (given_names, surname) if part)


def language_of(text: str, country: str = "") -> str:
    """A BCP 47 tag for ``text`` ("" when the script says nothing), helped by the country."""
    scripts = scripts_of(text)
    if "KANA" in scripts or (scripts == {"HAN"} and country == "JP"):
        return "ja"
    if "HANGUL" in scripts or (scripts == {"HAN"} and country in ("KR", "KP")):
        return "ko"
    if "HAN" in scripts:
        return "zh-Hant" if country in ("TW", "HK", "MO") else "zh-Hans"
    if "ARABIC" in scripts:
        return {"IR": "fa", "AF": "fa", "PK": "ur"}.get(country, "ar")
    if "HEBREW" in scripts:
        return "he"
    return ""
