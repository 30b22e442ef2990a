"""Writing a few new rows that refer to each other: all or nothing, in as few round trips as the
database allows.

A new health declaration is five rows (the arrival, its first version, its first event, its
idempotency record, its audit entry). The ORM writes them as five INSERTs between BEGIN and
COMMIT: seven round trips to PostgreSQL, and on SQLite five statements compiled while the one write
lock is held, so every other writer waits for Python. ``insert_linked`` compiles every statement
before it touches the database, then writes:

- on PostgreSQL, one statement: a chain of data-modifying CTEs, atomic by itself;
- elsewhere (SQLite), the INSERTs in one transaction, holding the lock only while they run.

Like ``bulk_create`` it sends no model signals: the caller writes what a receiver would have (an
audit entry is one of the rows). The PostgreSQL statement is prepared on a psycopg cursor of
Django's connection, so it is not in ``connection.queries``. ``bench/declarations.py`` measures
what this is for.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from contextlib import nullcontext
from dataclasses import dataclass, field
from functools import lru_cache

from django.db import connections, models, transaction


@dataclass(frozen=True)
class NewRow:
    """A model instance to insert. ``links`` maps a field's attribute name (``arrival_id``) to
    the position of an earlier row in the same call, whose new primary key it takes."""

    obj: models.Model
    links: Mapping[str, int] = field(default_factory=dict)


@dataclass
class _Statement:
    table: str
    columns: list[str]
    params: list
    links: dict[int, int]  # position in params -> index of the row whose id goes there
    pk_column: str


def insert_linked(rows: Sequence[NewRow], *, using: str = "default") -> list[int]:
    """Insert ``rows`` in order, all or none; set and return their new primary keys.

    Raises ``django.db.IntegrityError`` (nothing written) if any row breaks a constraint.
    """
    connection = connections[using]
    statements = [_compile(row, index, connection) for index, row in enumerate(rows)]
    if connection.vendor == "postgresql":
        ids = _insert_as_one_statement(statements, connection, using)
    else:
        ids = _insert_in_one_transaction(statements, connection, using)
    for row, pk in zip(rows, ids, strict=True):
        for name, index in row.links.items():
            setattr(row.obj, name, _as_field_value(row.obj, name, ids[index]))
        row.obj.pk = pk
        row.obj._state.adding = False
        row.obj._state.db = using
    return ids


def _compile(row: NewRow, index: int, connection) -> _Statement:
    meta = row.obj._meta
    if row.obj.pk is not None or not meta.pk.db_returning:
        raise ValueError(f"{meta.label}: insert_linked makes new rows with generated keys")
    fields = [f for f in meta.local_concrete_fields if not f.primary_key]
    names = {f.attname: position for position, f in enumerate(fields)}
    links = {}
    for name, target in row.links.items():
        if not 0 <= target < index:
            raise ValueError(f"{meta.label}.{name} links to row {target}, not an earlier one")
        links[names[name]] = target
    params = [
        None if position in links else f.get_db_prep_save(f.pre_save(row.obj, True), connection)
        for position, f in enumerate(fields)
    ]
    return _Statement(meta.db_table, [f.column for f in fields], params, links, meta.pk.column)


def _insert_as_one_statement(statements: list[_Statement], connection, using: str) -> list[int]:
    import psycopg

    sql = _chain_sql(tuple(_shape(s) for s in statements), connection.ops.quote_name)
    params = [
        value
        for statement in statements
        for position, value in enumerate(statement.params)
        if position not in statement.links
    ]
    # Outside a transaction the statement commits by itself; inside one, a savepoint keeps a
    # failed insert from poisoning the caller's transaction.
    in_transaction = connection.in_atomic_block
    with (
        transaction.atomic(using=using) if in_transaction else nullcontext(),
        connection.cursor(),  # connects (and checks the connection's health) as Django does
        connection.wrap_database_errors,
        # Server-side binding, prepared on its first use: PostgreSQL parses and plans the chain
        # once per connection, not once per declaration. (Django's own cursors bind on the
        # client side and never prepare.) A raw cursor takes PostgreSQL's own $1 placeholders:
        # psycopg caches its parsing of %s only for statements under 4 KB, and this one is
        # longer.
        psycopg.RawCursor(connection.connection) as cursor,
    ):
        cursor.execute(sql, params, prepare=True)
        return list(cursor.fetchone())


def _shape(statement: _Statement) -> tuple:
    return (
        statement.table,
        tuple(statement.columns),
        tuple(sorted(statement.links.items())),
        statement.pk_column,
    )


@lru_cache(maxsize=64)
def _chain_sql(shapes: tuple, quote: Callable[[str], str]) -> str:
    """The chain of CTEs for rows of these shapes, with $1, $2… for the values in order."""
    parts, number = [], 0
    for index, (table, columns, links, pk_column) in enumerate(shapes):
        linked = dict(links)
        values = []
        for position in range(len(columns)):
            if position in linked:
                values.append(_new_id(shapes, linked[position], quote))
            else:
                number += 1
                values.append(f"${number}")
        insert = _insert_sql(table, columns, values, quote)
        parts.append(f"row_{index} AS ({insert} RETURNING {quote(pk_column)})")
    selects = ", ".join(_new_id(shapes, i, quote) for i in range(len(shapes)))
    return f"WITH {', '.join(parts)} SELECT {selects}"


def _insert_in_one_transaction(statements: list[_Statement], connection, using: str) -> list[int]:
    quote = connection.ops.quote_name
    compiled = [
        (_insert_sql(s.table, s.columns, ["%s"] * len(s.columns), quote), s) for s in statements
    ]
    ids: list[int] = []
    with transaction.atomic(using=using), connection.cursor() as cursor:
        for sql, statement in compiled:
            params = list(statement.params)
            for position, target in statement.links.items():
                params[position] = ids[target]
            cursor.execute(sql, params)
            ids.append(cursor.lastrowid)
    return ids


def _new_id(shapes: tuple, index: int, quote) -> str:
    """The new key of row ``index``, in the chain of CTEs."""
    return f"(SELECT {quote(shapes[index][3])} FROM row_{index})"  # noqa: S608


def _insert_sql(table: str, columns, values: list[str], quote) -> str:
    # Names come from the models' metadata, quoted; values are placeholders or row references.
    names = ", ".join(quote(c) for c in columns)
    return f"INSERT INTO {quote(table)} ({names}) VALUES ({', '.join(values)})"  # noqa: S608


def _as_field_value(obj: models.Model, attname: str, pk: int):
    field = next(f for f in obj._meta.concrete_fields if f.attname == attname)
    return field.to_python(pk)
