"""Retention's traveler pages are in every traveler language; its staff strings in zh-hans."""

import re
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.utils import translation

APP = Path(settings.BASE_DIR, "liaison", "retention")
PUBLIC = APP / "templates" / "retention" / "public"
TRAVELER_LANGUAGES = [code for code, _name in settings.LANGUAGES if code != "en"]
MSGID = re.compile(
    r"""\{%\s*(?:translate|trans)\s+"([^"]+)"|\{%\s*blocktranslate[^%]*%\}(.*?)\{%"""
)


def traveler_strings() -> set[str]:
    found = set()
    for path in PUBLIC.glob("*.html"):
        for plain, block in MSGID.findall(path.read_text()):
            found.add(plain or re.sub(r"\{\{\s*(\w+)\s*\}\}", r"%(\1)s", block))
    # The correction form's label and the refusals a traveler can meet.
    found |= {
        "What is wrong, and what should it say?",
        "Give the reason.",
        "The reason is too long (at most %(n)s characters).",
        "Your data was anonymized: there is nothing left to correct.",
    }
    return found


def test_traveler_strings_are_found():
    assert "Your data" in traveler_strings()
    assert "Your personal data will be anonymized on %(day)s." in traveler_strings()


@pytest.mark.parametrize("language", TRAVELER_LANGUAGES)
def test_every_traveler_string_is_translated(language):
    path = APP / "locale" / translation.to_locale(language) / "LC_MESSAGES" / "django.po"
    translated = {e.msgid for e in polib.pofile(str(path)) if e.translated() and not e.obsolete}
    assert sorted(traveler_strings() - translated) == []
