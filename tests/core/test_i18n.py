"""Every staff string is translated; the language switch works."""

from pathlib import Path

import polib
import pytest
from django.conf import settings

CATALOGUES = sorted(
    Path(settings.BASE_DIR, "liaison").glob("*/locale/zh_Hans/LC_MESSAGES/django.po")
)


def test_there_are_catalogues():
    assert any("core" in str(path) for path in CATALOGUES)


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: p.parts[-5])
def test_every_staff_string_has_a_chinese_translation(path):
    catalogue = polib.pofile(str(path))
    untranslated = [e.msgid for e in catalogue if not e.obsolete and not e.translated()]
    assert untranslated == []


@pytest.mark.django_db
def test_language_switch_between_chinese_and_english(airport_desk_officer, signed_in):
    client = signed_in(airport_desk_officer)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.get("/").content.decode()
    assert "Sign out" in page and 'lang="en"' in page
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    page = client.get("/").content.decode()
    assert "退出登录" in page and "机场工作组" in page


@pytest.mark.django_db
def test_staff_pages_fall_back_to_the_office_language(airport_desk_officer, signed_in):
    client = signed_in(airport_desk_officer)
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="ko").content.decode()
    assert 'lang="zh-hans"' in page
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert 'lang="en"' in page
