"""Fixtures shared by every test: the default city's reference data and named officers."""

import importlib

import pytest
from django.db.backends.sqlite3.base import DatabaseWrapper as SQLiteWrapper
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from liaison.core import audit, services
from liaison.core.models import Jurisdiction, Site, User
from liaison.core.roles import Role
from tests.reference_snapshot import load_city

PASSWORD = "correct horse battery staple"


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Every test's files in its own folder, never in var/media: retention's sweep removes the
    files no record names, and a test database names none of a developer's files."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True, scope="session")
def _sqlite_flush_steps_around_audit_triggers():
    """Let Django empty the append-only audit table between transactional tests on SQLite.

    PostgreSQL empties tables with TRUNCATE, which the row triggers do not see; SQLite uses DELETE,
    which they refuse. Production keeps the triggers; only the test flush steps around them.
    """
    triggers = importlib.import_module("liaison.core.migrations.0002_audit_append_only")
    operations = SQLiteWrapper.ops_class
    original = operations.sql_flush

    def sql_flush(self, style, tables, **kwargs):
        statements = original(self, style, tables, **kwargs)
        if "core_auditentry" not in tables:
            return statements
        return [*triggers.SQLITE_BACKWARD, *statements, *triggers.SQLITE_FORWARD]

    operations.sql_flush = sql_flush
    yield
    operations.sql_flush = original


@pytest.fixture
def city(db, settings):
    """The default city's jurisdictions, ports and sites, loaded from the shipped files: for
    real in a process's first test, then the same rows from its copy (reference_snapshot.py)."""
    load_city(settings.LIAISON_REFERENCE_DIR / "chongqing")


def make_user(username: str, role: Role | str = "", *, jurisdiction=None, site=None) -> User:
    with audit.acting_as(username="test"):
        return services.create_user(
            username=username, password=PASSWORD, role=role, jurisdiction=jurisdiction, site=site
        )


@pytest.fixture
def yubei(city):
    return Jurisdiction.objects.get(code="500112")


@pytest.fixture
def jiangbei(city):
    return Jurisdiction.objects.get(code="500105")


@pytest.fixture
def administrator(city):
    return make_user("ada-admin", Role.ADMINISTRATOR)


@pytest.fixture
def airport_desk_officer(city):
    return make_user("li-desk", Role.AIRPORT_DESK)


@pytest.fixture
def yubei_receiving_officer(yubei):
    return make_user("wang-yubei", Role.DISTRICT_RECEIVING, jurisdiction=yubei)


@pytest.fixture
def jiangbei_receiving_officer(jiangbei):
    return make_user("zhao-jiangbei", Role.DISTRICT_RECEIVING, jurisdiction=jiangbei)


@pytest.fixture
def sampler_at_t3(city):
    return make_user("chen-sampler", Role.SAMPLING, site=Site.objects.get(code="SAMP-CKG-T3"))


@pytest.fixture
def roleless_user(city):
    return make_user("new-hire")


def current_code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def forget_used_code(device: TOTPDevice) -> None:
    """Let a test sign in twice within one 30-second window.

    django-otp refuses a code already used (replay protection), and a test cannot wait for the
    next window.
    """
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1)


def sign_in(client: Client, user: User) -> Client:
    """Sign in through the real pages, giving the second factor when the account needs one."""
    response = client.post("/accounts/login/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302, response.content[:500]
    response = client.get("/")
    if response.status_code == 302 and "second-factor" in response["Location"]:
        client.get("/accounts/second-factor/")
        device = TOTPDevice.objects.get(user=user)
        forget_used_code(device)
        response = client.post("/accounts/second-factor/", {"code": current_code(device)})
        assert response.status_code == 302, response.content[:500]
    return client


@pytest.fixture
def signed_in():
    def _signed_in(user: User) -> Client:
        return sign_in(Client(), user)

    return _signed_in
