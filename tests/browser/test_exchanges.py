"""The 24 March 2020 video conference with Ukraine and Armenia, arranged by the Ministry: the
exchange officer records a question and a material on the page, finalizes the minutes, and
prints them. Screenshots of the pages and a PNG of the PDF's first page go to test-artifacts/."""

from pathlib import Path

import pytest

from liaison.core import audit, reference
from liaison.core.roles import Role
from liaison.exchanges import services
from liaison.exchanges.models import Conference
from tests.browser.test_staff_shell import sign_in
from tests.conftest import make_user
from tests.exchanges.conftest import (
    ARMENIAN_DEPUTY,
    PDF_BYTES,
    TITLE_ZH,
    UKRAINIAN_MINISTER,
    build_directory,
    march_24_plan,
    record_the_questions,
)
from tests.poppler import first_page_png, fonts, text

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def planned(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    with audit.acting_as(username="test"):
        reference.load(settings.LIAISON_REFERENCE_DIR / "chongqing")
    officer = make_user("zhou-exchanges", Role.EXCHANGES)
    directory = build_directory()
    with audit.acting_as(officer):
        conference = services.plan_conference(plan=march_24_plan(directory), by=officer)
        record_the_questions(conference, directory, officer)
    return {"officer": officer, "conference": conference, "directory": directory}


def test_the_conference_is_finalized_and_printed(page, screenshot, planned, tmp_path):
    conference = planned["conference"]
    sign_in(page, planned["officer"].username)
    page.goto("/exchanges/")
    page.wait_for_selector("[data-testid=conferences]")
    assert TITLE_ZH in page.inner_text("[data-testid=conferences]")
    page.click(f"text={TITLE_ZH}")
    page.wait_for_selector("[data-testid=times]")
    times = page.inner_text("[data-testid=times]")
    assert "Europe/Kyiv" in times and "2020-03-24 09:00" in times and "Asia/Yerevan" in times

    # The deputy minister's second question, through the form.
    form = page.locator("[data-testid=question-form]")
    seat = conference.participants.get(person=planned["directory"]["people"]["deputy_am"])
    answer = conference.participants.get(person=planned["directory"]["people"]["expert_6"])
    form.locator("#id_asked_by").select_option(str(seat.pk))
    form.locator("#id_question_en").fill("When do you test contacts of a case?")
    form.locator("#id_answered_by").select_option(str(answer.pk))
    form.locator("#id_answer_zh").fill("密切接触者在隔离第 1 天和第 14 天各检测一次。")
    form.locator("button").click()
    page.wait_for_selector("text=问题已记录")
    assert page.locator("[data-testid=questions] > li").count() == 3

    # A material: a PDF of the treatment plan, shared with the counterparts.
    upload = tmp_path / "treatment-plan.pdf"
    upload.write_bytes(PDF_BYTES)
    form = page.locator("[data-testid=material-form]")
    form.locator("#id_file").set_input_files(str(upload))
    form.locator("#id_title").fill("诊疗方案 Treatment plan")
    form.locator("#id_language").select_option("ru")
    form.locator("#id_visibility").select_option("counterparts")
    form.locator("button").click()
    page.wait_for_selector("text=材料已分享")
    screenshot("conference")

    page.click("[data-testid=finalize] button")
    page.wait_for_selector("[data-testid=minutes-status]")
    assert "纪要已定稿" in page.inner_text("[data-testid=minutes-status]")
    body = page.inner_text("body")
    assert UKRAINIAN_MINISTER in body and ARMENIAN_DEPUTY in body
    screenshot("finalized-minutes")
    assert Conference.objects.get().is_final

    response = page.request.get(f"/exchanges/{conference.pk}/minutes.pdf")
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    pdf = Path(tmp_path / "minutes.pdf")
    pdf.write_bytes(response.body())
    first_page_png(pdf, "test_the_conference_is_finalized_and_printed-minutes-pdf")
    assert all(font["emb"] == "yes" for font in fonts(pdf))
    printed = "".join(text(pdf).split())
    assert "".join(TITLE_ZH.split()) in printed and ARMENIAN_DEPUTY.replace(" ", "") in printed

    # Locked: the page offers no more forms.
    page.goto(f"/exchanges/{conference.pk}/")
    assert page.locator("[data-testid=locked]").count() == 1
    assert page.locator("[data-testid=question-form]").count() == 0
