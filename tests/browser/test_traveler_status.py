"""The traveler's status page on a phone in Arabic (right to left), and the form's language switch
keeping what was typed, with JavaScript off (issue 13, point 6)."""

import pytest

from tests.browser.test_declaration import PHONE, shot
from tests.handover.conftest import declare, to_disposition

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def phone(browser, live_server, city):
    context = browser.new_context(
        base_url=live_server.url,
        viewport=PHONE,
        locale="ar",
        is_mobile=True,
        has_touch=True,
        java_script_enabled=False,
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def test_the_status_page_in_arabic_says_what_comes_next(phone, request):
    arrival = to_disposition(
        declare(language="ar", surname_native="الحسن", given_names_native="عمر", nationality="JO"),
        "centralized_quarantine",
    )
    phone.goto(f"/declare/status/{arrival.status_token}/")
    assert phone.locator("html").get_attribute("dir") == "rtl"
    current = phone.locator('[aria-current="step"]')
    assert current.get_attribute("data-state") == "disposition"
    assert "فندق للحجر الصحي" in phone.get_by_test_id("next").inner_text()
    assert "12345" in phone.get_by_test_id("hotlines").inner_text()
    assert phone.locator('bdi[lang="ar"]').first.inner_text() == "عمر الحسن"
    shot(phone, request, "status-ar")
    # The PNG link is there, behind the private link.
    href = phone.get_by_test_id("qr-png").get_attribute("href")
    assert href == f"/declare/status/{arrival.status_token}/code.png"


def test_changing_the_language_keeps_what_was_typed(phone, request):
    phone.goto("/declare/")
    phone.fill("#id_surname_latin", "HASSAN")
    phone.fill("#id_given_names_latin", "OMAR")
    phone.fill("#id_document_number", "J1234567")
    phone.select_option("#id_page_language", "en")
    assert phone.locator("html").get_attribute("dir") == "rtl"
    phone.locator('button[name="switch_language"]').click()
    phone.wait_for_load_state()
    assert phone.locator("html").get_attribute("lang") == "en"
    assert phone.input_value("#id_surname_latin") == "HASSAN"
    assert phone.input_value("#id_given_names_latin") == "OMAR"
    assert phone.input_value("#id_document_number") == "J1234567"
    shot(phone, request, "switched-to-en")
