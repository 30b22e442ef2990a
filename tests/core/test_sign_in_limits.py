"""Failed sign-ins are limited per account across every address, besides per account and
address; no answer tells whether an account exists."""

import re
from datetime import timedelta

import pytest
from axes.models import AccessFailureLog
from django.core.management import call_command

from liaison.core.models import AuditEntry
from liaison.core.services import create_user
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def _login(client, username, password, ip):
    return client.post(
        "/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR=ip
    )


def _address(n: int) -> str:
    return f"198.51.{n // 250}.{n % 250 + 1}"


def _message(response) -> str:
    """What the page says about the attempt (the alert), without the echoed name and token."""
    page = response.content.decode()
    alerts = re.findall(r'role="alert">(.*?)</(?:div|p)>', page, re.S)
    return " ".join(" ".join(a.split()) for a in alerts)


@pytest.fixture
def small_limit(settings):
    """Five failures per address (axes) and eight per account from anywhere, to keep tests short."""
    settings.AXES_FAILURE_LIMIT = 5
    settings.LIAISON_ACCOUNT_FAILURE_LIMIT = 8
    return 8


def test_the_default_is_a_hundred_an_hour_and_configurable(settings):
    from liaison import settings as app_settings

    assert app_settings.LIAISON_ACCOUNT_FAILURE_LIMIT == 100
    window = app_settings.LIAISON_ACCOUNT_FAILURE_WINDOW
    assert window == timedelta(hours=1)
    assert app_settings.AXES_HANDLER == "liaison.core.sign_in_limits.AccountLimitHandler"


def test_guesses_from_many_addresses_lock_the_account_everywhere(
    client, airport_desk_officer, small_limit
):
    # Each address stays under axes' limit of five; together they reach the account's limit.
    answers = [_login(client, "li-desk", "wrong", _address(n)).status_code for n in range(8)]
    assert answers == [200] * 7 + [429]
    # From an address that never failed, even the right password waits.
    locked = _login(client, "li-desk", PASSWORD, "203.0.113.200")
    assert locked.status_code == 429
    assert int(locked["Retry-After"]) > 0
    assert "_auth_user_id" not in client.session
    assert AuditEntry.objects.filter(action="login_failed", note="locked out (account)").exists()


def test_refused_attempts_while_locked_are_not_counted_and_the_lock_lifts(
    client, airport_desk_officer, small_limit
):
    for n in range(8):
        _login(client, "li-desk", "wrong", _address(n))
    for n in range(20):
        assert _login(client, "li-desk", "wrong", _address(100 + n)).status_code == 429
    assert AccessFailureLog.objects.filter(username="li-desk").count() == 8
    # An hour later the window is empty again.
    AccessFailureLog.objects.filter(username="li-desk").update(
        attempt_time=AccessFailureLog.objects.first().attempt_time - timedelta(minutes=61)
    )
    assert _login(client, "li-desk", PASSWORD, "203.0.113.201").status_code == 302


def test_other_accounts_are_not_locked(client, airport_desk_officer, administrator, small_limit):
    for n in range(8):
        _login(client, "li-desk", "wrong", _address(n))
    assert _login(client, "ada-admin", PASSWORD, _address(1)).status_code == 302


def test_an_administrator_unlock_lifts_both_limits(client, airport_desk_officer, small_limit):
    for n in range(8):
        _login(client, "li-desk", "wrong", _address(n))
    call_command("axes_reset_username", "li-desk", verbosity=0)
    assert _login(client, "li-desk", PASSWORD, _address(0)).status_code == 302


def test_unknown_accounts_and_wrong_passwords_answer_alike(client, airport_desk_officer, city):
    with_account = _login(client, "li-desk", "wrong", "203.0.113.10")
    without = _login(client, "nobody-here", "wrong", "203.0.113.11")
    assert with_account.status_code == without.status_code == 200
    assert _message(with_account) and _message(with_account) == _message(without)


def test_an_inactive_account_answers_like_a_wrong_password(client, city):
    from liaison.core import audit

    with audit.acting_as(username="test"):
        gone = create_user(username="left-office", password=PASSWORD, role="")
    gone.is_active = False
    gone.save()
    inactive = _login(client, "left-office", PASSWORD, "203.0.113.12")
    unknown = _login(client, "never-was", PASSWORD, "203.0.113.13")
    assert inactive.status_code == unknown.status_code == 200
    assert _message(inactive) == _message(unknown)


def test_a_locked_account_answers_like_a_locked_unknown_name(
    client, airport_desk_officer, small_limit
):
    for n in range(8):
        _login(client, "li-desk", "wrong", _address(n))
        _login(client, "no-such-officer", "wrong", _address(n))
    real = _login(client, "li-desk", PASSWORD, "203.0.113.50")
    unknown = _login(client, "no-such-officer", PASSWORD, "203.0.113.50")
    assert real.status_code == unknown.status_code == 429
    assert _message(real) == _message(unknown)
    # And per address, likewise.
    for _ in range(5):
        _login(client, "ada-nobody", "wrong", "203.0.113.60")
    assert _login(client, "ada-nobody", "wrong", "203.0.113.60").status_code == 429
