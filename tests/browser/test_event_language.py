"""A timeline recorded by officers working in English, read in Chinese in a real browser."""

import pytest

from tests.arrivals.test_event_language import SENTENCES, expected, through_the_pipeline
from tests.browser.conftest import ARTIFACTS
from tests.browser.test_staff_shell import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_timeline_recorded_in_english_reads_in_chinese(page, city, airport_desk_officer):
    arrival, batch = through_the_pipeline("en")
    sign_in(page, airport_desk_officer.username)
    page.wait_for_selector("h1")
    page.goto(f"/screening/arrivals/{arrival.pk}/timeline/")
    events = page.locator("[data-testid=events]")
    events.wait_for()
    shown = events.inner_text()
    for state in SENTENCES:
        assert expected(state, "zh-hans", batch) in shown, state
        assert expected(state, "en", batch) not in shown, state
    assert "重庆江北国际机场" in shown  # the port, named in the reader's language
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "timeline-recorded-en-read-zh.png"), full_page=True)
