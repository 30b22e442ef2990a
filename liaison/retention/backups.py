"""Backups that can be restored: one command each way, for SQLite and PostgreSQL.

- SQLite: Python's ``sqlite3`` online backup API (a consistent copy while the app runs, WAL
  included), into a single file; restored with the same API into the configured database file.
- PostgreSQL: ``pg_dump --format=custom`` into a single file; restored with ``pg_restore
  --no-owner --exit-on-error`` into the configured (fresh, empty) database.

A restored database may hold records past their retention period (the backup is older than
their anonymization): the next retention run anonymizes them, as it would any due record.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.db import connections

POSTGRES_BIN = Path("/usr/lib/postgresql/15/bin")


class BackupError(Exception):
    pass


def _vendor(alias: str) -> str:
    return connections[alias].vendor


def _tool(name: str) -> str:
    found = shutil.which(name) or (POSTGRES_BIN / name if (POSTGRES_BIN / name).exists() else None)
    if not found:
        raise BackupError(f"{name} is not installed (scripts/system-packages.sh postgresql-15)")
    return str(found)


def pg_host(settings_dict: dict) -> str:
    """The server's host or socket folder (``?host=…`` of a DATABASE_URL lands in OPTIONS)."""
    return settings_dict.get("HOST") or settings_dict.get("OPTIONS", {}).get("host", "")


def _pg_args(settings_dict: dict) -> tuple[list[str], dict]:
    args = []
    if pg_host(settings_dict):
        args += ["-h", pg_host(settings_dict)]
    if settings_dict.get("PORT"):
        args += ["-p", str(settings_dict["PORT"])]
    if settings_dict.get("USER"):
        args += ["-U", settings_dict["USER"]]
    env = dict(os.environ)
    if settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = settings_dict["PASSWORD"]
    return args, env


def backup(path: Path, *, alias: str = "default") -> Path:
    """Write a backup of the database to ``path`` (one file)."""
    connection = connections[alias]
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if _vendor(alias) == "sqlite":
        connection.ensure_connection()
        target = sqlite3.connect(str(path))
        try:
            connection.connection.backup(target)
        finally:
            target.close()
        return path
    if _vendor(alias) == "postgresql":
        args, env = _pg_args(connection.settings_dict)
        name = connection.settings_dict["NAME"]
        command = [_tool("pg_dump"), *args, "--format=custom", "--no-owner", "-f", str(path), name]
        # The installed pg_dump, the settings' own connection values; no shell.
        subprocess.run(command, check=True, env=env, capture_output=True)  # noqa: S603
        return path
    raise BackupError(f"no backup for {_vendor(alias)}")


def restore(path: Path, *, alias: str = "default") -> None:
    """Restore ``path`` into the configured database, which must be fresh (no tables)."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"{path}: no such backup file")
    connection = connections[alias]
    if connection.introspection.table_names():
        raise BackupError("the database is not empty: restore into a fresh database")
    if _vendor(alias) == "sqlite":
        connection.close()
        source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        target = sqlite3.connect(str(connection.settings_dict["NAME"]))
        try:
            source.backup(target)
        finally:
            source.close()
            target.close()
        return
    if _vendor(alias) == "postgresql":
        args, env = _pg_args(connection.settings_dict)
        name = connection.settings_dict["NAME"]
        command = [_tool("pg_restore"), *args, "--no-owner", "--exit-on-error", "-d", name]
        # The installed pg_restore, the settings' own connection values; no shell.
        subprocess.run([*command, str(path)], check=True, env=env, capture_output=True)  # noqa: S603
        return
    raise BackupError(f"no restore for {_vendor(alias)}")
