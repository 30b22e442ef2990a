"""Dispatch makes a batch and sends it; the Yubei officer scans each traveler; the board adds up."""

import pytest

from liaison.core import audit, reference
from liaison.core.models import Jurisdiction
from liaison.core.roles import Role
from liaison.handover.models import Batch
from tests.browser.test_staff_shell import sign_in
from tests.conftest import make_user
from tests.handover.conftest import ready

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def day(settings):
    with audit.acting_as(username="test"):
        reference.load(settings.LIAISON_REFERENCE_DIR / "chongqing")
    yubei = Jurisdiction.objects.get(code="500112")
    return {
        "travelers": [ready() for _ in range(3)] + [ready("home_quarantine")],
        "dispatcher": make_user("sun-dispatch", Role.DISPATCH),
        "officer": make_user("wang-yubei", Role.DISTRICT_RECEIVING, jurisdiction=yubei),
        "leader": make_user("zhou-leader", Role.LEADERSHIP),
        "yubei": yubei,
    }


def test_dispatch_to_receipt_and_the_board(page, screenshot, day):
    travelers = day["travelers"]
    sign_in(page, day["dispatcher"].username)
    page.click("nav.main >> text=转运调度")
    page.wait_for_selector("[data-testid=ready-groups]")
    assert "渝北区" in page.inner_text("[data-testid=ready-groups]")
    screenshot("dispatch")

    page.click("[data-testid=ready-groups] >> tr:has-text('集中隔离') >> text=编组批次")
    page.wait_for_selector("[data-testid=ready]")
    for traveler in travelers[:3]:
        page.check(f"input[name=arrival][value='{traveler.pk}']")
    page.fill("#id_vehicle", "渝A·88888")
    page.fill("#id_escort", "刘警官")
    screenshot("new-batch")
    page.click("button.primary")
    page.wait_for_selector("[data-testid=depart]")
    assert page.locator("[data-testid=members] tbody tr").count() == 3
    page.click("[data-testid=depart]")
    page.wait_for_selector("text=已登记出发")
    batch = Batch.objects.get()
    assert batch.status == Batch.Status.DEPARTED
    screenshot("departed")

    page.click("[data-testid=manifest]")
    page.wait_for_selector("[data-testid=manifest-rows]")
    manifest = page.inner_text("[data-testid=manifest-rows]")
    assert travelers[0].document_number not in manifest
    assert travelers[0].document_number[-4:] in manifest
    screenshot("manifest")

    page.context.clear_cookies()
    sign_in(page, day["officer"].username)
    page.click("nav.main >> text=区县接收")
    page.click(f"text={batch.number}")
    page.wait_for_selector("[data-testid=scan]")
    for traveler in travelers[:3]:
        # A scanner types the code and presses Enter.
        page.fill("#id_code", traveler.code)
        page.press("#id_code", "Enter")
        page.wait_for_selector(f"text={traveler.display_code} 已接收")
    assert page.inner_text("[data-testid=progress]") == "3 / 3"
    assert "已关闭" in page.inner_text("h1")
    screenshot("received")

    page.context.clear_cookies()
    sign_in(page, day["leader"].username)
    page.click("nav.main >> text=闭环看板")
    page.wait_for_selector("[data-testid=alerts]")
    total = page.locator("tr.total")
    assert total.locator("td").first.inner_text() == "4"
    assert total.locator("[data-group=received]").inner_text() == "3"
    assert total.locator("[data-group=at_airport]").inner_text() == "1"
    screenshot("board")
