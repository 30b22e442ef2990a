"""Every string a traveler reads is translated into every traveler language; country names too."""

from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.utils import translation
from django_countries import countries

APP = Path(settings.BASE_DIR, "liaison", "arrivals")
LOCALE = APP / "locale"
# Where traveler-facing strings live; everything else in the app is for staff (zh-hans and en).
# (Paths as the catalogue's "#:" lines give them: relative to the app.)
TRAVELER_FILES = (
    "forms.py",
    "choices.py",
    "states.py",
    "api.py",
    "services.py",
    "public_views.py",
    "templates/arrivals/public/",
    "templates/arrivals/_declaration_form.html",
)
TRAVELER_LANGUAGES = [code for code, _name in settings.LANGUAGES if code != "en"]


def _locale_dir(language: str) -> str:
    return translation.to_locale(language)


def traveler_entries() -> set[str]:
    catalogue = polib.pofile(str(LOCALE / "zh_Hans" / "LC_MESSAGES" / "django.po"))
    return {
        entry.msgid
        for entry in catalogue
        if not entry.obsolete
        and any(path.startswith(TRAVELER_FILES) for path, _line in entry.occurrences)
    }


def test_traveler_strings_are_found():
    entries = traveler_entries()
    assert "Date of birth" in entries and "The date of birth cannot be in the future." in entries
    assert "Declared" in entries  # states, shown on the status page


@pytest.mark.parametrize("language", TRAVELER_LANGUAGES)
def test_every_traveler_string_is_translated(language):
    path = LOCALE / _locale_dir(language) / "LC_MESSAGES" / "django.po"
    assert path.exists(), path
    translated = {e.msgid for e in polib.pofile(str(path)) if e.translated() and not e.obsolete}
    missing = sorted(traveler_entries() - translated)
    assert missing == []


@pytest.mark.parametrize("language", [code for code, _name in settings.LANGUAGES])
def test_country_names_come_in_every_traveler_language(language):
    with translation.override("en"):
        english = countries.name("DE")
    with translation.override(language):
        name = countries.name("DE")
    assert name
    assert (name != english) == (language != "en")
