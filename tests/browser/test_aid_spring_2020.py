"""Spring 2020 at the aid desk, in Chromium: masks to Italy in two batches; KF94 to Iran with a
part for Shiraz; the Korean batch received short with a reason; an inbound donation allocated to
two hospitals and a district. The officer drafts the letter of thanks on the page, another
reviews it; the public transparency page (no account) shows where every unit went; the letter's
PDF is checked as the manifest is and its first page saved as a PNG. Screenshots go to
test-artifacts/."""

import importlib
from datetime import date

import pytest
from django.apps import apps

from liaison.aid import allocation, letters
from liaison.aid.models import Letter
from liaison.core import audit, reference
from liaison.core.models import Jurisdiction, Site
from liaison.core.roles import Role
from liaison.directory.models import OrganizationKind as K
from tests.aid.conftest import committed, donate, organization, receive, ship
from tests.browser.test_staff_shell import sign_in
from tests.conftest import make_user
from tests.poppler import ARTIFACTS, first_page_png, fonts, text

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def spring(settings):
    with audit.acting_as(username="test"):
        reference.load(settings.LIAISON_REFERENCE_DIR / "chongqing")
    seed = importlib.import_module("liaison.aid.migrations.0001_donations_shipments_catalogue")
    seed.seed_catalogue(apps, None)  # a transactional test before this one flushed it
    officer, reviewer = make_user("he-aid", Role.AID), make_user("lu-aid", Role.AID)
    city = organization(
        "CN-CQ-GOV", K.CHINESE_AUTHORITY, "CN", "重庆市人民政府", "Chongqing Municipal Government"
    )
    italy = organization("IT-GOV", K.GOVERNMENT, "IT", "意大利政府", "Government of Italy")
    iran = organization("IR-GOV", K.GOVERNMENT, "IR", "伊朗政府", "Government of Iran")
    shiraz = organization("IR-SHIRAZ", K.SISTER_CITY, "IR", "伊朗设拉子市", "Shiraz")
    korea = organization("KR-JEONNAM", K.FRIENDSHIP_PROVINCE, "KR", "韩国全罗南道", "Jeollanam-do")
    donor = organization("KR-SEOUL", K.SISTER_CITY, "KR", "韩国首尔特别市", "Seoul")

    to_italy = donate(
        officer, city, italy, ("FFP2", 300, "box"), ("SURGICAL-EN14683", 40, "carton")
    )
    committed(to_italy, officer)
    ship(to_italy, officer, 3000, 40000, sent_on=date(2020, 3, 19), route="CA 877 CKG–MXP")
    ship(to_italy, officer, 3000, 40000, sent_on=date(2020, 3, 26), route="CA 877 CKG–MXP")

    to_iran = donate(officer, city, iran, ("KF94", 20000, ""), ("SURGICAL-YY0469", 100000, ""))
    committed(to_iran, officer)
    ship(to_iran, officer, 15000, 80000)
    ship(to_iran, officer, 5000, 20000, consignee=shiraz.pk)

    to_korea = donate(officer, city, korea, ("KF94", 10000, ""), on=date(2020, 3, 5))
    committed(to_korea, officer)
    batch = ship(to_korea, officer, 10000, sent_on=date(2020, 3, 8))
    receive(batch, officer, date(2020, 3, 12), (9800, 200, "Two cartons crushed in transit"))

    gift = donate(
        officer, donor, city, ("KF94", 20000, ""), on=date(2020, 2, 10), donor_may_be_named=True
    )
    committed(gift, officer)
    receive(ship(gift, officer, 20000, sent_on=date(2020, 2, 12)), officer, date(2020, 2, 14))
    line, on = gift.lines.get(), date(2020, 2, 15)
    allocation.allocate(
        line=line,
        units=10000,
        site=Site.objects.get(code="HOSP-PHMC").pk,
        allocated_on=on,
        by=officer,
    )
    allocation.allocate(
        line=line,
        units=6000,
        site=Site.objects.get(code="HOSP-YB-01").pk,
        allocated_on=on,
        by=officer,
    )
    allocation.allocate(
        line=line,
        units=4000,
        jurisdiction=Jurisdiction.objects.get(code="500103").pk,
        allocated_on=on,
        by=officer,
    )
    return {
        "officer": officer,
        "reviewer": reviewer,
        "italy": to_italy,
        "iran": to_iran,
        "korea": to_korea,
        "gift": gift,
    }


def test_spring_2020_at_the_aid_desk(page, screenshot, browser, live_server, spring, tmp_path):
    sign_in(page, spring["officer"].username)
    page.goto(f"/aid/{spring['italy'].pk}/")
    assert page.locator("[data-testid=batches] tbody tr").count() == 2
    screenshot("italy-two-batches")
    page.goto(f"/aid/{spring['iran'].pk}/")
    assert "伊朗设拉子市" in page.inner_text("[data-testid=batches]")
    screenshot("iran-part-for-shiraz")
    page.goto(f"/aid/{spring['korea'].pk}/")
    assert "Two cartons crushed in transit" in page.inner_text("[data-testid=batches]")
    screenshot("korea-received-short")
    page.goto(f"/aid/{spring['gift'].pk}/")
    assert page.inner_text("[data-testid=remaining]").strip() == "0"
    screenshot("seoul-allocated")

    page.click("[data-testid=draft-letter]")
    page.wait_for_selector("[data-testid=letter-status]")
    assert page.inner_text("[data-testid=letter-status]") == "已起草"
    letter = Letter.objects.get()
    assert letter.language == "ko"
    letters.review_letter(letter=letter, by=spring["reviewer"])
    page.reload()
    assert page.inner_text("[data-testid=letter-status]") == "已审核"
    screenshot("letter-reviewed")

    pdf = page.request.get(f"/aid/letters/{letter.pk}/letter.pdf")
    assert pdf.status == 200 and pdf.headers["content-type"] == "application/pdf"
    path = tmp_path / "letter.pdf"
    path.write_bytes(pdf.body())
    first_page_png(path, "aid-spring-2020-letter-ko")
    used = fonts(path)
    assert all(f["emb"] == "yes" and f["uni"] == "yes" for f in used), used
    assert "Noto-Sans-CJK-KR" in {f["name"].partition("+")[2] for f in used}
    printed = text(path)
    assert "感谢信" in printed and "감사 서한" in printed and "20000" in printed

    public = browser.new_context(base_url=live_server.url, locale="en-US").new_page()
    public.goto("/aid/transparency/")
    received = public.inner_text("[data-testid=received]")
    assert "Seoul" in received and "20000" in received
    allocated = public.inner_text("[data-testid=allocated]")
    assert allocated.count("2020-02-15") == 3
    outbound = public.inner_text("[data-testid=outbound]")
    assert "Italy" in outbound and "Iran" in outbound and "South Korea" in outbound
    assert "he-aid" not in public.content()
    public.screenshot(
        path=str(ARTIFACTS / "test_spring_2020_at_the_aid_desk-transparency.png"), full_page=True
    )
    public.context.close()
