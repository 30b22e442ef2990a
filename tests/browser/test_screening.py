"""Through the desk, sampling and the laboratory to the timeline, in a real browser."""

from datetime import timedelta

import pytest
from django.utils import timezone

from liaison.arrivals.models import Arrival
from liaison.arrivals.states import ArrivalState
from liaison.core.roles import Role
from tests.browser.test_staff_shell import sign_in
from tests.conftest import make_user
from tests.screening.conftest import declare

pytestmark = pytest.mark.django_db(transaction=True)


def sign_out(page):
    page.context.clear_cookies()


def test_a_traveler_from_the_desk_to_the_decision(
    page, screenshot, city, airport_desk_officer, sampler_at_t3
):
    lab_user = make_user("hu-lab", Role.LAB)
    arrival = declare()

    # The desk: the scanner types the code and presses Enter.
    sign_in(page, airport_desk_officer.username)
    page.goto("/screening/desk/")
    page.fill("#q", arrival.code)
    page.press("#q", "Enter")
    page.wait_for_selector("[data-testid=temperature-form]")
    for celsius in ("36.5", "36.9"):
        page.fill("#id_celsius", celsius)
        page.fill("#id_device", "IR-3")
        page.click("[data-testid=temperature-form] button")
        page.wait_for_selector(f"[data-testid=readings] >> text={celsius}")
    page.click("button[name=confirm]")
    page.wait_for_selector("text=旅居史已确认")
    screenshot("desk")
    page.click("[data-testid=screen]")
    page.wait_for_selector("[data-testid=state] >> text=已筛查")
    screenshot("screened")
    sign_out(page)

    # Sampling: the traveler's code, then the tube.
    sign_in(page, sampler_at_t3.username)
    page.goto("/screening/sampling/")
    page.fill("#id_code", arrival.display_code)
    page.press("#id_code", "Enter")
    page.fill("#id_barcode", "T3-000777")
    page.click("[data-testid=sample-form] button")
    page.wait_for_selector(".messages .success")
    screenshot("sampled")
    sign_out(page)

    # The laboratory: a small file, its preview with a bad row, then saving.
    sign_in(page, lab_user.username)
    page.goto("/screening/lab/")
    tested = (timezone.localtime() + timedelta(minutes=1)).strftime("%Y-%m-%d %H:%M")
    content = f"barcode,result,tested_at\nT3-000777,negative,{tested}\nNOPE-1,negative,{tested}\n"
    page.set_input_files(
        "#id_file",
        files=[{"name": "results.csv", "mimeType": "text/csv", "buffer": content.encode()}],
    )
    page.fill("[data-testid=file-form] #id_lab", "Jiangbei CDC")
    page.click("[data-testid=file-form] button")
    page.wait_for_selector("[data-testid=bad-rows]")
    assert "3" in page.inner_text("[data-testid=bad-rows] tbody tr td")
    screenshot("preview")
    page.click("[data-testid=save]")
    page.wait_for_selector("[data-testid=saved]")
    screenshot("saved")
    sign_out(page)
    assert Arrival.objects.get(pk=arrival.pk).state == ArrivalState.DISPOSED

    # The timeline with the decision and its explanation.
    sign_in(page, airport_desk_officer.username)
    page.goto(f"/screening/arrivals/{arrival.pk}/timeline/")
    page.wait_for_selector("[data-testid=decision]")
    assert "集中隔离" in page.inner_text("[data-testid=decision]")
    screenshot("timeline")
