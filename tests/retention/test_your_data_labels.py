"""The traveler reads every label of their own data in their language: the page and the
download, each section (screening and handover included), each yes/no, choice and officer."""

import json
import re
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation

from liaison.arrivals.models import Arrival
from liaison.retention import labels, services
from tests.retention.conftest import released_after

pytestmark = pytest.mark.django_db

TRAVELER_LANGUAGES = [code for code, _name in settings.LANGUAGES if code != "en"]
SECTION = re.compile(r"<legend>(.*?)</legend>(.*?)</fieldset>", re.S)
ROW = re.compile(r"<dt>(.*?)</dt><dd>(?:<bdi[^>]*>)?(.*?)(?:</bdi>)?</dd>", re.S)


@pytest.fixture
def traveler(clock, yubei, dispatcher, yubei_receiving_officer):
    """Screened, sampled, tested, decided, handed over, quarantined, released; and asking for a
    correction: every section of the page has a record."""
    arrival = released_after(
        14, clock=clock, yubei=yubei, dispatcher=dispatcher, officer=yubei_receiving_officer
    )
    services.ask_correction(arrival=arrival, reason="My seat was 32B")
    return arrival


def _page(arrival: Arrival, language: str) -> tuple[str, list[list[tuple[str, str]]]]:
    Arrival.objects.filter(pk=arrival.pk).update(language=language)
    page = Client().get(f"/declare/status/{arrival.status_token}/your-data/").content.decode()
    assert f'lang="{language}"' in page
    return page, [ROW.findall(body) for _legend, body in SECTION.findall(page)]


def _words() -> set[str]:
    """The English words of the yes/no, the staff-word choices and "staff"."""
    with translation.override("en"):
        found = {str(labels.YES), str(labels.NO), str(labels.STAFF)}
        for choices in labels.CHOICES.values():
            found |= {str(label) for label in choices.values()}
    return found


@pytest.mark.parametrize("language", ["ko", "fa", "ar"])
def test_no_english_label_is_left_on_the_page(traveler, language):
    _english_page, english = _page(traveler, "en")
    assert len(english) == 11 and all(english)  # every section, each with its record
    # What a missing translation falls back to: the office's language.
    _chinese_page, chinese = _page(traveler, settings.LANGUAGE_CODE)
    page, sections = _page(traveler, language)
    assert ('dir="rtl"' in page) == (language in settings.LANGUAGES_BIDI)
    assert len(sections) == len(english)
    words = _words()
    for theirs, ours, office in zip(sections, english, chinese, strict=True):
        others = {label for label, _value in ours + office}
        assert [label for label, _value in theirs if label in others] == []
        assert [value for _label, value in theirs if value in words] == []
    # The English page does show them: the comparison compares something.
    shown = {value for section in english for _label, value in section}
    assert {"Yes", "No", "Negative", "Staff", "Centralized quarantine"} <= shown
    # The stored lists and mappings (travel history, each version, a step's details) are read
    # by their labels too, not by their keys.
    for key in ("date_from", "surname_native", "flight_number", "barcode", "max_celsius"):
        assert key not in page
    # An officer is "staff", never their account.
    assert "wang-yubei" not in page and "test-lab" not in page


def test_the_download_names_each_field_in_the_travelers_language(traveler):
    link = f"/declare/status/{traveler.status_token}/your-data.json"
    downloads = {}
    for language in ("en", "ko"):
        Arrival.objects.filter(pk=traveler.pk).update(language=language)
        downloads[language] = json.loads(Client().get(link).content)["sections"]
        downloads[language][0]["records"][0].pop("language")  # the one thing changed here
    for english, korean in zip(downloads["en"], downloads["ko"], strict=True):
        assert english["labels"].keys() == korean["labels"].keys()
        assert english["labels"] and set(english["labels"].values()).isdisjoint(
            korean["labels"].values()
        )
        assert english["records"] == korean["records"]  # the values as stored, in no language
    text = json.dumps(downloads["ko"], ensure_ascii=False)
    assert "wang-yubei" not in text and "test-lab" not in text


def _translated(language: str) -> set[tuple[str | None, str]]:
    found = set()
    for app in ("retention", "arrivals"):
        path = Path(settings.BASE_DIR, "liaison", app, "locale")
        po = polib.pofile(str(path / translation.to_locale(language) / "LC_MESSAGES" / "django.po"))
        found |= {(e.msgctxt, e.msgid) for e in po if e.translated() and not e.obsolete}
    return found


@pytest.mark.parametrize("language", TRAVELER_LANGUAGES)
def test_every_label_of_the_page_is_in_each_traveler_language(language):
    every = [label for fields in labels.LABELS.values() for label in fields.values()]
    every += [label for choices in labels.CHOICES.values() for label in choices.values()]
    every += [labels.YES, labels.NO, labels.STAFF]
    translated = _translated(language)
    with translation.override("en"):
        missing = {
            str(label)
            for label in every
            if ("your data", str(label)) not in translated and (None, str(label)) not in translated
        }
    assert sorted(missing) == []
