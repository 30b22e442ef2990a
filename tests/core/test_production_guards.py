"""Production does not start with the administrators' second factor off; no administrator can
read another's TOTP secret in the admin site."""

import pytest
from django.core.checks import run_checks
from django_otp.plugins.otp_totp.models import TOTPDevice

from liaison.core.checks import production_guards
from tests.conftest import make_user
from tests.core.test_settings_and_health import _manage

GOOD = {
    "LIAISON_ENV": "production",
    "SECRET_KEY": "k" * 20 + "Z9-_q" * 10,
    "ALLOWED_HOSTS": "x.org",
}


@pytest.mark.parametrize("off", ["0", "false", "off", "no"])
def test_production_refuses_to_start_with_the_second_factor_off(off):
    result = _manage("check", **GOOD, LIAISON_ADMIN_REQUIRES_2FA=off)
    assert result.returncode != 0
    assert "LIAISON_ADMIN_REQUIRES_2FA" in result.stderr


def test_local_mode_may_turn_it_off_for_tests():
    result = _manage("check", LIAISON_ADMIN_REQUIRES_2FA="off", LIAISON_ENV="local")
    assert result.returncode == 0, result.stderr


def test_the_system_check_catches_a_settings_module_that_turns_it_off_later(settings):
    settings.LIAISON_ENV = "production"
    settings.LIAISON_ADMIN_REQUIRES_2FA = False
    assert [error.id for error in production_guards()] == ["liaison.E001"]
    assert "liaison.E001" in [error.id for error in run_checks()]
    settings.LIAISON_ADMIN_REQUIRES_2FA = True
    assert production_guards() == []


def test_the_system_check_refuses_inline_script_and_shown_totp_keys(settings):
    settings.LIAISON_ENV = "production"
    settings.CONTENT_SECURITY_POLICY = {
        "DIRECTIVES": {"default-src": ["'self'"], "script-src": ["'self'", "'unsafe-inline'"]}
    }
    settings.OTP_ADMIN_HIDE_SENSITIVE_DATA = False
    assert [error.id for error in production_guards()] == ["liaison.E002", "liaison.E003"]


def test_local_mode_has_nothing_to_say(settings):
    settings.LIAISON_ENV = "local"
    settings.LIAISON_ADMIN_REQUIRES_2FA = False
    assert production_guards() == []


# --- TOTP secrets in the admin site ---------------------------------------------------------


@pytest.fixture
def other_admins_device(city):
    from liaison.core.roles import Role

    other = make_user("bo-admin", Role.ADMINISTRATOR)
    return TOTPDevice.objects.create(user=other, name="phone", confirmed=True)


@pytest.mark.django_db
def test_the_admin_site_never_shows_a_totp_key(administrator, signed_in, other_admins_device):
    client = signed_in(administrator)
    device = other_admins_device
    secrets = [device.key, device.key.upper(), device.config_url]
    listing = client.get("/admin/otp_totp/totpdevice/")
    assert listing.status_code == 200
    assert "bo-admin" in listing.content.decode()
    page = client.get(f"/admin/otp_totp/totpdevice/{device.pk}/change/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "bo-admin" in html
    assert not any(secret in html for secret in secrets)
    assert 'name="key"' not in html and "qrcode" not in html.lower()
    from liaison.core.services import base32_secret

    assert base32_secret(device) not in html


@pytest.mark.django_db
def test_the_admin_site_cannot_show_a_qr_code_nor_set_a_key(
    administrator, signed_in, other_admins_device
):
    client = signed_in(administrator)
    pk = other_admins_device.pk
    for url in [
        f"/admin/otp_totp/totpdevice/{pk}/config/",
        f"/admin/otp_totp/totpdevice/{pk}/qrcode/",
    ]:
        response = client.get(url)
        assert response.status_code in (302, 403, 404), url
        assert other_admins_device.key not in response.content.decode()
    # A device is set up by its owner only: no administrator adds one with a key they know.
    assert client.get("/admin/otp_totp/totpdevice/add/").status_code == 403
    changed = client.post(
        f"/admin/otp_totp/totpdevice/{pk}/change/", {"key": "00" * 20, "name": "mine"}
    )
    assert changed.status_code == 403
    assert TOTPDevice.objects.get(pk=pk).key == other_admins_device.key
    # Removing one (a lost phone) stays possible: its owner sets up a new one.
    delete_page = client.get(f"/admin/otp_totp/totpdevice/{pk}/delete/")
    assert delete_page.status_code == 200
    assert other_admins_device.key not in delete_page.content.decode()
