"""Sign in, switch language, see a role's home page, in a real browser."""

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.conftest import PASSWORD, current_code

pytestmark = pytest.mark.django_db(transaction=True)


def sign_in(page, username):
    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button.primary")


def test_desk_officer_signs_in_and_switches_language(page, screenshot, airport_desk_officer):
    sign_in(page, airport_desk_officer.username)
    page.wait_for_selector("h1")
    assert page.inner_text("h1") == "机场工作组"
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    screenshot("home-zh")

    page.click("button[name=language][value=en]")
    page.wait_for_selector("html[lang=en]")
    assert page.inner_text("h1") == "Airport desk officer"
    nav = page.inner_text("nav.main")
    assert "Reference data" in nav and "Audit trail" not in nav
    screenshot("home-en")

    page.click("text=Reference data")
    page.wait_for_selector("text=Yubei District")
    screenshot("reference-en")


def test_district_officer_home_names_their_jurisdiction(page, screenshot, yubei_receiving_officer):
    sign_in(page, yubei_receiving_officer.username)
    page.wait_for_selector("h1")
    assert "渝北区" in page.inner_text("main")
    screenshot("home")


def test_administrator_sets_up_the_second_factor(page, screenshot, administrator):
    sign_in(page, administrator.username)
    page.wait_for_selector("[data-testid=totp-secret]")
    screenshot("setup")
    device = TOTPDevice.objects.get(user=administrator)
    page.fill("input[name=code]", current_code(device))
    page.click("button.primary")
    page.wait_for_selector("nav.main")
    assert "审计日志" in page.inner_text("nav.main")
    page.click("nav.main >> text=审计日志")
    page.wait_for_selector("table")
    screenshot("audit")


def test_wrong_password_shows_a_clear_message(page, screenshot, airport_desk_officer):
    page.goto("/accounts/login/")
    page.fill("#id_username", airport_desk_officer.username)
    page.fill("#id_password", "not the password")
    page.click("button.primary")
    page.wait_for_selector("[role=alert]")
    screenshot("error")


def test_user_without_role_is_told_to_ask_an_administrator(page, screenshot, roleless_user):
    sign_in(page, roleless_user.username)
    page.wait_for_selector("h1")
    assert page.inner_text("h1") == "尚未分配角色"
    screenshot("no-role")
