"""An airport desk officer decides several flagged travelers at once, with one reason."""

import pytest

from liaison.policy import services
from liaison.policy.models import PolicyReview
from tests.browser.conftest import ARTIFACTS
from tests.browser.test_staff_shell import sign_in
from tests.policy.test_preview import arrive
from tests.policy.test_versions import draft_risk

pytestmark = pytest.mark.django_db(transaction=True)

REASON = "第 12 号通知：泰国自 3 月 26 日起列为高风险"


def test_desk_officer_confirms_several_flags_with_one_reason(
    page, screenshot, city, administrator, airport_desk_officer
):
    travelers = [
        arrive(f"T300000{n}", "TH", surname_latin=f"THAI{letter}", nationality="TH")
        for n, letter in enumerate("ABCDE")
    ]
    assert services.publish(version=draft_risk(administrator), by=administrator).flagged == 5
    chosen = travelers[:3]

    sign_in(page, airport_desk_officer.username)
    page.wait_for_selector("nav.main")
    page.goto("/policy/reviews/")
    page.wait_for_selector("[data-testid=bulk-review]")
    for traveler in chosen:
        review = PolicyReview.objects.get(arrival=traveler)
        page.check(f"#review-{review.pk}")
    page.check("input[name=decision][value=confirm]")
    page.fill("#id_reason", REASON)
    screenshot("selected")
    page.click("[data-testid=decide]")
    page.wait_for_selector("ul.messages >> text=已确认 3 名入境人员")
    remaining = page.inner_text("[data-testid=reviews]")
    assert all(t.code not in remaining for t in chosen)
    assert all(t.code in remaining for t in travelers[3:])

    page.select_option("#id_show", "all")
    page.click("[data-testid=review-filters] button[type=submit]")
    page.wait_for_selector("[data-testid=review-reason]")
    for traveler in chosen:
        row = page.locator(f"[data-review='{PolicyReview.objects.get(arrival=traveler).pk}']")
        assert "已确认" in row.inner_text() and REASON in row.inner_text()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "bulk-review.png"), full_page=True)

    decided = PolicyReview.objects.filter(arrival__in=chosen)
    assert set(decided.values_list("status", "reason")) == {("confirmed", REASON)}
    assert PolicyReview.objects.filter(status="pending").count() == 2
