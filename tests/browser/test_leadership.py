"""The leadership desk in Chromium (issue 17): the dashboard in zh-hans with its charts, a
figure's drill-down to the board's list, yesterday's briefing drafted, its highlights written,
approved and printed — the PDF read back as the manifest's is. Screenshots and a PNG of the
PDF's first page go to test-artifacts/."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from liaison.arrivals.models import Arrival, ArrivalEvent, Flight
from liaison.core.roles import Role
from liaison.leadership import figures
from liaison.leadership.models import Briefing, BriefingStatus
from tests.browser.test_staff_shell import sign_in
from tests.conftest import make_user
from tests.handover.conftest import declare, ready
from tests.poppler import first_page_png, fonts, text

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def yesterday_at_the_airport(city):
    """Five travelers of yesterday's flights: three decided, two still declared (their day and
    moves set back one day, as if they had landed yesterday morning)."""
    travelers = [ready() for _ in range(3)] + [
        declare(surname_native="朴", given_names_native="敏俊"),
        declare(flight_number="AZ 790"),
    ]
    yesterday = timezone.localdate() - timedelta(days=1)
    morning = figures.office_midnight(yesterday) + timedelta(hours=9)
    Arrival.objects.update(arrival_date=yesterday, created_at=morning)
    Flight.objects.update(date=yesterday)
    ArrivalEvent.objects.update(at=morning + timedelta(minutes=30))
    return travelers


def test_the_dashboard_a_drill_down_and_a_briefing_approved_and_printed(
    page, screenshot, yesterday_at_the_airport, tmp_path
):
    leader = make_user("zhou-leader", Role.LEADERSHIP)
    sign_in(page, leader.username)
    page.wait_for_selector("[data-testid=situation]")
    page.click("[data-testid=situation] h2 a[href='/leadership/']")
    page.wait_for_selector("[data-section=pipeline]")
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    assert "入境人员闭环管理" in page.inner_text("[data-section=pipeline] h2")
    assert page.locator("[data-chart='pipeline.days'] svg").count() == 1
    screenshot("dashboard-zh")

    # The drill-down: the figure "at the airport" of all days is the board's list of them.
    cell = page.locator("[data-table='pipeline.numbers'] td[data-key='pipeline.total.at_airport']")
    shown = int(cell.get_attribute("data-value"))
    assert shown == 5  # decided or not, all five wait at the airport
    cell.locator("a").click()
    page.wait_for_url("**/handover/board/at_airport/")
    assert page.locator("tbody tr").count() == shown
    screenshot("drill-down")

    # Yesterday's briefing: drafted (its cut-off, 24:00, has passed), written, approved.
    page.goto("/leadership/briefings/")
    page.click("button:has-text('起草该日日报')")
    page.wait_for_selector("[data-testid=briefing-facts]")
    yesterday = timezone.localdate() - timedelta(days=1)
    assert f"{yesterday:%Y-%m-%d} 24:00" in page.inner_text("[data-testid=cutoff]")
    page.fill("#id_highlights_zh", "昨日入境 5 人，闭环管理无遗漏。")
    page.fill("#id_highlights_en", "Five arrivals yesterday; nobody lost in the closed loop.")
    page.click("button:has-text('保存要点')")
    page.wait_for_selector("text=昨日入境 5 人")
    screenshot("briefing-draft")
    page.click("[data-testid=approve]")
    page.wait_for_selector("[data-testid=pdf-link]")
    assert "已审批" in page.inner_text("[data-testid=status]")
    assert leader.username in page.inner_text("[data-testid=approved]")
    screenshot("briefing-approved")
    briefing = Briefing.objects.get()
    assert briefing.status == BriefingStatus.APPROVED

    page.goto(f"/leadership/briefings/{briefing.pk}/print/")
    page.wait_for_selector(".document-title")
    screenshot("briefing-print")
    response = page.request.get(f"/leadership/briefings/{briefing.pk}/briefing.pdf")
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    pdf = Path(tmp_path / "briefing.pdf")
    pdf.write_bytes(response.body())
    first_page_png(pdf, "test_the_dashboard_a_drill_down_and_a_briefing-pdf")
    assert all(font["emb"] == "yes" for font in fonts(pdf))
    printed = text(pdf)
    assert "外事联络组日报" in printed and "Daily briefing" in printed
    assert "昨日入境 5 人" in printed and "nobody lost in the closed loop" in printed
    assert "朴" not in printed and "KIM" not in printed  # no traveler named
