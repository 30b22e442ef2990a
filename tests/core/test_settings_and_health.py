"""Settings from the environment; production refuses to start unsafe; the health check."""

import os
import subprocess
import sys

import pytest
from django.db import connection

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(__file__)))


def _clean_env(**overrides) -> dict[str, str]:
    """The environment a deployment would have: no test-only flags, the real settings module."""
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    return {**env, "DJANGO_SETTINGS_MODULE": "liaison.settings", **overrides}


def _manage(*args, **env):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=_clean_env(**env),
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize("key", ["", "django-insecure-" + "x" * 60, "short", "a" * 64])
def test_production_refuses_to_start_without_a_real_secret_key(key):
    result = _manage("check", LIAISON_ENV="production", SECRET_KEY=key, ALLOWED_HOSTS="x.org")
    assert result.returncode != 0
    assert "Production needs a real SECRET_KEY" in result.stderr


def test_production_passes_the_deploy_check_with_no_warnings():
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        LIAISON_ENV="production",
        SECRET_KEY="k" * 20 + "Z9-_q" * 10,
        ALLOWED_HOSTS="x.org",
    )
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize("rate", ["60/minute", "60", "sixty/min", "5/0m"])
def test_a_rate_limit_that_is_not_a_rate_stops_the_start(rate):
    result = _manage("check", LIAISON_DECLARATION_RATE=rate)
    assert result.returncode != 0
    assert "LIAISON_DECLARATION_RATE is a rate such as 60/min" in result.stderr


@pytest.mark.parametrize(
    ("env", "said"),
    [
        (
            {"LIAISON_SHARED_NETWORKS": "10.0.0.0/8,airport-wifi"},
            "LIAISON_SHARED_NETWORKS: 'airport-wifi' is not an address or a network.",
        ),
        (
            {"LIAISON_SHARED_NETWORK_RATE": "lots"},
            "LIAISON_SHARED_NETWORK_RATE is a rate such as 60/min",
        ),
    ],
)
def test_shared_networks_or_their_rate_that_are_wrong_stop_the_start(env, said):
    result = _manage("check", **env)
    assert result.returncode != 0
    assert said in result.stderr


def test_shared_networks_with_a_rate_of_their_own_start():
    shared = {"LIAISON_SHARED_NETWORKS": "198.51.100.0/24,2001:db8::/32"}
    assert _manage("check", **shared, LIAISON_SHARED_NETWORK_RATE="300/min").returncode == 0


def test_a_rate_of_so_many_per_ten_minutes_starts():
    assert _manage("check", LIAISON_DECLARATION_RATE="5/10m").returncode == 0


@pytest.mark.django_db
def test_sqlite_runs_in_wal_mode_with_immediate_transactions():
    if connection.vendor != "sqlite":
        assert connection.vendor == "postgresql"
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        mode = cursor.fetchone()[0]
    # The test database lives in memory, where SQLite reports "memory"; files get WAL.
    assert mode in {"wal", "memory"}
    assert connection.settings_dict["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert "journal_mode=WAL" in connection.settings_dict["OPTIONS"]["init_command"]


def test_a_sqlite_file_database_is_in_wal_mode_and_syncs_every_commit(tmp_path):
    """WAL, and synchronous=FULL (2): a commit returns once the WAL is on disk, so what the app
    acknowledged survives a power loss (NORMAL, 1, syncs only at checkpoints)."""
    script = (
        "import django; django.setup(); from django.db import connection;"
        "c = connection.cursor(); c.execute('PRAGMA journal_mode'); mode = c.fetchone()[0];"
        "c.execute('PRAGMA synchronous'); print(mode, c.fetchone()[0])"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=_clean_env(DATABASE_URL=f"sqlite:///{tmp_path / 'x.sqlite3'}"),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.strip() == "wal 2", result.stderr


def test_production_refuses_a_sqlite_that_does_not_sync_every_commit():
    result = _manage(
        "check",
        LIAISON_ENV="production",
        SECRET_KEY="k" * 10 + "-production-key-" + "z" * 40,
        ALLOWED_HOSTS="x.org",
        LIAISON_SQLITE_SYNCHRONOUS="NORMAL",
    )
    assert result.returncode != 0
    assert "LIAISON_SQLITE_SYNCHRONOUS must be FULL" in result.stderr


@pytest.mark.django_db
def test_healthz_reports_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["database"] == "ok"


@pytest.mark.django_db
def test_healthz_reports_an_unreachable_database(client, monkeypatch):
    from django.db import DatabaseError

    def broken(*args, **kwargs):
        raise DatabaseError("down")

    monkeypatch.setattr(connection, "cursor", broken)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "unreachable"
