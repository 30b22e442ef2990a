"""Signing in: throttled, two-factor for administrators, clear answers."""

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from liaison.core.models import AuditEntry
from tests.conftest import PASSWORD, current_code, forget_used_code

pytestmark = pytest.mark.django_db


def _login(client, username, password, ip="198.51.100.5"):
    return client.post(
        "/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR=ip
    )


def test_wrong_password_repeatedly_locks_the_account_and_says_so(
    client, airport_desk_officer, settings
):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = _login(client, "li-desk", "wrong password")
        assert response.status_code == 200  # the form again, with its message
        assert "username and password" in response.content.decode().lower() or "用户名" in (
            response.content.decode()
        )
    response = _login(client, "li-desk", "wrong password")
    assert response.status_code == 429
    # "Too many wrong passwords for this account from this address. Try again in 15 minutes, …"
    assert "此账号在此地址输错密码次数过多。请 15 分钟后再试，或请管理员解锁。" in (
        response.content.decode()
    )
    # Even the right password is refused while locked.
    response = _login(client, "li-desk", PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    notes = list(AuditEntry.objects.filter(action="login_failed").values_list("note", flat=True))
    assert notes.count("wrong credentials") >= settings.AXES_FAILURE_LIMIT - 1
    assert "locked out" in notes


def test_lockout_is_per_account_and_address(client, airport_desk_officer, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, "li-desk", "wrong", ip="198.51.100.5")
    assert _login(client, "li-desk", PASSWORD, ip="198.51.100.6").status_code == 302


def test_staff_without_second_factor_signs_in_with_a_password(client, airport_desk_officer):
    assert _login(client, "li-desk", PASSWORD).status_code == 302
    assert client.get("/").status_code == 200


def test_administrator_must_set_up_and_use_a_second_factor(client, administrator):
    assert _login(client, "ada-admin", PASSWORD).status_code == 302
    # Signed in with a password only: every page leads to the second factor.
    for path in ["/", "/audit/", "/api-tokens/"]:
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"] == "/accounts/second-factor/"
    assert client.get("/admin/").status_code == 302
    page = client.get("/accounts/second-factor/").content.decode()
    assert "<svg" in page  # the QR code to scan
    device = TOTPDevice.objects.get(user=administrator, confirmed=False)

    wrong = client.post("/accounts/second-factor/", {"code": "000000"})
    assert wrong.status_code == 200
    assert not TOTPDevice.objects.get(pk=device.pk).confirmed

    # Straight after a wrong code even the right one waits (django-otp's growing delay).
    throttled = client.post("/accounts/second-factor/", {"code": current_code(device)})
    assert "Too many wrong codes" in throttled.content.decode() or "错误次数过多" in (
        throttled.content.decode()
    )
    TOTPDevice.objects.get(pk=device.pk).throttle_reset()  # as if the delay had passed

    response = client.post("/accounts/second-factor/", {"code": current_code(device)})
    assert response.status_code == 302
    assert client.get("/audit/").status_code == 200
    assert client.get("/admin/").status_code == 200
    assert TOTPDevice.objects.get(pk=device.pk).confirmed


def test_next_sign_in_asks_for_the_code_of_the_confirmed_device(client, administrator, signed_in):
    signed_in(administrator)  # sets up the device
    _login(client, "ada-admin", PASSWORD)
    page = client.get("/accounts/second-factor/").content.decode()
    assert "<svg" not in page  # no new secret is shown once a device is confirmed
    assert client.post("/accounts/second-factor/", {"code": "12ab"}).status_code == 200
    assert client.get("/audit/").status_code == 302
    device = TOTPDevice.objects.get(user=administrator)
    forget_used_code(device)
    assert (
        client.post("/accounts/second-factor/", {"code": current_code(device)}).status_code == 302
    )
    assert client.get("/audit/").status_code == 200


def test_sign_out_needs_post(client, airport_desk_officer, signed_in):
    client = signed_in(airport_desk_officer)
    assert client.get("/accounts/logout/").status_code == 405
    assert client.post("/accounts/logout/").status_code == 302
    assert client.get("/").status_code == 302
