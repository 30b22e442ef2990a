"""The desk in zh-hans with a fever alarm, in a real browser, at a desk's and a phone's width."""

import pytest

from tests.browser.conftest import ARTIFACTS
from tests.browser.test_staff_shell import sign_in
from tests.screening.conftest import declare

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_desk_raises_a_fever_alarm_in_chinese(page, city, airport_desk_officer):
    arrival = declare(symptoms=["cough"], contact_with_cases=True)
    sign_in(page, airport_desk_officer.username)
    page.goto(f"/screening/desk/{arrival.pk}/")
    page.wait_for_selector("[data-testid=temperature-form]")
    assert page.locator("[data-testid=alarms]").count() == 0
    for celsius in ("36.8", "38.6"):
        page.fill("#id_celsius", celsius)
        page.fill("#id_device", "IR-3")
        page.click("[data-testid=temperature-form] button")
        page.wait_for_selector(f"[data-testid=readings] >> text={celsius}")

    alarm = page.locator("[data-testid=alarms]")
    assert alarm.get_attribute("role") == "alert"
    assert "警报" in alarm.inner_text()
    assert "1 名发热入境人员（≥ 37.3 °C），尚未送医" in alarm.inner_text()
    assert arrival.display_code in alarm.inner_text() and "38.6 °C" in alarm.inner_text()
    fever = page.locator("[data-testid=fever-reading]")
    assert "38.6" in fever.inner_text() and "发热（最高读数）" in fever.inner_text()
    assert "咳嗽" in page.inner_text("[data-testid=symptoms]")
    assert "韩国" in page.inner_text("[data-testid=history]")
    assert page.locator("[data-testid=next-step]").get_attribute("data-step") == "check_history"

    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "desk-zh-fever-alarm.png"), full_page=True)
    # On a phone nothing runs off the side: the page is no wider than the screen.
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    page.wait_for_selector("[data-testid=alarms]")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390 + 1, width
    page.screenshot(path=str(ARTIFACTS / "desk-zh-fever-alarm-phone.png"), full_page=True)
