"""An assistance officer works a case from new to resolved in a real browser."""

import pytest

from liaison.assistance.models import AssistanceCase, ConsularNotification
from tests.assistance.conftest import (  # noqa: F401  (fixtures)
    _media_in_tmp,
    assistance_officer,
    italy_consulate,
    second_assistance_officer,
    stranded_in_milan,
)
from tests.browser.test_staff_shell import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_officer_takes_a_stranded_citizen_case_logs_actions_notifies_and_resolves(
    page,
    screenshot,
    browser,
    live_server,
    assistance_officer,  # noqa: F811
    second_assistance_officer,  # noqa: F811
    stranded_in_milan,  # noqa: F811
    italy_consulate,  # noqa: F811
):
    sign_in(page, assistance_officer.username)
    page.wait_for_selector("nav.main")
    page.click("button[name=language][value=en]")
    page.wait_for_selector("html[lang=en]")
    page.click("nav.main >> text=Assistance cases")
    page.click("nav.tabs >> text=Unassigned")
    page.wait_for_selector("[data-testid=cases] >> text=WANG Xiaoming")
    assert "Milan" in page.inner_text("[data-testid=cases]")
    screenshot("unassigned")

    page.click(f"text={stranded_in_milan.reference}")
    page.click("[data-testid=take]")
    page.wait_for_selector("[data-testid=case-status] >> text=Assigned")
    assert page.inner_text("[data-testid=case-officer]") == assistance_officer.username

    for text in ("Called the family in Chongqing.", "Booked a hotel near Milano Centrale."):
        page.fill("#id_log-text", text)
        page.click("[data-testid=log-form] button[type=submit]")
        page.wait_for_selector(f"[data-testid=timeline] >> text={text}")
    page.click("[data-testid=move-form] button[value=in_progress]")
    page.wait_for_selector("[data-testid=case-status] >> text=In progress")
    screenshot("case-with-actions")

    page.select_option("#id_notify-mission", str(italy_consulate.pk))
    page.click("[data-testid=notify-form] button[type=submit]")
    page.wait_for_selector("[data-testid=notification-status] >> text=Draft")
    # Four eyes: the drafter reads the text; a colleague reviews it.
    assert "Notifica consolare" in page.inner_text("[data-testid=own-draft]")
    assert not page.locator("[data-testid=review-form]").count()
    screenshot("notification-draft")
    colleague = browser.new_context(base_url=live_server.url, locale="zh-CN").new_page()
    sign_in(colleague, second_assistance_officer.username)
    colleague.wait_for_selector("nav.main")
    colleague.goto(page.url)
    assert "Booked a hotel near Milano Centrale." in colleague.input_value("#id_review-body")
    colleague.click("[data-testid=review-form] button[type=submit]")
    colleague.wait_for_selector("[data-testid=notification-status] >> text=已审核")
    colleague.context.close()
    page.reload()
    page.wait_for_selector("[data-testid=notification-status] >> text=Reviewed")
    page.select_option("#id_send-sent_via", "email")
    page.click("[data-testid=send-form] button[type=submit]")
    page.wait_for_selector("[data-testid=sent]")
    screenshot("notification-sent")

    page.click(f"text={stranded_in_milan.reference}")
    page.fill("#id_move-note", "Back in Chongqing on the repatriation flight.")
    page.click("[data-testid=move-form] button[value=resolved]")
    page.wait_for_selector("[data-testid=case-status] >> text=Resolved")
    screenshot("resolved")

    case = AssistanceCase.objects.get(pk=stranded_in_milan.pk)
    assert (case.status, case.assigned_to) == ("resolved", assistance_officer)
    assert case.events.filter(type="action").count() == 2
    notification = ConsularNotification.objects.get(case=case)
    assert (notification.status, notification.language, notification.sent_by) == (
        "sent",
        "it",
        assistance_officer,
    )
