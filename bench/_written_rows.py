"""The floor of a write: exactly the rows some code wrote, written again through the database's
bulk path, on a copy of the database taken before it ran.

    before = snapshot(connection)      # every table, every row
    copy = Copy.of(connection)         # the same database, as it is now
    ...the code under test runs on the original...
    change = changes(before, snapshot(connection))
    seconds = copy.replay(change)      # one transaction: the same inserts, updates and deletes

The copy has the same schema, indexes, constraints, triggers and rows. ``replay`` writes every
table's new rows, changed columns and deleted rows in one transaction, committed: on SQLite
``executemany`` of one prepared statement per table (with the app's own pragmas: WAL,
synchronous=FULL, foreign keys); on PostgreSQL ``COPY … FROM STDIN`` of the new rows, and the
changed rows through ``COPY`` into a temporary table and one ``UPDATE … FROM`` it. Nothing is
computed while it is timed: the values are those the code wrote, read back from the original.
"""

from __future__ import annotations

import sqlite3
import time
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class TableChange:
    table: str
    columns: list[str]
    pk: int  # the primary key's position in ``columns``
    inserted: list = field(default_factory=list)  # SQLite: tuples; PostgreSQL: COPY text lines
    updated: list = field(default_factory=list)  # the same, whole rows
    changed_columns: list[int] = field(default_factory=list)
    deleted: list = field(default_factory=list)  # primary key values

    @property
    def rows(self) -> int:
        return len(self.inserted) + len(self.updated) + len(self.deleted)


@dataclass
class Snapshot:
    columns: dict[str, list[str]]
    pk: dict[str, int]
    rows: dict[str, dict]  # table -> primary key -> row


def _tables(connection) -> list[str]:
    with connection.cursor() as cursor:
        names = connection.introspection.table_names(cursor)
    return [n for n in names if not n.startswith("sqlite_")]


def snapshot(connection) -> Snapshot:
    """Every row of every table (SQLite: value tuples; PostgreSQL: COPY text lines)."""
    shot = Snapshot({}, {}, {})
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table in _tables(connection):
            cursor.execute(f"SELECT * FROM {quote(table)} WHERE 1 = 0")  # noqa: S608
            columns = [c[0] for c in cursor.description]
            key = connection.introspection.get_primary_key_column(cursor, table)
            pk = columns.index(key) if key in columns else -1
            if connection.vendor == "postgresql":
                rows = {}
                copy_sql = f"COPY (SELECT * FROM {quote(table)}) TO STDOUT"  # noqa: S608
                with cursor.cursor.copy(copy_sql) as copy:
                    for line in copy:
                        text = bytes(line)
                        rows[text.split(b"\t")[pk] if pk >= 0 else text] = text
            else:
                cursor.execute(f"SELECT * FROM {quote(table)}")  # noqa: S608
                rows = {(row[pk] if pk >= 0 else row): row for row in cursor.fetchall()}
            shot.columns[table], shot.pk[table], shot.rows[table] = columns, pk, rows
    return shot


def _fields(row, vendor: str) -> tuple:
    return tuple(row.rstrip(b"\n").split(b"\t")) if vendor == "postgresql" else tuple(row)


def changes(before: Snapshot, after: Snapshot, vendor: str) -> list[TableChange]:
    """What changed from ``before`` to ``after``, table by table (unchanged tables left out)."""
    found = []
    for table, rows in after.rows.items():
        old = before.rows.get(table, {})
        change = TableChange(table, after.columns[table], after.pk[table])
        changed: set[int] = set()
        for key, row in rows.items():
            was = old.get(key)
            if was is None:
                change.inserted.append(row)
            elif was != row:
                change.updated.append(row)
                pairs = zip(_fields(was, vendor), _fields(row, vendor), strict=True)
                changed.update(i for i, (a, b) in enumerate(pairs) if a != b)
        change.deleted = [key for key in old if key not in rows]
        change.changed_columns = sorted(changed)
        if change.rows:
            found.append(change)
    return found


