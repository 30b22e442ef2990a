"""The Content-Security-Policy blocks nothing the pages need, in a real browser."""

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.browser.test_staff_shell import sign_in
from tests.conftest import current_code

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_pages_run_under_the_policy_without_a_violation(page, city, sampler_at_t3):
    violations = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    for path in ["/accounts/login/", "/declare/", "/nowhere/"]:
        page.goto(path)
    sign_in(page, sampler_at_t3.username)
    page.goto("/screening/sampling/")
    # sampling.js moved the focus to the code field, and Enter moves on to the barcode.
    assert page.evaluate("document.activeElement.id") == "id_code"
    page.press("#id_code", "Enter")
    assert page.evaluate("document.activeElement.id") == "id_barcode"
    assert violations == []


def test_an_injected_inline_script_does_not_run(page, city):
    refused = []
    page.on("console", lambda message: refused.append(message.text))
    page.goto("/declare/")
    page.evaluate(
        "() => { const s = document.createElement('script');"
        " s.textContent = 'window.injected = 1'; document.body.appendChild(s); }"
    )
    assert page.evaluate("window.injected === undefined")
    assert any("Content Security Policy" in text for text in refused)


def test_the_api_docs_and_the_admin_site_run_under_the_policy(page, administrator):
    device = TOTPDevice.objects.create(user=administrator, name="phone", confirmed=True)
    violations = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    sign_in(page, administrator.username)
    page.wait_for_selector("#id_code")
    page.fill("#id_code", current_code(device))
    page.click("button.primary")
    page.wait_for_selector(".cards")
    page.goto("/api/v1/docs")
    page.wait_for_selector(".swagger-ui .info")
    page.goto("/admin/core/user/")
    page.wait_for_selector("#result_list")
    page.goto(f"/admin/core/user/{administrator.pk}/change/")
    page.wait_for_selector("#user_form")
    assert violations == []
