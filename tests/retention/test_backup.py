"""A backup restores into a fresh database, and retention runs again on what it held past due.

The backup is taken from the test's database; the restore and the run happen in fresh processes
against a fresh database (a new SQLite file, or a new PostgreSQL database), as an operator would
run them.
"""

import os
import sqlite3
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection

from tests.retention.conftest import declare

pytestmark = pytest.mark.django_db(transaction=True)
ROOT = Path(settings.BASE_DIR)


def _manage(*args, database_url: str) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "liaison.settings",
        "LIAISON_TIME_ZONE": settings.TIME_ZONE,
    }
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.fixture
def fresh_database(tmp_path):
    """A database URL of an empty database, and a way to ask it one question."""
    if connection.vendor == "sqlite":
        path = tmp_path / "fresh.sqlite3"
        yield (
            f"sqlite:///{path}",
            lambda sql, *params: (
                sqlite3.connect(path).execute(sql.replace("%s", "?"), params).fetchall()
            ),
        )
        return
    import psycopg

    name = f"fresh_{uuid.uuid4().hex[:8]}"
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    from liaison.retention.backups import pg_host

    params = connection.settings_dict
    host, port = pg_host(params), params.get("PORT") or ""
    url = f"postgres://{params['USER']}@{':' + str(port) if port else ''}/{name}?host={host}"

    def ask(sql, *values):
        with psycopg.connect(dbname=name, user=params["USER"], host=host, port=port or None) as db:
            return db.execute(sql, values).fetchall()

    yield url, ask
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_a_backup_restores_into_a_fresh_database_and_retention_runs_on_it(
    city, tmp_path, fresh_database
):
    url, ask = fresh_database
    traveler = declare(surname_latin="RESTORED")  # lands today, never screened
    file = tmp_path / "liaison.backup"
    call_command("backup", str(file))
    assert file.stat().st_size > 0

    restored = _manage("restore", str(file), database_url=url)
    assert restored.returncode == 0, restored.stderr[-2000:]
    rows = ask("SELECT surname_latin FROM arrivals_arrival WHERE id = %s", traveler.pk)
    assert rows == [("RESTORED",)]
    # Restoring over a database that has tables is refused, and changes nothing.
    again = _manage("restore", str(file), database_url=url)
    assert again.returncode != 0 and "not empty" in again.stderr

    # The restored copy is past due 28 days later: the run anonymizes it there.
    day = traveler.arrival_date.toordinal() + 28
    from datetime import date

    ran = _manage("retention", "--today", date.fromordinal(day).isoformat(), database_url=url)
    assert ran.returncode == 0, ran.stderr[-2000:]
    assert "arrival.not_quarantined: due 1" in ran.stdout
    rows = ask(
        "SELECT surname_latin, document_number FROM arrivals_arrival WHERE id = %s", traveler.pk
    )
    assert rows == [("", f"~{traveler.pk}")]
    receipts = ask(
        "SELECT rule, anonymized FROM retention_receipt WHERE rule = 'arrival.not_quarantined'"
    )
    assert receipts == [("arrival.not_quarantined", 1)]
