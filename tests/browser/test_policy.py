"""An administrator drafts a risk list, sees whom it would move and why, and publishes it."""

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from liaison.policy import selectors
from liaison.policy.models import PolicyReview, RiskListVersion, VersionStatus
from tests.conftest import current_code
from tests.policy.test_preview import arrive

pytestmark = pytest.mark.django_db(transaction=True)


def sign_in_with_second_factor(page, user):
    from tests.browser.test_staff_shell import sign_in

    sign_in(page, user.username)
    page.wait_for_selector("input[name=code]")
    device = TOTPDevice.objects.get(user=user)
    page.fill("input[name=code]", current_code(device))
    page.click("button.primary")
    page.wait_for_selector("nav.main")


def test_administrator_previews_and_publishes_a_risk_list(page, screenshot, administrator):
    traveler = arrive("T1000001", "TH", surname_latin="SOMCHAI", nationality="TH")
    sign_in_with_second_factor(page, administrator)

    page.click("nav.main >> text=入境筛查政策")
    page.wait_for_selector("[data-testid=versions-risk-list]")
    screenshot("versions")

    current = selectors.policy_in_force()[1].source
    draft = current.replace('version: "2020-03-20"', 'version: "2020-03-26"')
    draft += "  - {country: TH, level: high, from: 2020-03-20, note: Thailand}\n"
    page.click("text=新建草稿")
    page.select_option("#id_kind", "risk_list")
    page.fill("#id_text", draft.replace("{country: TH", "{country: XX"))
    page.fill("#id_note", "泰国列为高风险（第 12 号通知）")
    page.click("button.primary")
    problems = page.wait_for_selector("[data-testid=problems]")
    assert "unknown country code 'XX'" in problems.inner_text()
    screenshot("refused")

    page.fill("#id_text", draft)
    page.click("button.primary")
    moves = page.wait_for_selector("[data-testid=moves]")
    text = moves.inner_text()
    assert traveler.code in text and "SOMCHAI" in text
    assert "居家隔离" in text and "集中隔离" in text and "曾在泰国" in text
    screenshot("preview")

    page.click("button[name=language][value=en]")
    page.wait_for_selector("html[lang=en]")
    assert "visited Thailand" in page.inner_text("[data-testid=moves]")
    screenshot("preview-en")

    page.click("text=Publish, effective from")
    page.wait_for_selector("text=is flagged for an officer to confirm")
    screenshot("published")
    version = RiskListVersion.objects.get(version="2020-03-26")
    assert version.status == VersionStatus.PUBLISHED
    assert PolicyReview.objects.get().arrival == traveler

    page.click("nav.main >> text=Policy reviews")
    page.wait_for_selector(f"text={traveler.code}")
    screenshot("reviews")
