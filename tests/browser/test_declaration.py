"""Travelers fill the declaration on a phone-sized screen, in their own language."""

from datetime import timedelta

import pytest
from django.utils import timezone

from liaison.arrivals.models import Arrival
from tests.browser.conftest import ARTIFACTS

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 360, "height": 740}


@pytest.fixture
def phone(browser, live_server, city, request):
    """A small phone in a given locale; screenshots go to test-artifacts/."""
    contexts = []

    def open_phone(locale: str):
        context = browser.new_context(
            base_url=live_server.url,
            viewport=PHONE,
            locale=locale,
            is_mobile=True,
            has_touch=True,
            java_script_enabled=False,
        )
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        return page

    yield open_phone
    for context in contexts:
        context.close()


def shot(page, request, name):
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{request.node.name}-{name}.png"), full_page=True)


def fill(page, *, surname_native, surname, given, nationality, document, phone, language):
    today = timezone.localdate()
    page.fill("#id_surname_native", surname_native)
    page.fill("#id_surname_latin", surname)
    page.fill("#id_given_names_latin", given)
    page.check("#id_sex_1")
    page.fill("#id_date_of_birth", "1988-04-02")
    page.select_option("#id_nationality", nationality)
    page.select_option("#id_document_type", "passport")
    page.fill("#id_document_number", document)
    page.fill("#id_phone", phone)
    page.select_option("#id_language", language)
    page.fill("#id_flight_number", "KE 147")
    page.fill("#id_seat", "32A")
    page.fill("#id_arrival_date", today.isoformat())
    page.select_option("#id_category", "tourist")
    page.select_option("#id_history-0-country", nationality)
    page.fill("#id_history-0-date_from", (today - timedelta(days=10)).isoformat())
    page.fill("#id_history-0-date_to", today.isoformat())
    page.check("#id_contact_with_cases_1")
    page.check("#id_destination_kind_0")
    page.select_option("#id_jurisdiction", "500112")
    page.fill("#id_address", "渝北区 1 号")
    page.check("#id_consent")


def test_a_korean_traveler_declares_on_a_phone(phone, request):
    page = phone("ko-KR")
    page.goto("/declare/")
    assert page.locator("html").get_attribute("lang") == "ko"
    assert "생년월일" in page.inner_text("main")
    shot(page, request, "form")
    fill(
        page,
        surname_native="김",
        surname="KIM",
        given="MINJUN",
        nationality="KR",
        document="M12345678",
        phone="+82 10 2345 6789",
        language="ko",
    )
    page.click("button.primary")
    page.wait_for_selector("[data-testid=declaration-code]")
    arrival = Arrival.objects.get()
    assert page.inner_text("[data-testid=declaration-code]") == arrival.display_code
    assert page.inner_text("[data-testid=state]") == "신고 완료"
    assert page.locator(".qr svg").count() == 1
    shot(page, request, "receipt")


def test_a_persian_traveler_reads_the_form_right_to_left(phone, request):
    page = phone("fa-IR")
    page.goto("/declare/")
    html = page.locator("html")
    assert html.get_attribute("lang") == "fa" and html.get_attribute("dir") == "rtl"
    assert "تاریخ تولد" in page.inner_text("main")
    shot(page, request, "form")
    fill(
        page,
        surname_native="محمدی",
        surname="MOHAMMADI",
        given="SARA",
        nationality="IR",
        document="P87654321",
        phone="+98 912 345 6789",
        language="fa",
    )
    # Another place, without JavaScript's help: the form comes back with what was typed.
    page.click("button[name=add_history]")
    page.wait_for_selector("#id_history-1-country")
    assert page.input_value("#id_surname_native") == "محمدی"
    assert page.locator("#errors").count() == 0
    today = timezone.localdate()
    page.select_option("#id_history-1-country", "AE")
    page.fill("#id_history-1-date_from", (today - timedelta(days=13)).isoformat())
    page.fill("#id_history-1-date_to", (today - timedelta(days=11)).isoformat())
    shot(page, request, "another-place")
    # Enter in a field sends the declaration (the first submit button is the form's default).
    page.press("#id_seat", "Enter")
    page.wait_for_selector("[data-testid=declaration-code]")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert "محمدی" in page.inner_text("main")
    assert [row["country"] for row in Arrival.objects.get().history] == ["IR", "AE"]
    shot(page, request, "receipt")


def test_a_mistake_is_explained_in_the_travelers_language(phone, request):
    page = phone("de-DE")
    page.goto("/declare/")
    fill(
        page,
        surname_native="",
        surname="MÜLLER",
        given="ANNA",
        nationality="DE",
        document="C01X00T47",
        phone="keine Nummer",
        language="de",
    )
    page.click("button.primary")
    page.wait_for_selector("#errors")
    text = page.inner_text("main")
    assert "Bitte korrigieren Sie" in text
    assert "Telefonnummer mit Ländervorwahl" in text
    assert Arrival.objects.count() == 0
    shot(page, request, "error")
    page.fill("#id_phone", "+49 151 23456789")
    page.check("#id_consent")
    page.click("button.primary")
    page.wait_for_selector("[data-testid=declaration-code]")
    assert Arrival.objects.get().phone == "+4915123456789"