class Copy:
    """A copy of the database as it is now, to replay a change onto."""

    def __init__(self, vendor: str, target, settings: dict):
        self.vendor, self.target, self.settings = vendor, target, settings

    @classmethod
    def of(cls, connection) -> Copy:
        connection.ensure_connection()
        if connection.vendor == "postgresql":
            import psycopg

            name = connection.settings_dict["NAME"]
            copy_name = f"{name}_floor"
            params = connection.get_connection_params()
            connection.close()  # a template must have no other session
            with psycopg.connect(**{**params, "dbname": "postgres"}, autocommit=True) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{copy_name}"')
                admin.execute(f'CREATE DATABASE "{copy_name}" TEMPLATE "{name}"')
            return cls("postgresql", copy_name, params)
        path = Path(connection.settings_dict["NAME"]).with_suffix(".floor.sqlite3")
        target = sqlite3.connect(path)
        connection.connection.backup(target)
        target.close()
        return cls("sqlite", path, {})

    def replay(self, change: list[TableChange]) -> float:
        """Write ``change`` in one transaction, committed; its seconds."""
        if self.vendor == "postgresql":
            return self._replay_postgresql(change)
        return self._replay_sqlite(change)

    def _replay_sqlite(self, change: list[TableChange]) -> float:
        db = sqlite3.connect(self.target, isolation_level=None)
        # The app's own (liaison/settings.py).
        for pragma in ("journal_mode=WAL", "synchronous=FULL", "foreign_keys=ON"):
            db.execute(f"PRAGMA {pragma}")
        db.execute("PRAGMA cache_size=-20000")
        start = time.perf_counter()
        db.execute("BEGIN IMMEDIATE")
        for c in change:
            names = [f'"{n}"' for n in c.columns]
            if c.inserted:
                marks = ", ".join("?" * len(names))
                db.executemany(
                    f'INSERT INTO "{c.table}" ({", ".join(names)}) VALUES ({marks})', c.inserted
                )
            if c.updated:
                sets = ", ".join(f"{names[i]} = ?" for i in c.changed_columns)
                db.executemany(
                    f'UPDATE "{c.table}" SET {sets} WHERE {names[c.pk]} = ?',
                    [(*(row[i] for i in c.changed_columns), row[c.pk]) for row in c.updated],
                )
            if c.deleted:
                db.executemany(
                    f'DELETE FROM "{c.table}" WHERE {names[c.pk]} = ?', [(k,) for k in c.deleted]
                )
        db.execute("COMMIT")
        seconds = time.perf_counter() - start
        db.close()
        return seconds

    def _replay_postgresql(self, change: list[TableChange]) -> float:
        import psycopg

        with psycopg.connect(**{**self.settings, "dbname": self.target}) as db:
            start = time.perf_counter()
            with db.transaction(), db.cursor() as cursor:
                for c in change:
                    names = [f'"{n}"' for n in c.columns]
                    if c.inserted:
                        with cursor.copy(f'COPY "{c.table}" ({", ".join(names)}) FROM STDIN') as cp:
                            for line in c.inserted:
                                cp.write(line)
                    if c.updated:
                        temp = f'"floor_{c.table}"'
                        cursor.execute(
                            f'CREATE TEMP TABLE {temp} (LIKE "{c.table}") ON COMMIT DROP'
                        )
                        with cursor.copy(f"COPY {temp} FROM STDIN") as cp:
                            for line in c.updated:
                                cp.write(line)
                        sets = ", ".join(f"{names[i]} = f.{names[i]}" for i in c.changed_columns)
                        cursor.execute(
                            f'UPDATE "{c.table}" AS t SET {sets} FROM {temp} AS f '
                            f"WHERE t.{names[c.pk]} = f.{names[c.pk]}"
                        )
                    if c.deleted:
                        cursor.execute(
                            f'DELETE FROM "{c.table}" WHERE {names[c.pk]}::text = ANY(%s)',
                            [[k.decode() for k in c.deleted]],
                        )
            seconds = time.perf_counter() - start
        return seconds
